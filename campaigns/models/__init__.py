from campaigns.models.audit import AuditEntry
from campaigns.models.campaign import Campaign
from campaigns.models.ledger import Pledge
from campaigns.models.pages import BudgetLine, Category, FundingModel, InitiativePage

__all__ = [
    "AuditEntry",
    "BudgetLine",
    "Campaign",
    "Category",
    "FundingModel",
    "InitiativePage",
    "Pledge",
]
