"""Writing to the owner of a register item: by e-mail, through the platform, and without
either side ever seeing the other's address."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone, translation

from accounts.models import Membership
from accounts.personal_data import collect_personal_data
from tasks import services
from tasks.models import Offer, RegisterMessage
from tests.factories import OrganisationFactory, UserFactory, site_tree

pytestmark = pytest.mark.django_db

OWNER_EMAIL = "eigenaar.geheim@example.nl"
RESIDENT_EMAIL = "bewoner.geheim@example.nl"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def owner():
    return UserFactory(email=OWNER_EMAIL, display_name="Eva Eigenaar", preferred_language="en")


@pytest.fixture
def resident():
    return UserFactory(email=RESIDENT_EMAIL, display_name="Ruben Bewoner", preferred_language="en")


@pytest.fixture
def item(neighbourhood, owner):
    return services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=owner,
        kind="space",
        description="De serre achter ons huis",
        capacity=15,
        step_free=True,
    )


def mail_text(message):
    html = message.alternatives[0][0] if message.alternatives else ""
    headers = " ".join(f"{name}: {value}" for name, value in message.extra_headers.items())
    return " ".join([message.subject, message.body, html, headers, message.from_email])


def write(client, item, body, capture):
    with capture(execute=True):
        return client.post(f"/en/tasks/register/{item.pk}/", {"body": body})


def test_a_message_reaches_the_owner_and_the_answer_the_resident_with_no_address_leaked(
    client, item, owner, resident, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    item_page = client.get(f"/en/tasks/register/{item.pk}/").content.decode()
    assert OWNER_EMAIL not in item_page
    assert "Room for 15 people" in item_page and "Step-free access" in item_page

    response = write(
        client, item, "Mag ik de serre op 12 mei lenen?", django_capture_on_commit_callbacks
    )
    message = RegisterMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/tasks/register/messages/{message.pk}/"
    assert (message.sender, message.item, message.to_owner) == (resident, item, True)

    [to_owner] = mail.outbox
    assert to_owner.to == [OWNER_EMAIL]
    assert "Mag ik de serre op 12 mei lenen?" in to_owner.body
    assert "Ruben Bewoner" in to_owner.subject
    assert f"/tasks/register/messages/{message.pk}/" in to_owner.body
    assert RESIDENT_EMAIL not in mail_text(to_owner)
    assert not to_owner.reply_to

    client.force_login(owner)
    thread_page = client.get(f"/en/tasks/register/messages/{message.pk}/").content.decode()
    assert "Mag ik de serre op 12 mei lenen?" in thread_page
    assert RESIDENT_EMAIL not in thread_page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/en/tasks/register/messages/{message.pk}/", {"body": "Ja, dat kan!"})
    assert answer.status_code == 302

    to_resident = mail.outbox[1]
    assert to_resident.to == [RESIDENT_EMAIL]
    assert "Ja, dat kan!" in to_resident.body
    assert "Eva Eigenaar" in to_resident.subject
    assert OWNER_EMAIL not in mail_text(to_resident)
    assert not to_resident.reply_to
    reply = RegisterMessage.objects.get(thread=message)
    assert (reply.sender, reply.to_owner) == (owner, False)

    client.force_login(resident)
    assert (
        OWNER_EMAIL not in client.get(f"/en/tasks/register/messages/{message.pk}/").content.decode()
    )


def test_an_organisations_item_is_answered_by_its_admins_in_the_organisations_name(
    client, neighbourhood, resident, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Bakkerij Korst")
    member = UserFactory(email="lid@example.nl")
    admin = UserFactory(email="beheer@example.nl", display_name="Bea Beheer")
    Membership.objects.create(organisation=organisation, user=member)
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    item = services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=member,
        organisation=organisation,
        kind="material",
        description="Bakplaten",
    )
    client.force_login(resident)
    write(client, item, "Mogen we de bakplaten lenen?", django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["beheer@example.nl"]]

    message = RegisterMessage.objects.get()
    client.force_login(member)  # a member who is no admin takes no part
    assert client.get(f"/en/tasks/register/messages/{message.pk}/").status_code == 404
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/tasks/register/messages/{message.pk}/", {"body": "Natuurlijk."})
    assert "Bakkerij Korst" in mail.outbox[1].subject
    assert "Bea Beheer" not in mail_text(mail.outbox[1])


def test_strangers_cannot_read_a_conversation(client, item, resident):
    message = services.write_to_owner(item=item, sender=resident, body="Hallo")
    client.force_login(UserFactory())
    url = f"/en/tasks/register/messages/{message.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Ik lees mee"}).status_code == 404
    assert RegisterMessage.objects.count() == 1


def test_withdrawn_and_hidden_items_cannot_be_contacted(client, item, owner, resident):
    client.force_login(resident)
    services.change_register_item(item=item, change="withdraw", user=owner)
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": "Nog beschikbaar?"})
    assert response.status_code == 410
    assert "no longer in the register" in response.content.decode().lower()

    hidden = services.list_standing_offer(
        neighbourhood=item.neighbourhood, user=owner, kind="skill", description="Naaien"
    )
    Offer.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert client.get(f"/en/tasks/register/{hidden.pk}/").status_code == 410
    assert client.post(f"/en/tasks/register/{hidden.pk}/", {"body": "Hoi"}).status_code == 410
    assert client.get("/en/tasks/register/999999/").status_code == 404
    assert not RegisterMessage.objects.exists()
    assert not mail.outbox


def test_a_paused_item_can_still_be_asked_about(client, item, owner, resident):
    services.change_register_item(item=item, change="pause", user=owner)
    client.force_login(resident)
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": "Wanneer weer?"})
    assert response.status_code == 302
    assert RegisterMessage.objects.filter(item=item).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "This field is required."), ("x" * 1001, "the limit is 1000")],
)
def test_an_empty_or_too_long_message_is_refused_with_a_message(
    client, item, resident, body, message
):
    client.force_login(resident)
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": body})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegisterMessage.objects.exists()


def test_only_a_verified_address_may_write_and_nobody_to_themselves(client, item, owner):
    unverified = UserFactory()
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    client.force_login(unverified)
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": "Hallo"})
    assert response.status_code == 400
    assert "Confirm your e-mail address" in response.content.decode()

    client.force_login(owner)
    assert "This is your item." in client.get(f"/en/tasks/register/{item.pk}/").content.decode()
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": "Aan mezelf"})
    assert "This is your own item." in response.content.decode()
    assert not RegisterMessage.objects.exists()


def test_visitors_must_log_in_to_write(client, item):
    page = client.get(f"/en/tasks/register/{item.pk}/").content.decode()
    assert "Log in to write to the owner" in page
    response = client.post(f"/en/tasks/register/{item.pk}/", {"body": "Hallo"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not RegisterMessage.objects.exists()


def test_writing_is_rate_limited(client, settings, item, resident):
    limits = settings.WIJKKAPITAAL["RATE_LIMITS"]
    settings.WIJKKAPITAAL = {
        **settings.WIJKKAPITAAL,
        "RATE_LIMITS": {**limits, "register_messages": {"ip": "2/h", "user": "2/h"}},
    }
    client.force_login(resident)
    statuses = [
        client.post(f"/en/tasks/register/{item.pk}/", {"body": f"Bericht {n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert RegisterMessage.objects.count() == 2


def test_the_personal_data_export_holds_the_messages_sent(item, resident):
    services.write_to_owner(item=item, sender=resident, body="Mag ik de serre lenen?")
    [tasks_part] = [
        part for part in collect_personal_data(resident)["parts"] if part["key"] == "tasks"
    ]
    [sent] = tasks_part["data"]["register_messages"]
    assert (sent["about"], sent["message"], sent["to"]) == (
        "De serre achter ons huis",
        "Mag ik de serre lenen?",
        "owner",
    )
