from tasks.models.base import StateMachineModel
from tasks.models.offer import (
    MAX_OFFER_VALUE_CENTS,
    MAX_SPACE_CAPACITY,
    Offer,
    OfferKind,
    OfferStatus,
)
from tasks.models.register import RegisterMessage
from tasks.models.signup import SignUp, SignUpStatus
from tasks.models.task import MAX_TASK_QUANTITY, TASK_UNIT_LENGTH, Task, TaskKind, TaskStatus

__all__ = [
    "MAX_OFFER_VALUE_CENTS",
    "MAX_SPACE_CAPACITY",
    "MAX_TASK_QUANTITY",
    "TASK_UNIT_LENGTH",
    "Offer",
    "OfferKind",
    "OfferStatus",
    "RegisterMessage",
    "SignUp",
    "SignUpStatus",
    "StateMachineModel",
    "Task",
    "TaskKind",
    "TaskStatus",
]
