from campaigns.models.audit import AuditEntry
from campaigns.models.campaign import Campaign
from campaigns.models.ledger import PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.models.pages import BudgetLine, Category, FundingModel, InitiativePage

__all__ = [
    "AuditEntry",
    "BudgetLine",
    "Campaign",
    "Category",
    "FundingModel",
    "InitiativePage",
    "PaymentAttempt",
    "Pledge",
    "Refund",
    "WebhookEvent",
]
