"""Stripe events whose mode (live or test) differs from the configured key's are stored and
flagged for staff, never applied: a test payment must not count as money, nor a live
event be handled by a platform that cannot refund it.
"""

import json

import pytest
from django.conf import settings

from campaigns.models import AuditEntry, Pledge, WebhookEvent
from campaigns.payments.webhooks import MAX_NESTING
from campaigns.services import ledger_totals
from tests.factories import make_initiative, site_tree
from tests.stripe_fake import session_event_for, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


@pytest.mark.parametrize(
    ("key", "livemode"),
    [
        ("", True),
        ("sk_test_wijkkapitaal", True),
        ("sk_live_wijkkapitaal", False),
        ("rk_live_wijkkapitaal", False),
    ],
    ids=["no-key-live-event", "test-key-live-event", "live-key-test-event", "restricted-live"],
)
def test_an_event_of_the_other_mode_is_flagged_not_applied(
    settings, campaign, open_pledge, post_event, key, livemode
):
    settings.STRIPE_SECRET_KEY = key
    pledge, attempt = open_pledge(campaign, 25_00)
    event = session_event_for(attempt)
    event["livemode"] = livemode
    event["data"]["object"]["livemode"] = livemode

    assert post_event(event).status_code == 200

    record = WebhookEvent.objects.get(stripe_id=event["id"])
    assert record.livemode is livemode
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    assert record.processed_at is not None
    mode, key_mode = ("live", "test") if livemode else ("test", "live")
    assert record.flag_reason == (
        f"{mode} mode event, but the platform runs with a {key_mode} mode Stripe key: not applied"
    )
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert not AuditEntry.objects.filter(object_id=str(pledge.pk), action="paid").exists()
    assert ledger_totals(campaign) == (0, 0)


@pytest.mark.parametrize(("key", "livemode"), [("", False), ("sk_live_wijkkapitaal", True)])
def test_an_event_of_the_keys_mode_is_applied(
    settings, campaign, open_pledge, post_event, key, livemode
):
    settings.STRIPE_SECRET_KEY = key
    pledge, attempt = open_pledge(campaign, 25_00)
    event = session_event_for(attempt)
    event["livemode"] = livemode

    post_event(event)

    assert WebhookEvent.objects.get(stripe_id=event["id"]).outcome == "applied"
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID


@pytest.mark.parametrize("depth", [40, 5_000, 60_000])
def test_absurdly_nested_objects_in_a_signed_payload_are_a_400(client, campaign, depth):
    """Objects this time (the list case is in test_webhooks): ``{"a": {"a": ...}}``."""
    payload = '{"id": "evt_deep", "type": "x", "data": ' + '{"a": ' * depth + "1" + "}" * depth
    payload += "}"

    response = client.post(
        "/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET),
    )

    assert response.status_code == 400
    assert response.json() == {"error": "malformed payload"}
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize(("below_object", "status"), [(29, 200), (30, 400)])
def test_nesting_up_to_the_limit_is_accepted_and_one_deeper_is_not(
    client, campaign, below_object, status
):
    """The event, ``data`` and ``object`` are three levels; MAX_NESTING is 32."""
    assert MAX_NESTING == 32
    event = {"id": "evt_nested", "type": "customer.created", "data": {"object": {}}}
    node = event["data"]["object"]
    for _level in range(below_object):
        node["child"] = {}
        node = node["child"]
    payload = json.dumps(event)

    response = client.post(
        "/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, settings.STRIPE_WEBHOOK_SECRET),
    )

    assert response.status_code == status
    assert WebhookEvent.objects.filter(stripe_id="evt_nested").exists() is (status == 200)
