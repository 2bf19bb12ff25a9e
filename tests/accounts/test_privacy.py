"""Export and deletion of a person's data, end to end on PostgreSQL.

After deleting an account, no text, character, e-mail or JSON column of any table may
still hold the person's address or names, and every campaign's totals equal its ledger.
"""

import json

import pytest
from django.core import mail
from django.db import connection

from accounts.models import DataExport, Invitation, User
from campaigns.models import Campaign, DigestItem, Follow, Pledge, WebhookEvent
from campaigns.services import ledger_totals
from campaigns.services.pledges import create_pledge, mark_paid
from campaigns.services.updates import post_update
from core.moderation import file_report
from notifications.models import NotificationPreference, SentMessage
from tasks import services as task_services
from tasks.models import Offer, SignUp, Task
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db

EMAIL = "zwaan.wisser@example.nl"
FIRST, LAST, DISPLAY = "Zwaantje", "Verwijderbaar", "Zwaan de Wisser"
NEEDLES = [EMAIL, FIRST, LAST, DISPLAY]


def give(campaign, donor, amount_cents, **kwargs):
    """A pledge paid through the services, with a Stripe event naming the payer."""
    is_person = donor is not None and donor.email == EMAIL
    kwargs.setdefault("public_name", DISPLAY if is_person else "Buur")
    pledge, attempt = create_pledge(
        campaign=campaign, amount_cents=amount_cents, donor=donor, **kwargs
    )
    session_id, intent_id = f"cs_test_{pledge.pk}", f"pi_test_{pledge.pk}"
    attempt.checkout_session_id = session_id
    attempt.payment_intent_id = intent_id
    attempt.save()
    WebhookEvent.objects.create(
        stripe_id=f"evt_{pledge.pk}",
        type="checkout.session.completed",
        payload={
            "id": f"evt_{pledge.pk}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": session_id,
                    "payment_intent": intent_id,
                    "amount_total": amount_cents,
                    "customer_details": {
                        "email": pledge.email,
                        "name": f"{FIRST} {LAST}" if is_person else "B. Uur",
                    },
                    "metadata": {"pledge_id": str(pledge.pk)},
                }
            },
        },
    )
    mark_paid(pledge_id=pledge.pk, session_id=session_id, payment_intent_id=intent_id)
    return pledge


def assert_totals_match_ledger(*campaigns):
    for campaign in campaigns:
        campaign = Campaign.objects.get(pk=campaign.pk)
        assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)


