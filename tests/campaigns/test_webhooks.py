"""Stripe webhooks: only verified events change anything, each at most once.

Events are built from Stripe's example objects and signed with the webhook secret, then
POSTed to ``/stripe/webhook/``; Celery runs eagerly, so each is processed on commit.
"""

import json
import time
import uuid

import pytest
from django.conf import settings
from django.utils import translation

from campaigns.models import AuditEntry, PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.services import ledger_totals
from campaigns.services.pledges import request_refund
from tests.factories import UserFactory, make_initiative, site_tree
from tests.stripe_fake import (
    build,
    event_for,
    new_id,
    refunded_charge,
    session_event_for,
    sign,
    signed_payload,
)

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/stripe/webhook/"


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


def ledger_snapshot():
    pledges = list(
        Pledge.objects.order_by("pk").values_list("pk", "status", "flagged_reason", "paid_at")
    )
    attempts = list(PaymentAttempt.objects.order_by("pk").values_list("pk", "status"))
    return pledges, attempts, AuditEntry.objects.count()


def assert_totals(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def paid_audit_entries(pledge):
    return AuditEntry.objects.filter(
        object_type="campaigns.pledge", object_id=str(pledge.pk), action="paid"
    )


def stored(event):
    return WebhookEvent.objects.get(stripe_id=event["id"])


# --- requests that are not verifiable Stripe events --------------------------------------


def _forged(payload):
    return {"HTTP_STRIPE_SIGNATURE": sign(payload, "whsec_someone_else")}


def _stale(payload):
    stale = int(time.time()) - 301
    return {"HTTP_STRIPE_SIGNATURE": sign(payload, settings.STRIPE_WEBHOOK_SECRET, timestamp=stale)}


def _missing(payload):
    return {}


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        (_forged, "signature verification failed"),
        (_stale, "signature verification failed"),
        (_missing, "missing Stripe-Signature header"),
    ],
    ids=["forged-signature", "stale-timestamp", "missing-header"],
)
def test_unverifiable_event_is_refused_and_not_stored(
    client, campaign, open_pledge, headers, error
):
    pledge, attempt = open_pledge(campaign)
    payload = json.dumps(session_event_for(attempt))
    before = ledger_snapshot()

    response = client.post(
        WEBHOOK_URL, payload, content_type="application/json", **headers(payload)
    )

    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert WebhookEvent.objects.count() == 0
    assert ledger_snapshot() == before
    assert_totals(campaign, 0, 0)


@pytest.mark.parametrize(
    "payload",
    ["{not json", "[1, 2, 3]", '{"object": "event"}'],
    ids=["garbage", "json-list", "no-id-or-type"],
)
def test_signed_payload_that_is_not_an_event_is_refused(client, campaign, open_pledge, payload):
    open_pledge(campaign)
    before = ledger_snapshot()

    response = client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET),
    )

    assert response.status_code == 400
    assert response.json()["error"] in ("malformed payload", "not an event")
    assert WebhookEvent.objects.count() == 0
    assert ledger_snapshot() == before


def test_wrong_content_type_is_refused(client, campaign, open_pledge):
    pledge, attempt = open_pledge(campaign)
    payload = json.dumps(session_event_for(attempt))
    header = sign(payload, settings.STRIPE_WEBHOOK_SECRET)
    before = ledger_snapshot()

    as_text = client.post(
        WEBHOOK_URL, payload, content_type="text/plain", HTTP_STRIPE_SIGNATURE=header
    )
    as_form = client.post(WEBHOOK_URL, {"payload": payload}, HTTP_STRIPE_SIGNATURE=header)
    as_urlencoded = client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/x-www-form-urlencoded",
        HTTP_STRIPE_SIGNATURE=header,
    )

    for response in (as_text, as_form, as_urlencoded):
        assert response.status_code == 400
        assert response.json() == {"error": "expected application/json"}
    assert WebhookEvent.objects.count() == 0
    assert ledger_snapshot() == before


def test_only_post_is_allowed(client):
    assert client.get(WEBHOOK_URL).status_code == 405


