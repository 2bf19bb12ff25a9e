from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import limits


class InitiativeUpdate(models.Model):
    """News from the initiators, shown on the page and mailed to supporters and followers."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(
        _("text"), max_length=limits.UPDATE_BODY, validators=limits.text_limit(limits.UPDATE_BODY)
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set when a moderator hides the update after reports of abuse (core.reports).
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")

    def __str__(self):
        return self.title


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "campaign"], name="follow_once")]

    def __str__(self):
        return f"{self.user} follows {self.campaign_id}"


class DigestItem(models.Model):
    """Something new for the initiators, gathered into an hourly digest."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        SIGNUP = "signup", _("Sign-up")
        OFFER = "offer", _("Offer")
        WITHDRAWAL = "withdrawal", _("Withdrawn sign-up")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="digest_items"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="digest_item_once")
        ]

    def __str__(self):
        return self.summary
