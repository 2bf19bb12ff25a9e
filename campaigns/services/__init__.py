"""State changes of initiatives, pledges, payments and refunds.

Views, webhooks, Wagtail admin actions and Celery jobs all call these functions. Each
runs in one transaction, locks the rows it counts or changes (campaign first, then
pledge), writes an audit entry, and announces follow-up work on commit (see ``signals``).
"""

from campaigns.services.errors import (
    AmountNotAllowed,
    CampaignClosed,
    PaymentProviderUnavailable,
    PledgeNotRefundable,
    ServiceError,
    TransitionNotAllowed,
)
from campaigns.services.initiatives import (
    create_initiative,
    delete_draft,
    mark_live,
    request_changes,
    save_initiative_draft,
    submit_for_review,
    withdraw_from_review,
)
from campaigns.services.totals import ledger_totals, recount_totals

__all__ = [
    "AmountNotAllowed",
    "CampaignClosed",
    "PaymentProviderUnavailable",
    "PledgeNotRefundable",
    "ServiceError",
    "TransitionNotAllowed",
    "create_initiative",
    "delete_draft",
    "ledger_totals",
    "mark_live",
    "recount_totals",
    "request_changes",
    "save_initiative_draft",
    "submit_for_review",
    "withdraw_from_review",
]
