"""Standing offers are listed at once; the public may report them (``core.reports``)."""

from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.caching import forget_page_after_commit
from core import reports
from tasks.models import Offer


def public_standing_offers():
    """Standing offers the public sees: open, not hidden, and not from a hidden organisation."""
    return Offer.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__hidden_at__isnull=True),
        task__isnull=True,
        hidden_at__isnull=True,
        status=Offer.Status.OFFERED,
    )


def accepted_quantity():
    """A task annotation: the quantities of its accepted offers summed ("6 of 10 planks").

    A subquery, so it does not multiply with a join on the task's sign-ups.
    """
    given = (
        Offer.objects.filter(task=OuterRef("pk"), status=Offer.Status.ACCEPTED)
        .order_by()
        .values("task")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(given), 0)


class StandingOfferReportable(reports.Reportable):
    key = "offer"
    model = Offer
    label = _("offer")

    def visible(self):
        return public_standing_offers().select_related("neighbourhood", "organisation", "user")

    def hide(self, item, *, actor):
        Offer.objects.filter(pk=item.pk).update(hidden_at=timezone.now())
        if item.neighbourhood_id:
            forget_page_after_commit(item.neighbourhood)

    def public_url(self, item):
        return f"{item.neighbourhood.url}#assets-heading"

    def summary(self, item):
        parts = [item.get_kind_display(), item.description, item.availability, item.giver_name]
        return "\n".join(part for part in parts if part)
