"""The neighbourhood's register: items kept current by their owners, filtered on the
neighbourhood's own sub-page, cached and forgotten as items change."""

import pytest
from django.utils import translation

from accounts.models import Membership
from campaigns.audit import Action
from campaigns.models import AuditEntry
from campaigns.services import ServiceError
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


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


def register_url(neighbourhood, language=""):
    prefix = f"/{language}" if language else ""
    with translation.override("nl"):
        return f"{prefix}{neighbourhood.url}wat-we-hebben/"


def listed(neighbourhood, user=None, *, kind="space", description="De zaal", **fields):
    return services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=user or UserFactory(),
        kind=kind,
        description=description,
        **fields,
    )


def test_the_owner_pauses_resumes_and_withdraws_with_an_audit_entry(neighbourhood):
    owner = UserFactory()
    item = listed(neighbourhood, owner)

    services.change_register_item(item=item, change="pause", user=owner)
    item.refresh_from_db()
    assert item.status == Offer.Status.PAUSED
    services.change_register_item(item=item, change="resume", user=owner)
    item.refresh_from_db()
    assert item.status == Offer.Status.OFFERED
    services.change_register_item(item=item, change="pause", user=owner)
    services.change_register_item(item=item, change="withdraw", user=owner)
    item.refresh_from_db()
    assert item.status == Offer.Status.WITHDRAWN

    actions = list(
        AuditEntry.objects.filter(object_type="tasks.offer", object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )
    assert actions[1:] == [
        (Action.REGISTER_ITEM_PAUSED, "offered", "paused"),
        (Action.REGISTER_ITEM_RESUMED, "paused", "offered"),
        (Action.REGISTER_ITEM_PAUSED, "offered", "paused"),
        (Action.REGISTER_ITEM_WITHDRAWN, "paused", "withdrawn"),
    ]
    with pytest.raises(ServiceError, match="already withdrawn"):
        services.change_register_item(item=item, change="withdraw", user=owner)


def test_only_the_owner_or_an_organisation_admin_changes_an_item(neighbourhood):
    organisation = OrganisationFactory()
    member, admin, stranger = UserFactory(), UserFactory(), UserFactory()
    Membership.objects.create(organisation=organisation, user=member)
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    item = listed(neighbourhood, member, organisation=organisation)

    for refused in (stranger, member):
        with pytest.raises(ServiceError, match="Only the owner"):
            services.change_register_item(item=item, change="pause", user=refused)
    services.change_register_item(item=item, change="pause", user=admin)
    item.refresh_from_db()
    assert item.is_paused
    with pytest.raises(ServiceError):
        services.change_register_item(item=item, change="explode", user=admin)


def test_paused_items_are_listed_as_paused_withdrawn_ones_disappear(client, neighbourhood):
    owner = UserFactory()
    paused = listed(neighbourhood, owner, description="Gepauzeerde zaal")
    gone = listed(neighbourhood, owner, description="Weggehaalde ladder", kind="material")
    services.change_register_item(item=paused, change="pause", user=owner)
    services.change_register_item(item=gone, change="withdraw", user=owner)

    page = client.get(register_url(neighbourhood)).content.decode()
    assert "Gepauzeerde zaal" in page
    assert "Weggehaalde ladder" not in page
    available_only = client.get(register_url(neighbourhood), {"available": "on"})
    assert "Gepauzeerde zaal" not in available_only.content.decode()
    assert client.get(f"/tasks/register/{gone.pk}/").status_code == 410


def test_filters_by_kind_capacity_and_step_free(client, neighbourhood):
    listed(neighbourhood, description="Grote zaal", capacity=40, step_free=True)
    listed(neighbourhood, description="Zolder met trap", capacity=60)
    listed(neighbourhood, description="Kleine keuken", capacity=6, step_free=True)
    listed(neighbourhood, kind="material", description="Partytent", capacity=99)
    listed(neighbourhood, kind="skill", description="Fietsen repareren")

    def shown(**params):
        html = client.get(register_url(neighbourhood), params).content.decode()
        return {
            name
            for name in (
                "Grote zaal",
                "Zolder met trap",
                "Kleine keuken",
                "Partytent",
                "Fietsen repareren",
            )
            if name in html
        }

    assert shown(kind="material") == {"Partytent"}
    assert shown(kind="skill") == {"Fietsen repareren"}
    assert shown(min_capacity="20") == {"Grote zaal", "Zolder met trap"}
    assert shown(min_capacity="20", step_free="on") == {"Grote zaal"}
    assert shown(step_free="on") == {"Grote zaal", "Kleine keuken"}
    assert Offer.objects.get(description="Partytent").capacity is None  # spaces only


@pytest.mark.parametrize(
    "params",
    [{"kind": "castle"}, {"min_capacity": "many"}, {"min_capacity": "0"}, {"page": "x"}],
)
def test_invalid_filters_answer_400_with_a_message_in_both_languages(client, neighbourhood, params):
    listed(neighbourhood, description="De zaal van het buurthuis")

    response = client.get(register_url(neighbourhood, "en"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "A filter was not valid and is left out." in html
    assert "De zaal van het buurthuis" in html  # the other filters still apply

    dutch = client.get(register_url(neighbourhood), params)
    assert dutch.status_code == 400
    assert "Een filter was niet geldig" in dutch.content.decode()


def test_the_register_paginates(client, neighbourhood):
    owner = UserFactory()
    for number in range(15):
        listed(neighbourhood, owner, kind="material", description=f"Spul nummer {number:02d}")

    first = client.get(register_url(neighbourhood, "en"), {"kind": "material"})
    second = client.get(register_url(neighbourhood, "en"), {"kind": "material", "page": "2"})
    assert "Page 1 of 2" in first.content.decode()
    assert "kind=material&amp;page=2" in first.content.decode()
    assert second.content.decode().count('class="tile register-item"') == 3
    beyond = client.get(register_url(neighbourhood, "en"), {"page": "99"})
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.content.decode()


def test_the_english_register_and_the_link_from_the_neighbourhood_page(client, neighbourhood):
    listed(neighbourhood, description="Het atelier")
    response = client.get(register_url(neighbourhood, "en"))
    assert response.status_code == 200
    assert f"What {neighbourhood.title} has" in response.content.decode()
    with translation.override("nl"):
        path = neighbourhood.url
    page = client.get(f"/en{path}").content.decode()
    assert f'href="/en{path}wat-we-hebben/"' in page


def test_the_cached_register_shows_a_change_at_once(
    client, settings, neighbourhood, django_capture_on_commit_callbacks
):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}
    owner = UserFactory()
    item = listed(neighbourhood, owner, description="Zaal boven de winkel")
    url = register_url(neighbourhood)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.change_register_item(item=item, change="withdraw", user=owner)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Zaal boven de winkel" not in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        listed(neighbourhood, owner, description="Nieuwe werkplaats")
    assert "Nieuwe werkplaats" in client.get(url).content.decode()
    assert "Nieuwe werkplaats" in client.get(register_url(neighbourhood, "en")).content.decode()


def test_only_available_items_are_suggested_and_can_be_asked_for(neighbourhood):
    campaign = make_initiative(neighbourhood)
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    owner = UserFactory()
    available = listed(neighbourhood, owner, description="Beschikbaar")
    paused = listed(neighbourhood, owner, description="Gepauzeerd")
    withdrawn = listed(neighbourhood, owner, description="Ingetrokken")
    services.change_register_item(item=paused, change="pause", user=owner)
    services.change_register_item(item=withdrawn, change="withdraw", user=owner)

    assert list(services.matching_standing_offers(task)) == [available]
    with pytest.raises(ServiceError, match="no longer available"):
        services.request_standing_offer(
            task=task, standing_offer=paused, user=campaign.initiators.get()
        )


def test_the_owner_keeps_items_current_from_my_items(client, neighbourhood):
    owner = UserFactory()
    item = listed(neighbourhood, owner, description="Mijn schuur")
    client.force_login(owner)
    assert "Mijn schuur" in client.get("/en/tasks/register/mine/").content.decode()

    response = client.post(
        f"/en/tasks/register/{item.pk}/change/", {"change": "pause"}, follow=True
    )
    assert "The item is paused." in response.content.decode()
    item.refresh_from_db()
    assert item.is_paused

    client.force_login(UserFactory())
    response = client.post(
        f"/en/tasks/register/{item.pk}/change/", {"change": "resume"}, follow=True
    )
    assert "Only the owner of this item can change it." in response.content.decode()
    item.refresh_from_db()
    assert item.is_paused


def test_a_paused_item_is_released_with_its_owners_other_support(neighbourhood):
    owner = UserFactory()
    item = listed(neighbourhood, owner)
    services.change_register_item(item=item, change="pause", user=owner)

    services.release_user_support(owner)

    item.refresh_from_db()
    assert item.is_withdrawn
    assert AuditEntry.objects.filter(
        object_type="tasks.offer", object_id=str(item.pk), action=Action.OFFER_RELEASED
    ).exists()
