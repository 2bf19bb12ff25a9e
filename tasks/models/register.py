"""Messages about items of the neighbourhood's register, kept on the platform.

A resident writes to an item's owner; the owner (the person, or an admin of the
organisation) reads and answers on the platform. Mail only says that a message came, with
its text and a link to the conversation: no address is ever shown to the other side, and
the mail comes from the platform, so replying to it reaches nobody's private inbox.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import limits


class RegisterMessage(models.Model):
    """One message in a conversation about a register item.

    The first message of a conversation (``thread`` empty) is written by a resident to
    the item's owner. Every answer points to that first message; ``to_owner`` says which
    side it goes to: the owner's side, or back to the resident who started it.
    """

    item = models.ForeignKey(
        "tasks.Offer", on_delete=models.CASCADE, related_name="register_messages"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="register_messages"
    )
    to_owner = models.BooleanField(default=True)
    body = models.TextField(
        _("message"),
        max_length=limits.REGISTER_MESSAGE,
        validators=limits.text_limit(limits.REGISTER_MESSAGE),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message about a register item")
        verbose_name_plural = _("messages about register items")

    def __str__(self):
        return f"{self.sender} → {self.item}"

    @property
    def conversation(self):
        """The first message of the conversation this one belongs to."""
        return self.thread if self.thread_id else self
