"""Offers of space and material, standing offers, organisations and what they count for."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation
from campaigns.services import ledger_totals
from tasks import services
from tasks.models import Offer, Task
from tests.factories import (
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def space_task():
    campaign = make_initiative(site_tree()[2])
    return campaign, TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)


@pytest.fixture
def bakery_member():
    user = UserFactory()
    organisation = OrganisationFactory(name="Bakkerij De Korst")
    Membership.objects.create(organisation=organisation, user=user)
    return user, organisation


def offer_data(**overrides):
    data = {
        "organisation": "",
        "description": "Onze achterzaal",
        "availability": "dinsdagavond",
        "estimated_value": "150",
    }
    data.update(overrides)
    return data


def test_a_business_offers_space_and_the_initiator_accepts(client, space_task, bakery_member):
    campaign, task = space_task
    user, organisation = bakery_member
    client.force_login(user)

    response = client.post(f"/tasks/{task.pk}/offer/", offer_data(organisation=organisation.pk))

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.organisation, offer.estimated_value_cents, offer.status) == (
        organisation,
        150_00,
        "offered",
    )
    client.force_login(campaign.initiators.get())
    client.post(f"/tasks/offers/{offer.pk}/decide/", {"decision": "accept"})

    offer.refresh_from_db()
    task.refresh_from_db()
    campaign.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert task.status == Task.Status.FULL
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]
    html = client.get("/en" + campaign.page.url).content.decode()
    assert "€150 in kind" in html
    assert "Giving space or materials: Bakkerij De Korst." in html
    org_page = client.get(f"/en/organisations/{organisation.slug}/").content.decode()
    assert campaign.page.title in org_page


def test_declined_offer_counts_for_nothing(client, space_task, bakery_member):
    campaign, task = space_task
    user, organisation = bakery_member
    offer = services.make_offer(
        task=task, user=user, organisation=organisation, kind="space", description="Zaal"
    )
    client.force_login(campaign.initiators.get())
    client.post(f"/tasks/offers/{offer.pk}/decide/", {"decision": "decline"})
    offer.refresh_from_db()
    campaign.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert campaign.supporter_count == 0


def test_two_members_of_one_organisation_count_as_one_supporter(space_task, bakery_member):
    campaign, task = space_task
    Task.objects.filter(pk=task.pk).update(people_needed=2)
    user, organisation = bakery_member
    colleague = UserFactory()
    Membership.objects.create(organisation=organisation, user=colleague)
    initiator = campaign.initiators.get()
    for person in (user, colleague):
        offer = services.make_offer(
            task=task, user=person, organisation=organisation, kind="space", description="Zaal"
        )
        services.decide_offer(offer=offer, accept=True, user=initiator)
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"estimated_value": "-5"}, "estimated_value", "more than zero"),
        ({"estimated_value": "100000,01"}, "estimated_value", "at most"),
        ({"estimated_value": "9999999"}, "estimated_value", "at most"),
        ({"description": ""}, "description", "required"),
    ],
)
def test_bad_offers_get_a_clear_message(client, space_task, overrides, field, fragment):
    _, task = space_task
    client.force_login(UserFactory())
    response = client.post(f"/en/tasks/{task.pk}/offer/", offer_data(**overrides))
    assert response.status_code == 400
    assert fragment in " ".join(response.context["form"].errors[field])
    assert "Onze achterzaal" in response.content.decode() or field == "description"
    assert Offer.objects.count() == 0


def test_an_offer_on_a_task_of_the_wrong_kind_is_refused(client):
    campaign = make_initiative(site_tree()[2])
    hands = TaskFactory(initiative=campaign.page, kind=Task.Kind.HANDS)
    client.force_login(UserFactory())
    response = client.post(f"/en/tasks/{hands.pk}/offer/", offer_data())
    assert response.status_code == 400
    assert "Sign up instead" in response.content.decode()
    assert Offer.objects.count() == 0


def test_offering_for_someone_elses_organisation_is_refused(client, space_task, bakery_member):
    _, task = space_task
    _, organisation = bakery_member
    client.force_login(UserFactory())
    response = client.post(f"/en/tasks/{task.pk}/offer/", offer_data(organisation=organisation.pk))
    assert response.status_code == 400
    assert Offer.objects.count() == 0


def test_standing_offers_show_on_the_neighbourhood_and_are_suggested(client, bakery_member):
    _, _, neighbourhood = site_tree()
    user, organisation = bakery_member
    client.force_login(user)
    response = client.post(
        "/tasks/offers/new/",
        {
            "kind": "material",
            "neighbourhood": neighbourhood.pk,
            "organisation": organisation.pk,
            "description": "Verf over van de verbouwing",
            "availability": "",
            "estimated_value": "40",
        },
    )
    assert response.status_code == 302
    standing = Offer.objects.get()
    assert "Verf over van de verbouwing" in client.get("/en" + neighbourhood.url).content.decode()

    campaign = make_initiative(neighbourhood)
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.MATERIAL, title="Verf nodig")
    client.force_login(campaign.initiators.get())
    manage = client.get(f"/en/tasks/initiative/{campaign.page_id}/").content.decode()
    assert "Verf over van de verbouwing" in manage

    client.post(f"/tasks/{task.pk}/request/{standing.pk}/")
    requested = Offer.objects.get(task=task)
    assert requested.standing_offer == standing
    assert requested.organisation == organisation


def test_kvk_number_must_have_eight_digits(client):
    client.force_login(UserFactory())
    for bad in ("1234567", "123456789", "1234abcd"):
        response = client.post(
            "/en/organisations/new/",
            {
                "kind": "business",
                "name": "Fietsenmaker",
                "kvk_number": bad,
                "address": "",
                "neighbourhood": "",
                "description": "",
            },
        )
        assert response.status_code == 400
        assert "8 digits" in " ".join(response.context["form"].errors["kvk_number"])
    assert Organisation.objects.count() == 0
    ok = client.post(
        "/en/organisations/new/",
        {
            "kind": "business",
            "name": "Fietsenmaker",
            "kvk_number": "1234 5678",
            "address": "",
            "neighbourhood": "",
            "description": "",
        },
    )
    assert ok.status_code == 302
    assert Organisation.objects.get().kvk_number == "12345678"


def test_admins_invite_others_by_email(client, bakery_member, django_capture_on_commit_callbacks):
    user, organisation = bakery_member
    Membership.objects.filter(user=user).update(role=Membership.Role.ADMIN)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/organisations/{organisation.slug}/invite/", {"email": "collega@example.nl"})
    invitation = Invitation.objects.get()
    assert invitation.email == "collega@example.nl"
    assert any(invitation.token in message.body for message in mail.outbox)

    newcomer = UserFactory(email="collega@example.nl")
    client.force_login(newcomer)
    client.post(f"/organisations/invitation/{invitation.token}/")
    assert organisation.members.filter(pk=newcomer.pk).exists()

    response = client.post("/en/organisations/invitation/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_neighbourhood_totals_include_hours_in_kind_and_tasks_done(client, bakery_member):
    _, _, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood)
    initiator = campaign.initiators.get()
    hands = TaskFactory(
        initiative=campaign.page,
        people_needed=2,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    signup = services.sign_up(task=hands, user=UserFactory())
    services.confirm_hours(signup=signup, hours=4, user=initiator)
    services.mark_task_done(task=hands, user=initiator)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    user, organisation = bakery_member
    offer = services.make_offer(
        task=space,
        user=user,
        organisation=organisation,
        kind="space",
        description="Zaal",
        estimated_value_cents=450_00,
    )
    services.decide_offer(offer=offer, accept=True, user=initiator)

    totals = client.get(neighbourhood.url).context["totals"]

    assert totals["hours"] == 4
    assert totals["in_kind_cents"] == 450_00
    assert totals["tasks_done"] == 1
    assert totals["supporters"] == 2


@pytest.mark.parametrize(
    ("people_needed", "estimated_hours", "field"),
    [
        ("-3", "2", "people_needed"),
        ("100000", "2", "people_needed"),
        ("2", "-1", "estimated_hours"),
        ("2", "5000", "estimated_hours"),
    ],
)
def test_absurd_task_quantities_get_a_clear_message(client, people_needed, estimated_hours, field):
    campaign = make_initiative(site_tree()[2])
    client.force_login(campaign.initiators.get())
    response = client.post(
        f"/en/tasks/initiative/{campaign.page_id}/new/",
        {
            "title": "Stoelen",
            "kind": "material",
            "people_needed": people_needed,
            "estimated_hours": estimated_hours,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "Stoelen" in response.content.decode()
    assert not Task.objects.filter(title="Stoelen").exists()
