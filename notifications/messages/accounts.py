"""Messages about organisations."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation
from notifications.base import Message, Recipient, absolute, register


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