def test_the_webhook_is_an_ordinary_view_behind_the_middleware(
    client, settings, campaign, open_pledge, post_event
):
    """The project's middleware runs (headers, host check); Stripe gets no cookie."""
    _pledge, attempt = open_pledge(campaign)
    response = post_event(session_event_for(attempt))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"  # XFrameOptionsMiddleware ran
    assert response["X-Content-Type-Options"] == "nosniff"  # so did SecurityMiddleware
    assert not response.cookies  # no session or CSRF cookie for a machine client

    settings.ALLOWED_HOSTS = ["wijkkapitaal.nl"]
    payload, header = signed_payload(session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
    refused = client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
        HTTP_HOST="evil.example",
    )
    assert refused.status_code == 400
    assert WebhookEvent.objects.count() == 1


def test_an_oversized_payload_is_refused_before_it_is_read(client, campaign, open_pledge):
    _pledge, attempt = open_pledge(campaign)
    event = session_event_for(attempt)
    event["data"]["object"]["metadata"]["padding"] = "x" * (600 * 1024)
    payload = json.dumps(event)

    response = client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET),
    )

    assert response.status_code == 400
    assert response.json() == {"error": "payload too large"}
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("depth", [40, 5_000, 100_000])
def test_an_absurdly_nested_signed_payload_is_a_400_not_a_500(client, campaign, depth):
    payload = '{"id": "evt_deep", "type": "x", "data": ' + "[" * depth + "]" * depth + "}"

    response = client.post(
        WEBHOOK_URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET),
    )

    assert response.status_code == 400
    assert response.json() == {"error": "malformed payload"}
    assert WebhookEvent.objects.count() == 0


