"""Impact after realisation: what happened, told by the initiators of a realised initiative.

Running state beside the campaign, not a page revision: it is published at once and
moderated afterwards through abuse reports (``core.reports``), like updates. A hidden
report leaves the page and the meter.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import limits

MAX_PARTICIPANTS = 100_000
MAX_PHOTOS = 6


class ImpactReport(models.Model):
    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="impact_report"
    )
    participants = models.PositiveIntegerField(
        _("participants"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTICIPANTS)],
    )
    story = models.TextField(
        _("what happened"),
        max_length=limits.IMPACT_STORY,
        validators=limits.text_limit(limits.IMPACT_STORY),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when a moderator hides the report after reports of abuse (core.reports).
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants__gte=1, participants__lte=MAX_PARTICIPANTS),
                name="impact_participants_in_range",
            )
        ]

    def __str__(self):
        return f"{self.campaign.page.title}: {self.participants}"


class ImpactPhoto(models.Model):
    """A public photo (a Wagtail image, so it renders through renditions) with its alt text."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(
        _("description for screen readers"), max_length=limits.IMAGE_ALT_TEXT
    )
    position = models.PositiveSmallIntegerField(default=0)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("impact photo")
        verbose_name_plural = _("impact photos")

    def __str__(self):
        return self.alt_text
