"""Who may do what with tasks, offers and organisations: every cell of the matrix."""

import pytest
from allauth.account.models import EmailAddress

from accounts import services as organisation_services
from accounts.models import Invitation, Membership, Organisation
from campaigns.models import Campaign
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

ROLES = [
    "initiator",
    "other",
    "guest",
    "org_admin",
    "org_member",
    "invited",
    "invited_wrong_address",
    "offer_owner",
    "moderator",
]
HELPER_EMAIL = "helper-contact@example.nl"
OFFERER_EMAIL = "offerer-contact@example.nl"
INVITED_EMAIL = "invited@example.nl"
DRAFT_TITLE = "Geheim plan"

ALLOWED = {
    "edit_task": {"initiator", "moderator"},
    "mark_done": {"initiator", "moderator"},
    "confirm_hours": {"initiator", "moderator"},
    "decide_offer": {"initiator", "moderator"},
    "see_contacts": {"initiator", "moderator"},
    "edit_organisation": {"org_admin", "moderator"},
    "invite_member": {"org_admin", "moderator"},
    "accept_invitation": {"invited"},
    "answer_offer_request": {"offer_owner"},
    "see_draft_through_task": {"initiator", "moderator"},
}
# What a refused, logged-in visitor gets; a draft is not there for them at all.
REFUSED_STATUS = {"see_draft_through_task": 404}


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
    admin = UserFactory()
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    invitation = organisation_services.invite_member(
        organisation=organisation, email=INVITED_EMAIL, invited_by=admin
    )
    wrong_address = UserFactory()
    # The invited address added to another account, but never verified.
    EmailAddress.objects.create(user=wrong_address, email=INVITED_EMAIL, verified=False)
    initiator = campaign.initiators.get()
    owner = UserFactory()
    material = TaskFactory(initiative=campaign.page, title="Verf", kind=Task.Kind.MATERIAL)
    standing = services.list_standing_offer(
        neighbourhood=campaign.page.get_parent().specific,
        user=owner,
        kind="material",
        description="Verf",
    )
    requested = services.request_standing_offer(
        task=material, standing_offer=standing, user=initiator
    )
    draft = make_initiative(
        campaign.page.get_parent(),
        initiator=initiator,
        status=Campaign.Status.DRAFT,
        title=DRAFT_TITLE,
    )
    users = {
        "initiator": initiator,
        "other": UserFactory(),
        "guest": None,
        "org_admin": admin,
        "org_member": member,
        "invited": UserFactory(email=INVITED_EMAIL),
        "invited_wrong_address": wrong_address,
        "offer_owner": owner,
        "moderator": moderator(),
    }
    return {
        "campaign": campaign,
        "hands": hands,
        "signup": signup,
        "offer": offer,
        "organisation": organisation,
        "invitation": invitation,
        "requested": requested,
        "draft_space": TaskFactory(initiative=draft.page, kind=Task.Kind.SPACE),
        "draft_hands": TaskFactory(initiative=draft.page, kind=Task.Kind.HANDS),
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
    if action == "invite_member":
        return client.post(
            f"/organisations/{organisation.slug}/invite/", {"email": "nieuw@example.nl"}
        )
    if action == "accept_invitation":
        return client.post(f"/organisations/invitation/{world['invitation'].token}/")
    if action == "answer_offer_request":
        return client.post(f"/tasks/offers/{world['requested'].pk}/answer/", {"decision": "accept"})
    if action == "see_draft_through_task":
        return client.get(f"/tasks/{world['draft_space'].pk}/offer/")
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
    if action == "invite_member":
        return Invitation.objects.count()
    if action == "accept_invitation":
        return Membership.objects.filter(organisation=world["organisation"]).count()
    if action == "answer_offer_request":
        return Offer.objects.get(pk=world["requested"].pk).status
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
        elif action == "see_draft_through_task":
            assert DRAFT_TITLE in body
        else:
            assert state(world, action) != before, (role, action)
    else:
        if role == "guest":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        else:
            expected = REFUSED_STATUS.get(action, 403)
            assert response.status_code == expected, (role, action, response.status_code)
        assert state(world, action) == before, (role, action)
        assert HELPER_EMAIL not in body and OFFERER_EMAIL not in body
        assert DRAFT_TITLE not in body


@pytest.mark.parametrize("role", ROLES)
def test_signing_up_for_a_task_of_a_draft_reveals_nothing(client, world, role):
    """The refusal used to redirect to the draft's address, whoever counted task ids."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)

    response = client.post(f"/tasks/{world['draft_hands'].pk}/sign-up/")

    assert not SignUp.objects.filter(task=world["draft_hands"]).exists()
    if role == "guest":
        assert response["Location"].startswith("/accounts/login/")
    elif role in ("initiator", "moderator"):
        assert response.status_code == 302  # back to the page they may see, with the refusal
    else:
        assert response.status_code == 404
        assert "geheim-plan" not in response.get("Location", "")
        assert DRAFT_TITLE not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_never_show_contact_details(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    html = client.get(world["campaign"].page.url).content.decode()
    assert "Schilderen" in html
    assert HELPER_EMAIL not in html and OFFERER_EMAIL not in html