def test_signature_from_another_payload_is_refused(client, campaign, open_pledge):
    """A valid header for one body cannot carry another (e.g. a raised amount)."""
    pledge, attempt = open_pledge(campaign)
    genuine = json.dumps(session_event_for(attempt))
    header = sign(genuine, settings.STRIPE_WEBHOOK_SECRET)
    tampered = json.dumps(session_event_for(attempt, amount_total=1))

    response = client.post(
        WEBHOOK_URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


# --- payments -------------------------------------------------------------------------------


def test_paid_checkout_session_marks_the_pledge_paid_exactly_once(
    campaign, open_pledge, post_event
):
    pledge, attempt = open_pledge(campaign, 25_00)
    event = session_event_for(attempt)

    response = post_event(event)

    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    pledge.refresh_from_db()
    attempt.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert pledge.paid_at is not None
    assert attempt.status == PaymentAttempt.Status.PAID
    assert_totals(campaign, 25_00, 1)
    record = stored(event)
    assert record.type == "checkout.session.completed"
    assert record.outcome == WebhookEvent.Outcome.APPLIED
    assert record.processed_at is not None
    assert record.attempts == 1
    assert record.payload == event
    entry = paid_audit_entries(pledge).get()
    assert (entry.from_state, entry.to_state) == ("pending", "paid")
    assert entry.actor_label == "stripe"
    assert entry.amount_cents == 25_00
    assert entry.data["event"] == event["id"]

    again = post_event(event)

    assert again.status_code == 200
    assert again.json() == {"received": True, "duplicate": True}
    assert WebhookEvent.objects.count() == 1
    assert paid_audit_entries(pledge).count() == 1
    assert_totals(campaign, 25_00, 1)
    assert stored(event).attempts == 1


def test_the_same_payment_in_a_second_event_is_counted_once(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign, 40_00)
    post_event(session_event_for(attempt))
    second = session_event_for(attempt, "checkout.session.async_payment_succeeded")

    assert post_event(second).status_code == 200

    assert stored(second).outcome == WebhookEvent.Outcome.NO_CHANGE
    assert paid_audit_entries(pledge).count() == 1
    assert_totals(campaign, 40_00, 1)


def test_two_pledges_of_one_donor_count_one_supporter(campaign, open_pledge, post_event):
    donor = UserFactory()
    first = open_pledge(campaign, 10_00, donor=donor)[1]
    second = open_pledge(campaign, 15_00, donor=donor)[1]
    guest = open_pledge(campaign, 20_00, guest_email="Buur@Example.nl")[1]
    same_guest = open_pledge(campaign, 5_00, guest_email="buur@example.nl")[1]

    for attempt in (first, second, guest, same_guest):
        post_event(session_event_for(attempt))

    assert_totals(campaign, 50_00, 2)


def test_unpaid_completion_then_async_success_pays(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign, 30_00)
    completed = session_event_for(attempt, payment_status="unpaid")

    post_event(completed)

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert stored(completed).outcome == WebhookEvent.Outcome.NO_CHANGE
    assert_totals(campaign, 0, 0)

    succeeded = session_event_for(attempt, "checkout.session.async_payment_succeeded")
    post_event(succeeded)

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert stored(succeeded).outcome == WebhookEvent.Outcome.APPLIED
    assert_totals(campaign, 30_00, 1)


def test_unpaid_completion_then_async_failure_fails(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign)
    post_event(session_event_for(attempt, payment_status="unpaid"))
    failed = session_event_for(
        attempt, "checkout.session.async_payment_failed", payment_status="unpaid"
    )

    post_event(failed)

    pledge.refresh_from_db()
    attempt.refresh_from_db()
    assert pledge.status == Pledge.Status.FAILED
    assert attempt.status == PaymentAttempt.Status.FAILED
    assert stored(failed).outcome == WebhookEvent.Outcome.APPLIED
    assert_totals(campaign, 0, 0)


def test_expired_session_expires_the_pledge(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign)
    expired = session_event_for(attempt, "checkout.session.expired", payment_status="unpaid")

    post_event(expired)

    pledge.refresh_from_db()
    attempt.refresh_from_db()
    assert pledge.status == Pledge.Status.EXPIRED
    assert attempt.status == PaymentAttempt.Status.EXPIRED
    assert AuditEntry.objects.filter(object_id=str(pledge.pk), action="payment_expired").exists()
    assert_totals(campaign, 0, 0)


def test_expiry_arriving_after_payment_changes_nothing(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    expired = session_event_for(attempt, "checkout.session.expired", payment_status="unpaid")

    assert post_event(expired).status_code == 200

    pledge.refresh_from_db()
    attempt.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert attempt.status == PaymentAttempt.Status.PAID
    assert stored(expired).outcome == WebhookEvent.Outcome.NO_CHANGE
    assert_totals(campaign, 25_00, 1)


def test_payment_arriving_after_expiry_is_treated_as_paid(campaign, open_pledge, post_event):
    """Documents the choice: a verified payment is money received, so the pledge is paid
    even when the expiry of its session was processed first (events can arrive out of order).
    """
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt, "checkout.session.expired", payment_status="unpaid"))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.EXPIRED

    paid = session_event_for(attempt)
    post_event(paid)

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert stored(paid).outcome == WebhookEvent.Outcome.APPLIED
    assert paid_audit_entries(pledge).get().from_state == "expired"
    assert_totals(campaign, 25_00, 1)


def test_failure_of_one_attempt_keeps_a_pledge_with_another_open_attempt_pending(
    campaign, open_pledge, post_event
):
    pledge, first = open_pledge(campaign)
    second = PaymentAttempt.objects.create(
        pledge=pledge,
        gateway="stripe",
        amount_cents=pledge.amount_cents,
        status=PaymentAttempt.Status.OPEN,
        checkout_session_id=new_id("cs"),
    )

    post_event(session_event_for(first, "checkout.session.expired", payment_status="unpaid"))

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    post_event(session_event_for(second))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID


def test_second_payment_of_a_paid_pledge_through_another_session_is_flagged(
    campaign, open_pledge, post_event
):
    """Two open Checkout Sessions for one pledge (e.g. "Try again" clicked twice) can both
    be paid. The second payment is money taken that is neither counted nor refunded, so it
    must at least reach staff; it must not vanish as "no change"."""
    pledge, first = open_pledge(campaign, 25_00)
    second = PaymentAttempt.objects.create(
        pledge=pledge,
        gateway="stripe",
        amount_cents=pledge.amount_cents,
        status=PaymentAttempt.Status.OPEN,
        checkout_session_id=new_id("cs"),
        payment_intent_id=new_id("pi"),
    )
    post_event(session_event_for(first))
    again = session_event_for(second)

    post_event(again)

    assert_totals(campaign, 25_00, 1)
    assert paid_audit_entries(pledge).count() == 1
    record = stored(again)
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    pledge.refresh_from_db()
    assert pledge.flagged_reason


