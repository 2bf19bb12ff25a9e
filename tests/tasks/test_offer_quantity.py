"""An offer covers a quantity of what a task needs: 6 of 10 planks, not 1 of 10."""

import pytest

from campaigns.services import ledger_totals
from tasks import services
from tasks.models import Offer, Task
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def planks():
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(
        initiative=campaign.page, kind=Task.Kind.MATERIAL, title="Planken", people_needed=10
    )
    return campaign, task


def _offer(task, quantity, user=None, **extra):
    return services.make_offer(
        task=task,
        user=user or UserFactory(),
        kind="material",
        description="Steigerplanken",
        quantity=quantity,
        **extra,
    )


def test_a_giver_offers_six_of_ten_planks_and_the_task_shows_it(client, planks):
    campaign, task = planks
    giver = UserFactory()
    client.force_login(giver)

    form_page = client.get(f"/en/tasks/{task.pk}/offer/").content.decode()
    assert "How many do you offer?" in form_page
    response = client.post(
        f"/tasks/{task.pk}/offer/",
        {"organisation": "", "description": "Steigerplanken", "quantity": "6"},
    )

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.quantity == 6
    initiator = campaign.initiators.get()
    services.decide_offer(offer=offer, accept=True, user=initiator)

    task.refresh_from_db()
    campaign.refresh_from_db()
    assert task.status == Task.Status.OPEN
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]
    page = client.get("/en" + campaign.page.url).content.decode()
    assert "6 of 10 promised" in page
    client.force_login(initiator)
    manage = client.get(f"/en/tasks/initiative/{campaign.page_id}/").content.decode()
    assert "6 of 10" in manage and "6 × Steigerplanken" in manage


def test_accepted_quantities_add_up_and_fill_the_task(planks):
    campaign, task = planks
    initiator = campaign.initiators.get()
    for quantity in (6, 4):
        services.decide_offer(offer=_offer(task, quantity), accept=True, user=initiator)
    task.refresh_from_db()
    assert task.status == Task.Status.FULL
    assert services.still_needed(task) == 0


def test_an_offer_above_what_is_still_needed_is_refused(planks):
    campaign, task = planks
    services.decide_offer(offer=_offer(task, 6), accept=True, user=campaign.initiators.get())

    with pytest.raises(services.OfferNotAllowed) as refusal:
        _offer(task, 5)

    assert str(refusal.value) == "Dit aanbod is voor 5, maar er zijn nog maar 4 nodig."
    assert Offer.objects.count() == 1


def test_accepting_more_than_is_still_needed_is_refused(planks):
    campaign, task = planks
    initiator = campaign.initiators.get()
    first, second = _offer(task, 7), _offer(task, 7)
    services.decide_offer(offer=first, accept=True, user=initiator)

    with pytest.raises(services.OfferNotAllowed):
        services.decide_offer(offer=second, accept=True, user=initiator)

    second.refresh_from_db()
    task.refresh_from_db()
    assert second.status == Offer.Status.OFFERED
    assert services.still_needed(task) == 3


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused_by_the_service(planks, quantity):
    _, task = planks
    with pytest.raises(services.OfferNotAllowed):
        _offer(task, quantity)
    assert Offer.objects.count() == 0


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("11", "You can offer at most 10: that is what is still needed."),
        ("0", "Offer at least 1."),
        ("veel", "Enter a whole number, for example 6."),
    ],
)
def test_the_offer_form_says_what_is_wrong_with_the_quantity(client, planks, quantity, message):
    _, task = planks
    client.force_login(UserFactory())
    response = client.post(
        f"/en/tasks/{task.pk}/offer/",
        {"organisation": "", "description": "Steigerplanken", "quantity": quantity},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["quantity"] == [message]
    assert Offer.objects.count() == 0


def test_a_single_space_needs_no_quantity(client):
    campaign = make_initiative(site_tree()[2])
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    client.force_login(UserFactory())
    assert "quantity" not in client.get(f"/en/tasks/{space.pk}/offer/").context["form"].fields
    client.post(f"/tasks/{space.pk}/offer/", {"organisation": "", "description": "Zaal"})
    assert Offer.objects.get().quantity == 1


def test_the_in_kind_value_is_the_offers_value_whatever_its_quantity(planks):
    from tasks.capital.meter import measure

    campaign, task = planks
    offer = _offer(task, 6, estimated_value_cents=60_00)
    services.decide_offer(offer=offer, accept=True, user=campaign.initiators.get())
    assert measure(campaign.page).in_kind_cents == 60_00
