"""What cms announces (see ``core.events``)."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class ContactMessageReceived(Event):
    """Someone sent the contact form; ``submission_id`` is Wagtail's ``FormSubmission``."""

    name = "cms.contact_message_received"
    submission_id: int
