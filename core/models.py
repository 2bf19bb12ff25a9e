from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core import limits


class Announcement(models.Model):
    """The outbox: one row per announced event, written in the announcing transaction.

    Delivery starts from the row after commit (``core.outbox``), so a change that
    committed is always delivered in the end, however the broker or a worker fails.
    ``next_attempt_at`` is when the sweep may pick the row up: a grace period after it
    was written (its own job should have run by then), the end of the lease while a
    worker delivers it, or the end of the back-off after a failure.
    """

    MAX_ATTEMPTS = 10

    name = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("announced at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    dead_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(delivered_at__isnull=True, dead_at__isnull=True),
                name="announcement_due",
            ),
            models.Index(
                fields=["dead_at"],
                condition=models.Q(dead_at__isnull=False),
                name="announcement_dead",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.payload}"

    @property
    def state(self):
        if self.delivered_at:
            return "delivered"
        if self.dead_at:
            return "dead"
        return "pending"


class Report(FSMModelMixin, models.Model):
    """A visitor's report that something published at once (an update, a standing offer,
    an organisation profile) is abusive. What may be reported is registered by the app
    that owns it (``core.reports``); moderators hide the item or dismiss its reports
    (``core.moderation``). ``email`` is personal data, optional and never shown publicly.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Hateful, threatening or offensive")
        PRIVACY = "privacy", _("Shares someone's personal data")
        FRAUD = "fraud", _("Misleading or a scam")
        ILLEGAL = "illegal", _("Against the law")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("item hidden")
        DISMISSED = "dismissed", _("dismissed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    text = models.CharField(_("what is wrong"), max_length=limits.REPORT_TEXT, blank=True)
    email = models.EmailField(_("e-mail address of the reporter"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = FSMField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, protected=True
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        indexes = [
            models.Index(
                fields=["content_type", "object_id"],
                condition=models.Q(status="open"),
                name="report_open_item",
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model}#{self.object_id}: {self.reason}"

    @transition(field=status, source=Status.OPEN, target=Status.HIDDEN)
    def hide(self):
        """A moderator agreed: the item is hidden from the public."""
        self.decided_at = timezone.now()

    @transition(field=status, source=Status.OPEN, target=Status.DISMISSED)
    def dismiss(self):
        """A moderator saw nothing wrong: the item stays."""
        self.decided_at = timezone.now()
