"""The contact form's message to the moderators."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission

from accounts.permissions import MODERATOR_GROUP
from cms.models import PlatformSettings
from notifications.base import Message, Recipient, absolute, recipient_for_user, register


def moderator_recipients(site=None):
    """Every active moderator, and the platform's contact address when one is set."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATOR_GROUP)
        .distinct()
        .order_by("pk")
    )
    recipients = [recipient_for_user(user) for user in users]
    contact_email = PlatformSettings.for_site(site).contact_email if site is not None else ""
    if contact_email:
        recipients.append(Recipient(email=contact_email.lower()))
    return recipients


@register
class ContactMessage(Message):
    """A visitor's message from the contact page; replying answers the visitor."""

    key = "contact_message"
    template = "contact_message"

    @classmethod
    def load(cls, object_id):
        return FormSubmission.objects.select_related("page").get(pk=object_id)

    def recipients(self):
        return moderator_recipients(self.obj.page.get_site())

    def subject(self, recipient):
        return _("Contact form: %(subject)s") % {"subject": self.obj.form_data.get("subject", "")}

    def context(self, recipient):
        return {
            "data": self.obj.form_data,
            "submissions_url": absolute(
                reverse("wagtailforms:list_submissions", args=[self.obj.page_id])
            ),
        }

    def build(self, recipient, connection=None, preference_id=None):
        email = super().build(recipient, connection, preference_id)
        email.reply_to = [self.obj.form_data["email"]]
        return email
