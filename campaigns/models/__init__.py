from campaigns.models.audit import AuditEntry
from campaigns.models.campaign import Campaign
from campaigns.models.funding import FundingProgramme, Match, ProgrammeApplication
from campaigns.models.impact import ImpactPhoto, ImpactReport
from campaigns.models.ledger import PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.models.pages import BudgetLine, Category, FundingModel, InitiativePage
from campaigns.models.payouts import Payout, PayoutAccount, PayoutBatch
from campaigns.models.spending import Receipt, SpendingProof
from campaigns.models.updates import DigestItem, Follow, InitiativeUpdate

__all__ = [
    "AuditEntry",
    "BudgetLine",
    "Campaign",
    "Category",
    "DigestItem",
    "Follow",
    "ImpactPhoto",
    "ImpactReport",
    "InitiativeUpdate",
    "FundingModel",
    "FundingProgramme",
    "Match",
    "ProgrammeApplication",
    "InitiativePage",
    "PaymentAttempt",
    "Payout",
    "PayoutAccount",
    "PayoutBatch",
    "Pledge",
    "Receipt",
    "Refund",
    "SpendingProof",
    "WebhookEvent",
]
