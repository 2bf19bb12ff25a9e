from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
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


def private_storage():
    return storages["private"]


def export_path(instance, filename):
    """A random name in the private storage: it is read only through the owner's download."""
    return f"exports/{instance.token}/{filename}"


class SpreadsheetExport(FSMModelMixin, models.Model):
    """A staff member's CSV of an admin listing with too many rows to stream in a request.

    The listing's own view builds it in a job (``core.stored_exports``), with the filters
    and the permissions and language of the staff member who asked; the file is private,
    downloaded only by them until ``expires_at``. The row stays after the file is gone (who
    exported which list with which filters, and when) until their account is deleted.
    """

    LIFETIME = timedelta(days=7)

    class Status(models.TextChoices):
        QUEUED = "queued", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    class Failure(models.TextChoices):
        NOT_ALLOWED = "not_allowed", _("You may no longer see this list.")
        NEVER_BUILT = "never_built", _("The file was never made. Ask for it again.")
        BUILD_FAILED = (
            "build_failed",
            _("The file could not be made. Ask for it again, or filter the list."),
        )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(_("list"), max_length=120)
    listing_path = models.CharField(max_length=255)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    filename = models.CharField(max_length=120)
    status = FSMField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, protected=True
    )
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    failure = models.CharField(max_length=16, choices=Failure.choices, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("spreadsheet export")
        verbose_name_plural = _("spreadsheet exports")
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="export_by_requester"),
            models.Index(
                fields=["status", "requested_at"],
                condition=models.Q(status__in=["queued", "ready"]),
                name="export_open",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.requested_at:%Y-%m-%d %H:%M})"

    @transition(field=status, source=Status.QUEUED, target=Status.READY)
    def finish(self):
        """The file is stored."""
        self.finished_at = timezone.now()
        self.expires_at = self.finished_at + self.LIFETIME

    @transition(field=status, source=Status.QUEUED, target=Status.FAILED)
    def give_up(self):
        """The job failed on every try, or the listing refused the staff member."""
        self.finished_at = timezone.now()

    @transition(field=status, source=Status.READY, target=Status.EXPIRED)
    def expire(self):
        """Its lifetime is over; the file is deleted."""