def columns_holding(needle):
    """Every (table, column) of a text-like type whose value contains ``needle``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb')"
        )
        found = []
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append((table, column))
    return found


@pytest.fixture
def person():
    return UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST, display_name=DISPLAY)


@pytest.fixture
def world(person, django_capture_on_commit_callbacks):
    """A person who donates, helps, offers, follows, co-initiates and gets mail."""
    neighbourhood = site_tree()[2]
    garden = make_initiative(neighbourhood, title="Moestuin")
    cafe = make_initiative(neighbourhood, title="Repair Café")
    bench = make_initiative(neighbourhood, title="Bankje", status=Campaign.Status.DRAFT)
    bench.initiators.add(person)
    cafe.initiators.add(person)
    post_update(campaign=cafe, author=person, title="Nieuws", body="We beginnen zaterdag.")
    with django_capture_on_commit_callbacks(execute=True):
        give(garden, person, 20_00, message=f"Groeten van {FIRST}")
        give(garden, person, 5_00)
        give(cafe, person, 10_00, is_anonymous=True)
        give(garden, UserFactory(), 30_00)
        give(garden, None, 15_00, guest_email="gast@example.nl")
        hands = TaskFactory(initiative=garden.page, people_needed=2)
        task_services.sign_up(task=hands, user=person, note=f"Bel {FIRST} even")
        space = TaskFactory(initiative=cafe.page, kind=Task.Kind.SPACE, people_needed=1)
        offer = task_services.make_offer(
            task=space, user=person, kind=Task.Kind.SPACE, description="Mijn schuur"
        )
        task_services.decide_offer(offer=offer, accept=True, user=cafe.initiators.first())
        organisation = OrganisationFactory()
        Invitation.objects.create(
            organisation=organisation, email=EMAIL, token="tok", invited_by=UserFactory()
        )
    Follow.objects.create(user=person, campaign=cafe)
    file_report(
        key="organisation", object_id=organisation.pk, reason="fraud", email=EMAIL, reporter=person
    )
    NotificationPreference.objects.update_or_create(email=EMAIL, defaults={"reminders": False})
    assert SentMessage.objects.filter(recipient=EMAIL).exists()
    assert_totals_match_ledger(garden, cafe)
    return {"garden": garden, "cafe": cafe, "bench": bench}


def test_export_holds_what_the_platform_has_and_only_the_owner_downloads_it(
    client, person, world, django_capture_on_commit_callbacks
):
    client.force_login(person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my-account/data/")
    assert response.status_code == 302
    export = DataExport.objects.get(user=person)
    assert export.is_ready
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert "/my-account/data/" in message.body

    response = client.get(f"/my-account/data/{export.token}/download.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    parts = {part["key"]: part["data"] for part in data["parts"]}
    assert parts["account"]["email"] == EMAIL
    assert {d["message"] for d in parts["campaigns"]["donations"]} >= {f"Groeten van {FIRST}"}
    assert len(parts["campaigns"]["donations"]) == 3
    assert parts["tasks"]["sign_ups"][0]["note"] == f"Bel {FIRST} even"
    assert parts["tasks"]["offers"][0]["description"] == "Mijn schuur"
    assert parts["notifications"]["preferences"]["reminders"] is False
    assert [r["email"] for r in parts["account"]["abuse_reports"]] == [EMAIL]
    html = client.get(f"/my-account/data/{export.token}/download.html")
    assert html.status_code == 200
    assert "Mijn schuur" in html.content.decode()

    client.force_login(UserFactory())
    assert client.get(f"/my-account/data/{export.token}/download.json").status_code == 404


def test_deleting_the_account_leaves_no_trace_and_totals_equal_the_ledger(
    client, person, world, django_capture_on_commit_callbacks
):
    garden, cafe = world["garden"], world["cafe"]
    before = Campaign.objects.get(pk=garden.pk)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-account/data/")
    assert DigestItem.objects.filter(summary__contains=DISPLAY).exists()
    assert all(columns_holding(needle) for needle in NEEDLES)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my-account/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    for needle in NEEDLES:
        assert columns_holding(needle) == [], needle
    assert_totals_match_ledger(garden, cafe)
    after = Campaign.objects.get(pk=garden.pk)
    assert (after.raised_cents, after.supporter_count) == (
        before.raised_cents,
        before.supporter_count,
    )
    kept = Pledge.objects.filter(campaign=garden, anonymised_at__isnull=False)
    assert sorted(kept.values_list("amount_cents", flat=True)) == [5_00, 20_00]
    assert {p.display_name for p in kept} == {"Oud-lid"}
    assert Pledge.objects.get(campaign=cafe, anonymised_at__isnull=False).display_name is None
    assert not SignUp.objects.filter(note__contains=FIRST).exists()
    assert not Offer.objects.filter(description="Mijn schuur").exists()
    event = WebhookEvent.objects.get(stripe_id=f"evt_{kept.first().pk}")
    assert event.payload_pruned_at is not None
    assert event.payload["data"]["object"]["metadata"] == {"pledge_id": str(kept.first().pk)}


def test_deletion_needs_the_password(client, person):
    client.force_login(person)
    response = client.post("/my-account/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "Dat is niet je wachtwoord." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_the_only_initiator_of_a_live_initiative_must_hand_it_over_or_cancel_first(client, person):
    campaign = make_initiative(site_tree()[2], initiator=person, title="Speeltuin")
    client.force_login(person)

    page = client.get("/my-account/delete/")
    assert f"/initiatives/{campaign.page_id}/cancel/" in page.content.decode()
    response = client.post("/my-account/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 409
    assert User.objects.filter(pk=person.pk).exists()
    campaign.initiators.add(UserFactory())
    response = client.post("/my-account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert_totals_match_ledger(campaign)


def test_deleting_a_user_in_the_admin_keeps_the_supporter_count_equal_to_the_ledger():
    campaign = make_initiative(site_tree()[2])
    donors = [UserFactory(), UserFactory()]
    for donor in donors:
        give(campaign, donor, 10_00)
    give(campaign, None, 10_00, guest_email="gast@example.nl")
    assert Campaign.objects.get(pk=campaign.pk).supporter_count == 3

    for donor in donors:
        donor.delete()

    assert_totals_match_ledger(campaign)
    assert ledger_totals(campaign) == (30_00, 3)
