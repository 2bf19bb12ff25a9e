"""Every e-mail the platform sends, one class each, registered in ``REGISTRY`` by key."""

from notifications.base import REGISTRY
from notifications.messages.accounts import (
    DataExportReady,
    OrganisationInvitation,
    SpreadsheetExportReady,
)
from notifications.messages.campaigns import (
    CampaignCancelled,
    CampaignFailed,
    CampaignMessage,
    CampaignSucceeded,
    ChangesRequested,
    GoalReachedMilestone,
    HalfwayMilestone,
    InitiatorDigest,
    Milestone,
    ModerationApproved,
    UpdatePosted,
)
from notifications.messages.contact import ContactMessage, moderator_recipients
from notifications.messages.payouts import PayoutMessage, PayoutPaid, SpendingProofReminder
from notifications.messages.pledges import (
    DonationReceipt,
    PaymentFailed,
    PledgeMessage,
    RefundCompleted,
)
from notifications.messages.register import RegisterMessageReceived
from notifications.messages.tasks import (
    OfferAccepted,
    OfferDecision,
    OfferDeclined,
    OfferRequestAnswered,
    SignUpConfirmation,
    SignUpMessage,
    SignUpWithdrawn,
    StandingOfferRequested,
    TaskCancelled,
    TaskChanged,
    TaskReminder,
)
from notifications.recipients import donor_recipient, initiator_recipients, supporter_recipients

__all__ = [
    "REGISTRY",
    "CampaignCancelled",
    "CampaignFailed",
    "CampaignMessage",
    "CampaignSucceeded",
    "ChangesRequested",
    "ContactMessage",
    "DataExportReady",
    "DonationReceipt",
    "GoalReachedMilestone",
    "HalfwayMilestone",
    "InitiatorDigest",
    "Milestone",
    "ModerationApproved",
    "OfferAccepted",
    "OfferDeclined",
    "OfferDecision",
    "OfferRequestAnswered",
    "OrganisationInvitation",
    "PaymentFailed",
    "PayoutMessage",
    "PayoutPaid",
    "PledgeMessage",
    "RefundCompleted",
    "RegisterMessageReceived",
    "SignUpConfirmation",
    "SignUpMessage",
    "SignUpWithdrawn",
    "SpendingProofReminder",
    "SpreadsheetExportReady",
    "StandingOfferRequested",
    "TaskCancelled",
    "TaskChanged",
    "TaskReminder",
    "UpdatePosted",
    "donor_recipient",
    "initiator_recipients",
    "moderator_recipients",
    "supporter_recipients",
]
