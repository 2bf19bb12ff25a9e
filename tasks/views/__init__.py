"""Tasks: signing up, offering space or material, and the initiator's task management.

The views live in one module per concept; ``tasks.urls`` routes to those modules. The
page sizes are read from their own modules (``mine.MY_TASKS_PER_PAGE``,
``listing.TASKS_PER_PAGE``), so that is where a test changes them.
"""

from tasks.views.listing import initiative_tasks
from tasks.views.manage import (
    confirm_hours,
    decide_offer,
    manage_tasks,
    request_standing_offer,
    task_done,
    task_form,
)
from tasks.views.mine import my_tasks
from tasks.views.offers import answer_offer_request, make_offer, new_standing_offer, withdraw_offer
from tasks.views.signups import task_sign_up, task_withdraw

__all__ = [
    "answer_offer_request",
    "confirm_hours",
    "decide_offer",
    "initiative_tasks",
    "make_offer",
    "manage_tasks",
    "my_tasks",
    "new_standing_offer",
    "request_standing_offer",
    "task_done",
    "task_form",
    "task_sign_up",
    "task_withdraw",
    "withdraw_offer",
]
