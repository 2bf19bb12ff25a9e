from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
