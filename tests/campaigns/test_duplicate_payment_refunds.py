"""A pledge paid twice: staff refund the second payment in Stripe, and only that payment
goes back. The refund events carry the pledge's metadata, so the payment intent decides
whether the counted payment or the uncounted one was refunded.
"""

import pytest

from campaigns.models import AuditEntry, PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.services import ledger_totals
from tests.factories import make_initiative, site_tree
from tests.stripe_fake import build, event_for, new_id, refunded_charge, session_event_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


@pytest.fixture
def paid_twice(campaign, open_pledge, post_event):
    """A pledge whose first session was counted and whose second session was paid too."""
    pledge, counted = open_pledge(campaign, 25_00)
    second = PaymentAttempt.objects.create(
        pledge=pledge,
        gateway="stripe",
        amount_cents=pledge.amount_cents,
        status=PaymentAttempt.Status.OPEN,
        checkout_session_id=new_id("cs"),
        payment_intent_id=new_id("pi"),
    )
    post_event(session_event_for(counted))
    post_event(session_event_for(second))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert pledge.paid_payment_intent_id == counted.payment_intent_id
    assert "paid a second time" in pledge.flagged_reason
    assert_totals(campaign, 25_00, 1)
    return pledge, counted, second


def assert_totals(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def stored(event):
    return WebhookEvent.objects.get(stripe_id=event["id"])


def the_second_payment_alone_is_refunded(campaign, pledge, second, refund_id, event):
    pledge.refresh_from_db()
    second.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert not Refund.objects.exists()
    assert_totals(campaign, 25_00, 1)
    assert second.refunded_at is not None
    assert second.refund_external_id == refund_id
    assert stored(event).outcome == WebhookEvent.Outcome.APPLIED
    entry = AuditEntry.objects.get(
        object_type="campaigns.paymentattempt", action="payment_refunded"
    )
    assert entry.object_id == str(second.pk)
    assert entry.amount_cents == 25_00
    assert entry.data == {"refund": refund_id, "event": event["id"]}
    assert not AuditEntry.objects.filter(object_id=str(pledge.pk), action="refunded").exists()


def test_charge_refunded_for_the_second_payment_leaves_the_counted_one(
    campaign, paid_twice, post_event
):
    pledge, _counted, second = paid_twice
    charge = refunded_charge(
        payment_intent=second.payment_intent_id,
        amount=25_00,
        metadata={"pledge_id": str(pledge.pk)},
    )
    event = event_for("charge", charge, "charge.refunded")

    assert post_event(event).status_code == 200

    refund_id = charge["refunds"]["data"][0]["id"]
    the_second_payment_alone_is_refunded(campaign, pledge, second, refund_id, event)

    again = event_for("charge", charge, "charge.refunded")
    post_event(again)
    assert stored(again).outcome == WebhookEvent.Outcome.NO_CHANGE
    assert AuditEntry.objects.filter(action="payment_refunded").count() == 1
    assert_totals(campaign, 25_00, 1)


def test_refund_updated_for_the_second_payment_leaves_the_counted_one(
    campaign, paid_twice, post_event
):
    pledge, _counted, second = paid_twice
    refund = build(
        "refund",
        id=new_id("re"),
        amount=25_00,
        currency="eur",
        payment_intent=second.payment_intent_id,
        metadata={"pledge_id": str(pledge.pk)},
        status="succeeded",
    )
    event = event_for("refund", refund, "refund.updated")

    post_event(event)

    the_second_payment_alone_is_refunded(campaign, pledge, second, refund["id"], event)


def test_refunding_the_counted_payment_afterwards_still_refunds_the_pledge(
    campaign, paid_twice, post_event
):
    pledge, counted, second = paid_twice
    for attempt in (second, counted):
        charge = refunded_charge(
            payment_intent=attempt.payment_intent_id,
            amount=25_00,
            metadata={"pledge_id": str(pledge.pk)},
        )
        post_event(event_for("charge", charge, "charge.refunded"))

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUNDED
    assert Refund.objects.get(pledge=pledge).external_id == charge["refunds"]["data"][0]["id"]
    assert_totals(campaign, 0, 0)


def test_a_refund_of_a_payment_this_pledge_never_had_is_flagged(campaign, paid_twice, post_event):
    pledge, _counted, _second = paid_twice
    charge = refunded_charge(
        payment_intent=new_id("pi"), amount=25_00, metadata={"pledge_id": str(pledge.pk)}
    )
    event = event_for("charge", charge, "charge.refunded")

    post_event(event)

    record = stored(event)
    assert record.outcome == WebhookEvent.Outcome.FLAGGED
    assert charge["payment_intent"] in record.flag_reason
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert charge["payment_intent"] in pledge.flagged_reason
    assert_totals(campaign, 25_00, 1)
