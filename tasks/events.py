"""What the time and in-kind side announces (see ``core.events``); ``notifications`` listens."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class SignedUp(Event):
    name = "signup.created"
    signup_id: int


@dataclass(frozen=True)
class SignUpWithdrawn(Event):
    name = "signup.withdrawn"
    signup_id: int


@dataclass(frozen=True)
class OfferDecided(Event):
    """The initiator accepted or declined an offer."""

    name = "offer.decided"
    offer_id: int


@dataclass(frozen=True)
class OfferRequested(Event):
    """An initiator asked someone else's standing offer for a task; ``offer_id`` is the new
    task offer, waiting for its giver to agree."""

    name = "offer.requested"
    offer_id: int


@dataclass(frozen=True)
class OfferRequestAnswered(Event):
    """The giver agreed to or turned down an initiator's request for their standing offer."""

    name = "offer.request_answered"
    offer_id: int


@dataclass(frozen=True)
class TaskChanged(Event):
    """``version`` (an audit entry id) makes each change news of its own."""

    name = "task.changed"
    task_id: int
    version: int


@dataclass(frozen=True)
class TaskCancelled(Event):
    """The task is deleted with the event, so the event carries what the message needs:
    ``recipients`` is a list of ``[email, language, name]``."""

    name = "task.cancelled"
    task_id: int
    title: str
    page_title: str
    recipients: list


@dataclass(frozen=True)
class RegisterMessageSent(Event):
    """A resident wrote to the owner of a register item, or one side answered the other."""

    name = "register.message_sent"
    message_id: int
