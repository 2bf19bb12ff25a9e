import pytest

from accounts.models import Membership
from campaigns.services import updates as update_services
from tasks import services as task_services
from tasks.models import Offer
from tests.factories import OrganisationFactory, UserFactory, make_initiative, site_tree


@pytest.fixture
def tree(db):
    return site_tree()


@pytest.fixture
def update(tree):
    campaign = make_initiative(tree[2])
    return update_services.post_update(
        campaign=campaign,
        author=campaign.initiators.first(),
        title="Koop nu goedkope horloges",
        body="Klik hier voor de beste deals.",
    )


@pytest.fixture
def organisation(tree):
    organisation = OrganisationFactory(
        name="Bakkerij De Korst", neighbourhood=tree[2], description="Brood uit de wijk."
    )
    Membership.objects.create(organisation=organisation, user=UserFactory())
    return organisation


@pytest.fixture
def standing_offer(tree, organisation):
    return task_services.list_standing_offer(
        neighbourhood=tree[2],
        user=organisation.members.first(),
        organisation=organisation,
        kind=Offer.Kind.SPACE,
        description="Onze achterzaal op dinsdag",
    )
