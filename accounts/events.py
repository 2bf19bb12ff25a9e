"""What accounts announce (see ``core.events``)."""

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class OrganisationInvited(Event):
    name = "organisation.invited"
    invitation_id: int


@dataclass(frozen=True)
class DataExportReady(Event):
    name = "account.data_export_ready"
    export_id: int


@dataclass(frozen=True)
class OrganisationVisibilityChanged(Event):
    """A moderator hid an organisation profile or put it back: pages that show its
    standing offers must be drawn again."""

    name = "organisation.visibility_changed"
    organisation_id: int
