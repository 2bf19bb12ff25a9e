"""Tasks: signing up, offering space or material, and the initiator's task management.

The views live in one module per concept; ``tasks.urls`` routes to those modules. Page
sizes are not re-exported: a test changes one in the module that reads it
(``mine.MY_TASKS_PER_PAGE``).
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
