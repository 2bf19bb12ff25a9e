"""Asking for a standing offer: only an active one of the initiative's own neighbourhood, and
someone else's offer counts only once its giver agreed."""

import pytest
from django.core import mail

from accounts.models import Membership
from campaigns.services import ledger_totals
from tasks import services
from tasks.models import Offer, Task
from tests.factories import (
    NeighbourhoodPageFactory,
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def material_task(neighbourhood):
    campaign = make_initiative(neighbourhood)
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.MATERIAL, people_needed=1)
    return campaign, task


def standing(neighbourhood, user, organisation=None):
    return services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=user,
        organisation=organisation,
        kind="material",
        description="Verf over van de verbouwing",
        estimated_value_cents=40_00,
    )


def test_only_an_active_standing_offer_can_be_asked_for(client, neighbourhood, material_task):
    campaign, task = material_task
    owner = UserFactory()
    offer = standing(neighbourhood, owner)
    services.withdraw_offer(offer=offer, user=owner)
    client.force_login(campaign.initiators.get())

    response = client.post(f"/en/tasks/{task.pk}/request/{offer.pk}/", follow=True)

    assert "no longer available" in response.content.decode()
    assert not Offer.objects.filter(task=task).exists()


def test_only_a_standing_offer_of_the_same_neighbourhood(client, neighbourhood, material_task):
    campaign, task = material_task
    elsewhere = NeighbourhoodPageFactory(parent=neighbourhood.get_parent())
    offer = standing(elsewhere, UserFactory())
    client.force_login(campaign.initiators.get())

    response = client.post(f"/en/tasks/{task.pk}/request/{offer.pk}/", follow=True)

    assert "in the neighbourhood of your initiative" in response.content.decode()
    assert not Offer.objects.filter(task=task).exists()


def test_someone_elses_offer_waits_for_the_giver_and_counts_only_then(
    client, neighbourhood, material_task, django_capture_on_commit_callbacks
):
    campaign, task = material_task
    initiator = campaign.initiators.get()
    owner = UserFactory(email="eigenaar@example.nl")
    offer = standing(neighbourhood, owner)
    client.force_login(initiator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tasks/{task.pk}/request/{offer.pk}/")
    requested = Offer.objects.get(task=task)
    assert requested.status == Offer.Status.REQUESTED
    assert [m.to for m in mail.outbox] == [["eigenaar@example.nl"]]

    # The initiator cannot accept it on the giver's behalf.
    response = client.post(
        f"/en/tasks/offers/{requested.pk}/decide/", {"decision": "accept"}, follow=True
    )
    assert "waiting for its giver to agree" in response.content.decode()
    requested.refresh_from_db()
    campaign.refresh_from_db()
    assert requested.status == Offer.Status.REQUESTED
    assert campaign.supporter_count == 0 == ledger_totals(campaign)[1]

    client.force_login(owner)
    my_tasks = client.get("/en/tasks/mine/").content.decode()
    assert "Requests for your offers" in my_tasks
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/tasks/offers/{requested.pk}/answer/", {"decision": "accept"})

    requested.refresh_from_db()
    task.refresh_from_db()
    campaign.refresh_from_db()
    assert requested.status == Offer.Status.ACCEPTED
    assert task.status == Task.Status.FULL
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]
    assert mail.outbox[-1].to == [initiator.email]


def test_the_giver_may_decline(client, neighbourhood, material_task):
    campaign, task = material_task
    owner = UserFactory()
    requested = services.request_standing_offer(
        task=task, standing_offer=standing(neighbourhood, owner), user=campaign.initiators.get()
    )
    client.force_login(owner)
    client.post(f"/tasks/offers/{requested.pk}/answer/", {"decision": "decline"})
    requested.refresh_from_db()
    campaign.refresh_from_db()
    assert requested.status == Offer.Status.DECLINED
    assert campaign.supporter_count == 0


def test_an_organisations_offer_is_answered_by_its_admins(
    client, neighbourhood, material_task, django_capture_on_commit_callbacks
):
    campaign, task = material_task
    organisation = OrganisationFactory()
    member = UserFactory(email="lid@example.nl")
    admin = UserFactory(email="beheerder@example.nl")
    Membership.objects.create(organisation=organisation, user=member)
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        requested = services.request_standing_offer(
            task=task,
            standing_offer=standing(neighbourhood, member, organisation),
            user=campaign.initiators.get(),
        )
    assert [m.to for m in mail.outbox] == [["beheerder@example.nl"]]

    client.force_login(member)
    assert (
        client.post(f"/tasks/offers/{requested.pk}/answer/", {"decision": "accept"}).status_code
        == 403
    )
    client.force_login(admin)
    client.post(f"/tasks/offers/{requested.pk}/answer/", {"decision": "accept"})

    requested.refresh_from_db()
    campaign.refresh_from_db()
    assert requested.status == Offer.Status.ACCEPTED
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]


def test_an_initiator_asking_for_their_own_offer_accepts_it_themselves(
    neighbourhood, material_task
):
    campaign, task = material_task
    initiator = campaign.initiators.get()
    requested = services.request_standing_offer(
        task=task, standing_offer=standing(neighbourhood, initiator), user=initiator
    )
    assert requested.status == Offer.Status.OFFERED
    services.decide_offer(offer=requested, accept=True, user=initiator)
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]
