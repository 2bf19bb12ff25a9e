"""State changes of tasks, sign-ups and offers.

Each function runs in one transaction and takes its row locks before its first write, in
the platform's order: campaign, then task, then sign-up or offer (see
``campaigns.services.locks``). So a task never gets more helpers than it needs, however
many people click at once, and the cached totals move with the ledger. State changes go
through the transitions declared on the models. What happened is announced
(``tasks.events``) in the same transaction, through the outbox.
"""

from tasks.services.common import (
    OfferNotAllowed,
    TaskClosed,
    TaskFull,
    lock_task,
    still_needed,
)
from tasks.services.edits import delete_task, mark_task_done, save_task, save_task_edits
from tasks.services.offers import (
    answer_offer_request,
    decide_offer,
    is_offer_owner,
    list_standing_offer,
    make_offer,
    matching_standing_offers,
    request_standing_offer,
    requests_for_owner,
    withdraw_offer,
)
from tasks.services.register import (
    RegisterItemGone,
    change_register_item,
    owned_register_items,
    reply,
    takes_part,
    write_to_owner,
)
from tasks.services.removal import delete_offer, delete_signup, release_user_support
from tasks.services.signups import (
    HoursNeedConfirmation,
    confirm_hours,
    is_unusual_hours,
    sign_up,
    withdraw,
)

__all__ = [
    "HoursNeedConfirmation",
    "OfferNotAllowed",
    "RegisterItemGone",
    "TaskClosed",
    "TaskFull",
    "answer_offer_request",
    "change_register_item",
    "confirm_hours",
    "decide_offer",
    "delete_offer",
    "delete_signup",
    "delete_task",
    "is_offer_owner",
    "is_unusual_hours",
    "list_standing_offer",
    "lock_task",
    "make_offer",
    "mark_task_done",
    "owned_register_items",
    "matching_standing_offers",
    "release_user_support",
    "reply",
    "request_standing_offer",
    "requests_for_owner",
    "save_task",
    "save_task_edits",
    "takes_part",
    "sign_up",
    "still_needed",
    "withdraw",
    "withdraw_offer",
    "write_to_owner",
]
