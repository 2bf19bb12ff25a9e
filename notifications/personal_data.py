"""E-mail's part of a person's data: their preferences and the log of mail sent to them.

Registered with ``accounts.personal_data`` in :meth:`NotificationsConfig.ready`. Both are
keyed by address, not by account, so the cascade of a deleted user would leave them.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationPreference, SentMessage

# The sent-once log is kept two years: long enough that no message is sent twice, short
# enough not to be a history of someone's mail (see docs/privacy.md).
SENT_MESSAGE_RETENTION = timedelta(days=2 * 365)


class NotificationsPart:
    key = "notifications"
    label = _("E-mail")
    order = 30

    def export(self, user):
        email = user.email.lower()
        preference = NotificationPreference.objects.filter(email__iexact=email).first()
        return {
            "preferences": {
                category: getattr(preference, category) if preference else True
                for category in NotificationPreference.CATEGORIES
            },
            "messages_sent": [
                {"message": message, "about": object_key, "sent": sent_at.isoformat()}
                for message, object_key, sent_at in SentMessage.objects.filter(
                    recipient__iexact=email, sent_at__isnull=False
                ).values_list("message", "object_key", "sent_at")
            ],
        }

    def blockers(self, user):
        return []

    def erase(self, user):
        SentMessage.objects.filter(recipient__iexact=user.email).delete()
        NotificationPreference.objects.filter(email__iexact=user.email).delete()


def prune_sent_messages(now=None):
    """Forget the sent-once log older than two years; returns how many rows went."""
    cutoff = (now or timezone.now()) - SENT_MESSAGE_RETENTION
    return SentMessage.objects.filter(claimed_at__lt=cutoff).delete()[0]
