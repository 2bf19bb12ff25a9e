"""Who may do what with tasks, offers and organisations: every cell of the matrix."""

import pytest

from accounts.models import Membership, Organisation
from tasks import services
from tasks.models import Offer, SignUp, Task
from tests.factories import (
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    moderator,
    site_tree,
)

pytestmark = pytest.mark.django_db

ROLES = ["initiator", "other", "guest", "org_member", "moderator"]
HELPER_EMAIL = "helper-contact@example.nl"
OFFERER_EMAIL = "offerer-contact@example.nl"

ALLOWED = {
    "edit_task": {"initiator", "moderator"},
    "mark_done": {"initiator", "moderator"},
    "confirm_hours": {"initiator", "moderator"},
    "decide_offer": {"initiator", "moderator"},
    "see_contacts": {"initiator", "moderator"},
    "edit_organisation": {"org_member", "moderator"},
}


@pytest.fixture
def world():
    campaign = make_initiative(site_tree()[2])
    hands = TaskFactory(initiative=campaign.page, title="Schilderen", people_needed=3)
    space = TaskFactory(initiative=campaign.page, title="Ruimte", kind=Task.Kind.SPACE)
    helper = UserFactory(email=HELPER_EMAIL)
    signup = services.sign_up(task=hands, user=helper)
    offerer = UserFactory(email=OFFERER_EMAIL)
    organisation = OrganisationFactory()
    Membership.objects.create(organisation=organisation, user=offerer)
    offer = services.make_offer(
        task=space,
        user=offerer,
        organisation=organisation,
        kind="space",
        description="Achterzaal",
        estimated_value_cents=150_00,
    )
    member = UserFactory()
    Membership.objects.create(organisation=organisation, user=member)
    users = {
        "initiator": campaign.initiators.get(),
        "other": UserFactory(),
        "guest": None,
        "org_member": member,
        "moderator": moderator(),
    }
    return {
        "campaign": campaign,
        "hands": hands,
        "signup": signup,
        "offer": offer,
        "organisation": organisation,
        "users": users,
    }


def act(client, world, action):
    page_id = world["campaign"].page_id
    hands, signup, offer = world["hands"], world["signup"], world["offer"]
    organisation = world["organisation"]
    if action == "edit_task":
        return client.post(
            f"/tasks/initiative/{page_id}/{hands.pk}/edit/",
            {"title": "Gekaapt", "kind": "hands", "people_needed": "3"},
        )
    if action == "mark_done":
        return client.post(f"/tasks/{hands.pk}/done/")
    if action == "confirm_hours":
        return client.post(f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": "7"})
    if action == "decide_offer":
        return client.post(f"/tasks/offers/{offer.pk}/decide/", {"decision": "accept"})
    if action == "see_contacts":
        return client.get(f"/tasks/initiative/{page_id}/")
    if action == "edit_organisation":
        return client.post(
            f"/organisations/{organisation.slug}/edit/",
            {
                "kind": "business",
                "name": "Gekaapt",
                "kvk_number": "",
                "address": "",
                "neighbourhood": "",
                "description": "",
            },
        )
    raise AssertionError(action)


def state(world, action):
    """The piece of state each action would change."""
    if action == "edit_task":
        return Task.objects.get(pk=world["hands"].pk).title
    if action == "mark_done":
        return Task.objects.get(pk=world["hands"].pk).status
    if action == "confirm_hours":
        return SignUp.objects.get(pk=world["signup"].pk).hours_confirmed
    if action == "decide_offer":
        return Offer.objects.get(pk=world["offer"].pk).status
    if action == "edit_organisation":
        return Organisation.objects.get(pk=world["organisation"].pk).name
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_authorisation_matrix(client, world, role, action):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = state(world, action)

    response = act(client, world, action)

    body = response.content.decode() if not response.streaming else ""
    if role in ALLOWED[action]:
        assert response.status_code in (200, 302), (role, action, response.status_code)
        if action == "see_contacts":
            assert HELPER_EMAIL in body and OFFERER_EMAIL in body
        else:
            assert state(world, action) != before, (role, action)
    else:
        if role == "guest":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, action, response.status_code)
        assert state(world, action) == before, (role, action)
        assert HELPER_EMAIL not in body and OFFERER_EMAIL not in body


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_never_show_contact_details(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    html = client.get(world["campaign"].page.url).content.decode()
    assert "Schilderen" in html
    assert HELPER_EMAIL not in html and OFFERER_EMAIL not in html
