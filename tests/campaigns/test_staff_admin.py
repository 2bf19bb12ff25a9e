"""Staff screens in the Wagtail admin: pledges, refunds, webhook events and the audit log."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from campaigns.models import AuditEntry, PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.services import ledger_totals
from tests.factories import PledgeFactory, UserFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_pledge():
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    pledge = PledgeFactory(campaign=campaign, amount_cents=40_00, public_name="Els")
    PaymentAttempt.objects.create(
        pledge=pledge,
        gateway="test_checkout",
        amount_cents=40_00,
        status="paid",
        payment_intent_id="pi_test_local_1",
    )
    from campaigns.services import recount_totals

    recount_totals(campaign=campaign)
    return pledge


def test_moderators_see_pledges_with_filters_and_export_them(client, paid_pledge):
    other = PledgeFactory(
        campaign=paid_pledge.campaign,
        amount_cents=10_00,
        status=Pledge.Status.FAILED,
        public_name="Kees",
    )
    client.force_login(moderator())

    listing = client.get("/admin/pledges/", {"status": "paid"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"/admin/money/pledges/{paid_pledge.pk}/refund/" in html
    assert f"/admin/money/pledges/{other.pk}/refund/" not in html

    export = client.get("/admin/pledges/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 3
    assert {row[rows[0].index("Status")] for row in rows[1:]} == {"paid", "failed"}


def test_refund_needs_a_confirmation_step_and_then_refunds_once(
    client, paid_pledge, django_capture_on_commit_callbacks
):
    staff = moderator()
    client.force_login(staff)
    url = f"/admin/money/pledges/{paid_pledge.pk}/refund/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    paid_pledge.refresh_from_db()
    assert paid_pledge.status == Pledge.Status.PAID

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)

    paid_pledge.refresh_from_db()
    campaign = paid_pledge.campaign
    campaign.refresh_from_db()
    assert paid_pledge.status == Pledge.Status.REFUNDED
    assert Refund.objects.filter(pledge=paid_pledge).count() == 1
    assert campaign.raised_cents == 0
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
    entry = AuditEntry.objects.get(object_id=str(paid_pledge.pk), action="refund_requested")
    assert (entry.actor, entry.from_state, entry.to_state) == (staff, "paid", "refund_pending")


@pytest.mark.parametrize("who", ["resident", "initiator"])
def test_residents_cannot_refund_or_see_the_ledger(client, paid_pledge, who):
    user = UserFactory() if who == "resident" else paid_pledge.campaign.initiators.get()
    client.force_login(user)
    assert client.post(f"/admin/money/pledges/{paid_pledge.pk}/refund/").status_code in (302, 403)
    assert client.get("/admin/pledges/").status_code in (302, 403)
    paid_pledge.refresh_from_db()
    assert paid_pledge.status == Pledge.Status.PAID


def test_ledger_records_cannot_be_edited_in_the_admin(client, paid_pledge):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.post(f"/admin/pledges/edit/{paid_pledge.pk}/", {"amount_cents": 1})
    assert response.status_code in (302, 403)
    paid_pledge.refresh_from_db()
    assert paid_pledge.amount_cents == 40_00


def test_webhook_events_can_be_processed_again(client, paid_pledge):
    pledge, attempt = paid_pledge, None
    from campaigns.services import pledges as pledge_services

    waiting, attempt = pledge_services.create_pledge(
        campaign=pledge.campaign, amount_cents=15_00, guest_email="w@example.nl", public_name="W"
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id="cs_stuck")
    event = WebhookEvent.objects.create(
        stripe_id="evt_stuck",
        type="checkout.session.completed",
        payload={
            "id": "evt_stuck",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_stuck",
                    "object": "checkout.session",
                    "amount_total": 15_00,
                    "currency": "eur",
                    "payment_status": "paid",
                    "metadata": {"pledge_id": str(waiting.pk)},
                }
            },
        },
    )
    client.force_login(moderator())
    listing = client.get("/admin/webhook_events/").content.decode()
    assert f"/admin/money/webhook-events/{event.pk}/process/" in listing

    client.post(f"/admin/money/webhook-events/{event.pk}/process/")

    event.refresh_from_db()
    waiting.refresh_from_db()
    assert event.processed_at is not None and event.outcome == "applied"
    assert waiting.status == Pledge.Status.PAID


def test_audit_log_lists_every_money_change(client, paid_pledge):
    client.force_login(moderator())
    html = client.get("/admin/audit_log/").content.decode()
    assert "approved" in html
    assert Group.objects.get(name="Moderators").permissions.filter(codename="view_auditentry")
