from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """Which optional e-mails an address receives; keyed by e-mail so guests can opt out too."""

    CATEGORIES = ("updates", "reminders", "digests")

    email = models.EmailField(_("e-mail address"), unique=True)
    updates = models.BooleanField(_("updates and progress of initiatives"), default=True)
    reminders = models.BooleanField(_("reminders before tasks"), default=True)
    digests = models.BooleanField(_("digests for initiators"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return self.email


class SentMessage(models.Model):
    """The sent-once log: one row per (message, object, recipient), claimed before sending.

    ``sent_at`` stays empty until the mail went out; an unsent claim older than
    ``notifications.base.CLAIM_LEASE`` belongs to a sender that died and is taken over.
    ``failed_at`` marks a mail that could not be built for this recipient; it stays failed.
    """

    message = models.CharField(max_length=64)
    object_key = models.CharField(max_length=100)
    recipient = models.EmailField()
    claim = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "object_key", "recipient"], name="message_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.message} {self.object_key} → {self.recipient}"