# --- events that need a person ---------------------------------------------------------------


@pytest.mark.parametrize(
    "metadata", [{"pledge_id": "987654321"}, {}, {"pledge_id": "1 OR 1=1"}], ids=str
)
def test_payment_for_an_unknown_pledge_is_stored_and_flagged(
    campaign, open_pledge, post_event, metadata
):
    pledge, attempt = open_pledge(campaign)
    event = session_event_for(attempt, metadata=metadata)

    response = post_event(event)

    assert response.status_code == 200
    record = stored(event)
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    assert "unknown pledge" in record.flag_reason
    assert record.processed_at is not None
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert_totals(campaign, 0, 0)


@pytest.mark.parametrize(
    "changes",
    [{"amount_total": 24_99}, {"amount_total": 2_500_00}, {"currency": "usd"}],
    ids=["less", "more", "currency"],
)
def test_amount_or_currency_mismatch_is_flagged_and_not_paid(
    campaign, open_pledge, post_event, changes
):
    pledge, attempt = open_pledge(campaign, 25_00)
    event = session_event_for(attempt, **changes)

    post_event(event)

    record = stored(event)
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    assert record.flag_reason.startswith("amount mismatch")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert pledge.flagged_reason.startswith("amount mismatch")
    assert AuditEntry.objects.filter(object_id=str(pledge.pk), action="flagged").exists()
    assert not paid_audit_entries(pledge).exists()
    assert_totals(campaign, 0, 0)


