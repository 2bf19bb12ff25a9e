"""Organisation profiles are published at once; the public may report them (``core.reports``).

A hidden profile answers 404, and its standing offers leave the neighbourhood pages: the
tasks app, which shows them, drops those pages' cached copies when it hears
``OrganisationVisibilityChanged``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.events import OrganisationVisibilityChanged
from accounts.models import Organisation
from core import reports
from core.events import announce


class OrganisationReportable(reports.Reportable):
    key = "organisation"
    model = Organisation
    label = _("organisation profile")

    def visible(self):
        return Organisation.objects.visible()

    def forget(self, item):
        announce(OrganisationVisibilityChanged(organisation_id=item.pk))

    def public_url(self, item):
        return reverse("organisations:detail", args=[item.slug])

    def summary(self, item):
        parts = [item.name, item.get_kind_display(), item.address, item.description]
        return "\n".join(part for part in parts if part)
