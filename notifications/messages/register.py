"""Messages about the neighbourhood's register."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from notifications.base import Message, absolute, register
from notifications.recipients import recipient_for_user
from tasks.models import RegisterMessage


@register
class RegisterMessageReceived(Message):
    """A message about a register item, for the side that did not write it.

    It carries the text and a link to the conversation on the platform, where the answer
    is written. It comes from the platform's address with no ``Reply-To``: neither side's
    address is in it, and the sender is named by their public name only.
    """

    key = "register_message"
    template = "register_message"

    @classmethod
    def load(cls, object_id):
        return RegisterMessage.objects.select_related(
            "item__organisation", "item__user", "item__neighbourhood", "sender", "thread__sender"
        ).get(pk=object_id)

    def recipients(self):
        item = self.obj.item
        if not self.obj.to_owner:
            return [recipient_for_user(self.obj.conversation.sender)]
        if item.organisation_id:
            admins = item.organisation.members.filter(
                is_active=True, membership__role=Membership.Role.ADMIN
            )
            return [recipient_for_user(admin) for admin in admins]
        return [recipient_for_user(item.user)]

    def is_current(self):
        """Not once a moderator hid the item."""
        return self.obj.item.hidden_at is None

    def sender_name(self):
        item = self.obj.item
        if not self.obj.to_owner and item.organisation_id:
            return item.organisation.name
        return self.obj.sender.public_name

    def subject(self, recipient):
        return _("%(name)s wrote about “%(item)s”") % {
            "name": self.sender_name(),
            "item": self.obj.item.description,
        }

    def context(self, recipient):
        conversation = self.obj.conversation
        return {
            "message": self.obj,
            "item": self.obj.item,
            "sender_name": self.sender_name(),
            "conversation_url": absolute(
                reverse("tasks:register_conversation", args=[conversation.pk])
            ),
        }
