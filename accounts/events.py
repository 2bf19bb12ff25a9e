"""What accounts announce (see ``core.events``)."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class OrganisationInvited(Event):
    name = "organisation.invited"
    invitation_id: int
