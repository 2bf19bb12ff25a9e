"""What the tasks app does when a lower app announces something (``core.events``)."""

from accounts.events import OrganisationVisibilityChanged
from cms.models import NeighbourhoodPage
from core.events import subscribe
from tasks.models import Offer
from tasks.reporting import forget_register_after_commit


@subscribe(OrganisationVisibilityChanged)
def forget_pages_with_organisation_offers(event):
    """An organisation was hidden or restored: the neighbourhood pages and registers that
    list its standing offers are drawn again on their next request."""
    neighbourhood_ids = Offer.objects.filter(
        organisation_id=event.organisation_id, neighbourhood__isnull=False
    ).values("neighbourhood_id")
    for neighbourhood in NeighbourhoodPage.objects.filter(pk__in=neighbourhood_ids):
        forget_register_after_commit(neighbourhood)
