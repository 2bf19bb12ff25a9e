"""Messages about an initiative: digest, milestones, outcome, moderation, updates."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, InitiativeUpdate
from cms.money import format_money
from notifications.base import Message, absolute, register
from notifications.recipients import (
    initiator_audience,
    initiator_recipients,
    page_url,
    supporter_audience,
)


class CampaignMessage(Message):
    @classmethod
    def load(cls, object_id):
        return Campaign.objects.select_related("page").get(pk=object_id)

    def context(self, recipient):
        campaign = self.obj
        return {
            "campaign": campaign,
            "page": campaign.page,
            "page_url": page_url(campaign.page),
            "raised": format_money(campaign.raised_cents, campaign.currency),
            "goal": format_money(campaign.page.goal_cents, campaign.currency),
        }


@register
class InitiatorDigest(CampaignMessage):
    """New donations, sign-ups and offers, gathered for the initiators at most once an hour."""

    key = "initiator_digest"
    template = "initiator_digest"
    category = "digests"

    def __init__(self, obj, items=(), hour=None, total=None):
        super().__init__(obj)
        self.items = list(items)
        self.total = len(self.items) if total is None else total
        self.hour = hour or timezone.now().strftime("%Y%m%d%H")

    @property
    def object_key(self):
        return f"campaign:{self.obj.pk}:{self.hour}"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("New for %(title)s: %(count)s") % {
            "title": self.obj.page.title,
            "count": self.total,
        }

    def context(self, recipient):
        return {
            **super().context(recipient),
            "items": self.items,
            "more": self.total - len(self.items),
        }


class Milestone(CampaignMessage):
    category = "updates"
    percent = 0

    def audience(self):
        return {**initiator_audience(self.obj), **supporter_audience(self.obj, updates=True)}

    def subject(self, recipient):
        return _("%(title)s reached %(percent)s%% of its goal") % {
            "title": self.obj.page.title,
            "percent": self.percent,
        }

    def context(self, recipient):
        return {**super().context(recipient), "percent": self.percent}


@register
class HalfwayMilestone(Milestone):
    key = "milestone_50"
    template = "milestone"
    percent = 50


@register
class GoalReachedMilestone(Milestone):
    key = "milestone_100"
    template = "milestone"
    percent = 100


@register
class CampaignSucceeded(CampaignMessage):
    key = "campaign_succeeded"
    template = "campaign_succeeded"

    def audience(self):
        return supporter_audience(self.obj)

    def subject(self, recipient):
        return _("%(title)s is funded!") % {"title": self.obj.page.title}


@register
class CampaignFailed(CampaignMessage):
    key = "campaign_failed"
    template = "campaign_failed"

    def audience(self):
        return supporter_audience(self.obj)

    def subject(self, recipient):
        return _("%(title)s did not reach its goal") % {"title": self.obj.page.title}


@register
class CampaignCancelled(CampaignMessage):
    """The initiative was cancelled: donors (refunded), helpers and followers hear of it."""

    key = "campaign_cancelled"
    template = "campaign_cancelled"

    def audience(self):
        return supporter_audience(self.obj, with_followers=True)

    def subject(self, recipient):
        return _("%(title)s has been cancelled") % {"title": self.obj.page.title}


@register
class ModerationApproved(CampaignMessage):
    key = "moderation_approved"
    template = "moderation_approved"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("Your initiative %(title)s is live") % {"title": self.obj.page.title}


@register
class ChangesRequested(CampaignMessage):
    key = "changes_requested"
    template = "changes_requested"

    def __init__(self, obj, version=None):
        super().__init__(obj)
        self.version = version

    @property
    def object_key(self):
        return f"campaign:{self.obj.pk}:v{self.version}"

    def recipients(self):
        return initiator_recipients(self.obj)

    def subject(self, recipient):
        return _("The moderators ask for changes to %(title)s") % {
            "title": self.obj.page.draft_title
        }

    def context(self, recipient):
        return {
            **super().context(recipient),
            "comment": self.obj.moderator_note,
            "edit_url": absolute(reverse("campaigns:edit", args=[self.obj.page_id])),
        }


@register
class UpdatePosted(Message):
    key = "update_posted"
    template = "update_posted"
    category = "updates"

    @classmethod
    def load(cls, object_id):
        return InitiativeUpdate.objects.select_related("campaign__page").get(pk=object_id)

    def audience(self):
        return supporter_audience(self.obj.campaign, with_followers=True, updates=True)

    def is_current(self):
        """A moderator may have hidden the update before its mail went out."""
        return self.obj.hidden_at is None

    def subject(self, recipient):
        return _("News from %(title)s: %(update)s") % {
            "title": self.obj.campaign.page.title,
            "update": self.obj.title,
        }

    def context(self, recipient):
        page = self.obj.campaign.page
        return {
            "update": self.obj,
            "page": page,
            "page_url": page_url(page),
            "paragraphs": [p for p in self.obj.body.split("\n\n") if p.strip()],
        }
