"""What the money side announces (see ``core.events``); ``notifications`` listens."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class PledgePaid(Event):
    name = "pledge.paid"
    pledge_id: int


@dataclass(frozen=True)
class PledgeFailed(Event):
    """A payment failed or its checkout session expired."""

    name = "pledge.failed"
    pledge_id: int


@dataclass(frozen=True)
class PledgeRefunded(Event):
    name = "pledge.refunded"
    pledge_id: int


@dataclass(frozen=True)
class CampaignMilestoneReached(Event):
    name = "campaign.milestone_reached"
    campaign_id: int
    percent: int


@dataclass(frozen=True)
class CampaignSettled(Event):
    """The deadline passed: ``status`` is the campaign's new status (succeeded or failed)."""

    name = "campaign.settled"
    campaign_id: int
    status: str


@dataclass(frozen=True)
class CampaignApproved(Event):
    name = "campaign.approved"
    campaign_id: int


@dataclass(frozen=True)
class ChangesRequested(Event):
    """Moderators asked for changes; ``version`` (an audit entry id) makes each request news."""

    name = "campaign.changes_requested"
    campaign_id: int
    version: int


@dataclass(frozen=True)
class CampaignCancelled(Event):
    name = "campaign.cancelled"
    campaign_id: int


@dataclass(frozen=True)
class UpdatePosted(Event):
    name = "update.posted"
    update_id: int


@dataclass(frozen=True)
class PayoutPaid(Event):
    """The bank confirmed the batch: the initiators' money has arrived."""

    name = "payout.paid"
    payout_id: int
