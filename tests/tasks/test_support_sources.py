"""Help and accepted offers reach the campaign totals through registered support sources."""

import pytest

from accounts.models import Membership
from campaigns.services.totals import (
    distinct_supporters,
    ledger_totals,
    recount_totals,
    support_sources,
)
from tasks import services
from tasks.models import Task
from tests.factories import (
    OrganisationFactory,
    PledgeFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


def test_the_tasks_app_registers_sign_ups_and_offers():
    assert [source.kind for source in support_sources()] == ["pledge", "signup", "offer"]


def test_each_person_and_organisation_counts_once_across_campaigns():
    neighbourhood = site_tree()[2]
    first = make_initiative(neighbourhood, title="Speeltuin")
    second = make_initiative(neighbourhood, title="Moestuin")
    person, member = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    Membership.objects.create(organisation=organisation, user=member)
    PledgeFactory(campaign=first, donor=person, guest_email="")
    PledgeFactory(campaign=second, guest_email="Gast@Example.nl")
    PledgeFactory(campaign=first, guest_email="gast@example.nl")
    services.sign_up(task=TaskFactory(initiative=second.page), user=person)
    for campaign in (first, second):
        recount_totals(campaign=campaign)
        space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
        offer = services.make_offer(
            task=space,
            user=member,
            organisation=organisation,
            kind=Task.Kind.SPACE,
            description="Kantine",
        )
        services.decide_offer(offer=offer, accept=True, user=campaign.initiators.get())

    # person, the guest and the organisation (its member does not count on their own)
    assert distinct_supporters([first, second]) == 3
    assert ledger_totals(first) == (50_00, 3)
    assert ledger_totals(second) == (25_00, 3)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.supporter_count, second.supporter_count) == (3, 3)
