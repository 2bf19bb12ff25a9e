"""Messages about accounts: organisations, a person's data, a staff member's exports."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import DataExport, Invitation
from core.models import SpreadsheetExport
from notifications.base import Message, Recipient, absolute, recipient_for_user, register


@register
class OrganisationInvitation(Message):
    key = "organisation_invitation"
    template = "organisation_invitation"

    @classmethod
    def load(cls, object_id):
        return Invitation.objects.select_related("organisation", "invited_by").get(pk=object_id)

    def recipients(self):
        return [Recipient(email=self.obj.email, language=self.obj.invited_by.preferred_language)]

    def subject(self, recipient):
        return _("Join %(name)s on Wijkkapitaal") % {"name": self.obj.organisation.name}

    def context(self, recipient):
        return {
            "invitation": self.obj,
            "accept_url": absolute(reverse("organisations:invitation", args=[self.obj.token])),
        }


@register
class DataExportReady(Message):
    """The download of a person's data is ready; the link works for them only, 7 days."""

    key = "data_export_ready"
    template = "data_export_ready"

    @classmethod
    def load(cls, object_id):
        return DataExport.objects.select_related("user").get(pk=object_id)

    def is_current(self):
        return self.obj.is_ready and not self.obj.is_expired()

    def recipients(self):
        return [recipient_for_user(self.obj.user)]

    def subject(self, recipient):
        return _("Your data from Wijkkapitaal is ready")

    def context(self, recipient):
        return {
            "export": self.obj,
            "download_url": absolute(reverse("privacy:my_data")),
        }


@register
class SpreadsheetExportReady(Message):
    """A staff member's CSV, too long to download at once, was made in the background."""

    key = "spreadsheet_export_ready"
    template = "spreadsheet_export_ready"

    @classmethod
    def load(cls, object_id):
        return SpreadsheetExport.objects.select_related("requested_by").get(pk=object_id)

    def is_current(self):
        return self.obj.status == SpreadsheetExport.Status.READY

    def recipients(self):
        return [recipient_for_user(self.obj.requested_by)]

    def subject(self, recipient):
        return _("Your export of %(list)s is ready") % {"list": self.obj.title}

    def context(self, recipient):
        return {"export": self.obj, "exports_url": absolute(reverse("core_spreadsheet_exports"))}
