"""Proof of spending: after the payout, receipts against the initiative's budget lines.

Receipt files are private. They live in the ``private`` storage (outside the public media
directory, never given a URL) and are served only by ``campaigns.views.spending``, which
asks ``campaigns.permissions.can_see_receipts``. The public page shows the amounts per
budget line, never the files.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core import limits
from core.models import private_storage


def receipt_path(instance, filename):
    """A random name: the uploader's file name says nothing about where it is stored."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"receipts/{instance.proof.campaign_id}/{uuid.uuid4().hex}.{extension}"


class ProofStatus(models.TextChoices):
    OPEN = "open", _("Being prepared")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


class SpendingProof(FSMModelMixin, models.Model):
    """The account of how one initiative spent its payout; a moderator approves it."""

    Status = ProofStatus

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="spending_proof"
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=ProofStatus.choices,
        default=ProofStatus.OPEN,
        protected=True,
    )
    moderator_note = models.TextField(
        _("note from the moderator"),
        blank=True,
        max_length=limits.MODERATOR_NOTE,
        validators=limits.text_limit(limits.MODERATOR_NOTE),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("proof of spending")
        verbose_name_plural = _("proofs of spending")

    def __str__(self):
        return f"{self.campaign.page.title} ({self.get_status_display()})"

    @transition(field=status, source=ProofStatus.OPEN, target=ProofStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=ProofStatus.SUBMITTED, target=ProofStatus.OPEN)
    def request_changes(self):
        pass

    @transition(field=status, source=ProofStatus.SUBMITTED, target=ProofStatus.APPROVED)
    def approve(self):
        pass


class Receipt(models.Model):
    """One receipt (an image or a PDF) and the amount it shows, against one budget line."""

    proof = models.ForeignKey(SpendingProof, on_delete=models.CASCADE, related_name="receipts")
    # An editor may replace the budget lines later; the receipt and its amount stay.
    budget_line = models.ForeignKey(
        "campaigns.BudgetLine",
        null=True,
        on_delete=models.SET_NULL,
        related_name="receipts",
        verbose_name=_("budget line"),
    )
    description = models.CharField(_("what was bought"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    file = models.FileField(_("receipt"), storage=private_storage, upload_to=receipt_path)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return self.description