def test_dispute_is_flagged_for_staff(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    dispute = build(
        "dispute",
        id=new_id("dp"),
        amount=25_00,
        currency="eur",
        charge=new_id("ch"),
        payment_intent=attempt.payment_intent_id,
        reason="fraudulent",
        status="needs_response",
    )
    event = event_for("dispute", dispute, "charge.dispute.created")

    assert post_event(event).status_code == 200

    record = stored(event)
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    pledge.refresh_from_db()
    assert pledge.flagged_reason == f"dispute {dispute['id']} opened: fraudulent"
    assert pledge.status == Pledge.Status.PAID
    assert_totals(campaign, 25_00, 1)


def test_unknown_event_type_is_stored_and_ignored(campaign, open_pledge, post_event):
    pledge, _attempt = open_pledge(campaign)
    event = event_for("customer", {"id": new_id("cus")}, "customer.created")
    before = ledger_snapshot()

    response = post_event(event)

    assert response.status_code == 200
    record = stored(event)
    assert record.outcome == WebhookEvent.Outcome.IGNORED
    assert record.processed_at is not None
    assert ledger_snapshot() == before


# --- refunds -----------------------------------------------------------------------------------


def test_refunded_charge_refunds_the_pledge_and_lowers_the_totals(
    campaign, open_pledge, post_event
):
    pledge, attempt = open_pledge(campaign, 25_00)
    other = open_pledge(campaign, 10_00)[1]
    post_event(session_event_for(attempt))
    post_event(session_event_for(other))
    assert_totals(campaign, 35_00, 2)
    charge = refunded_charge(payment_intent=attempt.payment_intent_id, amount=25_00)
    event = event_for("charge", charge, "charge.refunded")

    post_event(event)

    assert stored(event).outcome == WebhookEvent.Outcome.APPLIED
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUNDED
    refund = Refund.objects.get(pledge=pledge)
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.external_id == charge["refunds"]["data"][0]["id"]
    assert_totals(campaign, 10_00, 1)

    duplicate = event_for("charge", charge, "charge.refunded")
    post_event(duplicate)

    assert stored(duplicate).outcome == WebhookEvent.Outcome.NO_CHANGE
    assert Refund.objects.count() == 1
    assert_totals(campaign, 10_00, 1)


def test_partial_refund_is_flagged_and_the_pledge_stays_counted(campaign, open_pledge, post_event):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    charge = refunded_charge(payment_intent=attempt.payment_intent_id, amount=25_00)
    charge.update(amount_refunded=5_00, refunded=False)
    event = event_for("charge", charge, "charge.refunded")

    post_event(event)

    assert stored(event).outcome == WebhookEvent.Outcome.FLAGGED
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert "partial refund" in pledge.flagged_reason
    assert_totals(campaign, 25_00, 1)


def test_refund_updated_to_succeeded_completes_a_pending_refund(
    campaign, open_pledge, post_event, fake_stripe, django_capture_on_commit_callbacks
):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    fake_stripe.refund_status = "pending"  # Stripe answers "pending" for e.g. SEPA refunds

    with django_capture_on_commit_callbacks(execute=True):
        request_refund(pledge=pledge, reason="requested")

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUND_PENDING
    (remote,) = fake_stripe.refunds.values()
    refund = Refund.objects.get(pledge=pledge)
    assert (refund.status, refund.external_id) == (Refund.Status.PENDING, remote["id"])
    assert_totals(campaign, 25_00, 1)

    event = event_for("refund", {**remote, "status": "succeeded"}, "refund.updated")
    post_event(event)

    assert stored(event).outcome == WebhookEvent.Outcome.APPLIED
    pledge.refresh_from_db()
    refund.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUNDED
    assert refund.status == Refund.Status.SUCCEEDED
    assert refund.completed_at is not None
    assert_totals(campaign, 0, 0)


def test_refund_updated_to_failed_is_flagged(
    campaign, open_pledge, post_event, fake_stripe, django_capture_on_commit_callbacks
):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    fake_stripe.refund_status = "pending"
    with django_capture_on_commit_callbacks(execute=True):
        request_refund(pledge=pledge)
    (remote,) = fake_stripe.refunds.values()

    event = event_for("refund", {**remote, "status": "failed"}, "refund.updated")
    post_event(event)

    assert stored(event).outcome == WebhookEvent.Outcome.FLAGGED
    assert Refund.objects.get(pledge=pledge).status == Refund.Status.FAILED
    pledge.refresh_from_db()
    assert pledge.flagged_reason == f"refund {remote['id']} failed"
    assert_totals(campaign, 25_00, 1)


# --- the return page ---------------------------------------------------------------------------


def test_return_from_checkout_never_marks_a_pledge_paid(client, campaign, open_pledge):
    pledge, attempt = open_pledge(campaign, 25_00)
    url = f"/en/donations/return/{pledge.reference}/?session_id={attempt.checkout_session_id}"

    response = client.get(url)
    htmx = client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "We are confirming your payment" in response.content.decode()
    assert htmx.status_code == 200
    assert 'id="payment-status"' in htmx.content.decode()
    pledge.refresh_from_db()
    attempt.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert attempt.status == PaymentAttempt.Status.OPEN
    assert WebhookEvent.objects.count() == 0
    assert_totals(campaign, 0, 0)


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_unknown_donation_reference_is_a_clear_404(client, campaign, open_pledge, prefix, language):
    open_pledge(campaign)
    with translation.override(language):
        message = translation.gettext("We cannot find this donation. Please check the link.")

    response = client.get(f"{prefix}/donations/return/{uuid.uuid4()}/?session_id=cs_test_x")

    assert response.status_code == 404
    assert message in response.content.decode()


def test_malformed_donation_reference_is_a_404_not_a_500(client):
    site_tree()

    response = client.get("/en/donations/return/not-a-reference/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_tampered_reference_in_retry_is_a_404(client, campaign):
    response = client.post(f"/en/donations/retry/{uuid.uuid4()}/")

    assert response.status_code == 404
    assert Pledge.objects.count() == 0


# --- what visitors see --------------------------------------------------------------------------


def test_a_payment_shows_at_once_on_the_cached_initiative_page(
    client, settings, campaign, open_pledge, post_event
):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}
    with translation.override("nl"):
        url = "/en" + campaign.page.url
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    pledge, attempt = open_pledge(campaign, 250_00, public_name="Bakkerij Bol")

    post_event(session_event_for(attempt))

    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "€250" in fresh.content.decode()
    assert "Bakkerij Bol" in fresh.content.decode()
