"""A refund that Stripe marks failed or canceled: kept as a failed try with its error, shown
to staff, and retried by staff as a new try with its own idempotency key.
"""

from collections import Counter

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from campaigns import jobs
from campaigns.models import AuditEntry, Pledge, Refund, WebhookEvent
from campaigns.services import ledger_totals
from campaigns.services.pledges import request_refund
from campaigns.services.refunds import RefundNotRetryable, retry_refund
from tests.factories import UserFactory, make_initiative, moderator, site_tree
from tests.stripe_fake import event_for, refunded_charge, session_event_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


@pytest.fixture
def paid(campaign, open_pledge, post_event, fake_stripe):
    pledge, attempt = open_pledge(campaign, 25_00)
    post_event(session_event_for(attempt))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    return pledge


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run ``call()`` and then its on-commit work (the refund job), as a commit would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def assert_totals(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def test_staff_see_a_failed_refund_and_retry_it_with_a_new_key(
    client, campaign, paid, fake_stripe, run_on_commit
):
    fake_stripe.refund_status = "failed"
    run_on_commit(request_refund, pledge=paid, reason="staff")

    first = Refund.objects.get(pledge=paid)
    paid.refresh_from_db()
    assert (first.status, first.last_error) == (Refund.Status.FAILED, "Stripe refund failed")
    assert first.external_id
    assert paid.status == Pledge.Status.REFUND_PENDING
    assert paid.flagged_reason == f"refund {first.external_id} failed"
    assert_totals(campaign, 25_00, 1)
    assert jobs.sweep_refunds() == 0  # the sweep never retries a failed refund by itself
    assert jobs.execute_refund.delay(first.pk).result == "failed before"
    assert len(fake_stripe.refund_requests) == 1

    staff = moderator()
    client.force_login(staff)
    listing = client.get("/admin/refunds/", {"status": "failed"}).content.decode()
    retry_url = f"/admin/money/refunds/{first.pk}/retry/"
    assert "Stripe refund failed" in listing
    assert retry_url in listing
    confirm = client.get(retry_url)
    assert confirm.status_code == 200
    assert first.external_id in confirm.content.decode()
    assert Refund.objects.count() == 1

    fake_stripe.refund_status = "succeeded"
    run_on_commit(client.post, retry_url)

    second = Refund.objects.get(pledge=paid, sequence=2)
    assert second.idempotency_key == f"refund-{paid.pk}-2"
    assert second.status == Refund.Status.SUCCEEDED
    assert second.reason == "staff"
    first.refresh_from_db()
    assert first.status == Refund.Status.FAILED
    paid.refresh_from_db()
    assert paid.status == Pledge.Status.REFUNDED
    assert_totals(campaign, 0, 0)
    keys = Counter(r.header("Idempotency-Key") for r in fake_stripe.refund_requests)
    assert keys == {f"refund-{paid.pk}": 1, f"refund-{paid.pk}-2": 1}
    entry = AuditEntry.objects.get(action="refund_retried")
    assert (entry.actor, entry.object_id, entry.data["after"]) == (staff, str(second.pk), first.pk)
    assert AuditEntry.objects.filter(action="refund_failed", object_id=str(first.pk)).exists()

    listing = client.get("/admin/refunds/").content.decode()
    assert retry_url not in listing
    refused = client.post(retry_url, follow=True)  # the admin speaks Dutch by default
    assert "Alleen een mislukte terugbetaling" in refused.content.decode()
    assert Refund.objects.count() == 2


def test_a_refund_canceled_at_stripe_is_retried_and_completed_by_its_event(
    campaign, paid, fake_stripe, post_event, run_on_commit
):
    fake_stripe.refund_status = "pending"
    first = run_on_commit(request_refund, pledge=paid)
    first.refresh_from_db()
    remote = fake_stripe.refunds[first.external_id]

    canceled = event_for("refund", {**remote, "status": "canceled"}, "refund.updated")
    post_event(canceled)

    first.refresh_from_db()
    assert (first.status, first.last_error) == (Refund.Status.FAILED, "Stripe refund canceled")
    assert WebhookEvent.objects.get(stripe_id=canceled["id"]).outcome == "flagged"

    second = run_on_commit(retry_refund, refund=first)
    second.refresh_from_db()
    assert (second.sequence, second.status) == (2, Refund.Status.PENDING)
    assert second.external_id != first.external_id
    assert_totals(campaign, 25_00, 1)

    post_event(
        event_for(
            "refund",
            {**fake_stripe.refunds[second.external_id], "status": "succeeded"},
            "refund.updated",
        )
    )
    post_event(event_for("refund", {**remote, "status": "canceled"}, "refund.updated"))

    second.refresh_from_db()
    paid.refresh_from_db()
    assert second.status == Refund.Status.SUCCEEDED
    assert paid.status == Pledge.Status.REFUNDED
    assert_totals(campaign, 0, 0)


def test_no_retry_while_a_refund_is_pending_or_done(campaign, paid, fake_stripe, run_on_commit):
    fake_stripe.refund_status = "pending"
    pending = run_on_commit(request_refund, pledge=paid)

    with translation.override("nl"), pytest.raises(RefundNotRetryable) as refused:
        retry_refund(refund=pending)
    assert str(refused.value) == (
        "Alleen een mislukte terugbetaling van een donatie die nog wordt terugbetaald "
        "kan opnieuw worden geprobeerd."
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(
            pledge=paid, sequence=2, amount_cents=25_00, idempotency_key="refund-twice"
        )
    assert Refund.objects.count() == 1


def test_only_staff_may_retry_a_refund(client, campaign, paid, fake_stripe, run_on_commit):
    fake_stripe.refund_status = "failed"
    failed = run_on_commit(request_refund, pledge=paid)
    client.force_login(UserFactory())

    response = client.post(f"/admin/money/refunds/{failed.pk}/retry/")

    assert response.status_code in (302, 403)
    assert client.get("/admin/refunds/").status_code in (302, 403)
    assert Refund.objects.count() == 1


def test_a_refund_made_in_stripes_dashboard_after_a_failed_try_completes_the_pledge(
    campaign, paid, fake_stripe, post_event, run_on_commit
):
    fake_stripe.refund_status = "failed"
    failed = run_on_commit(request_refund, pledge=paid)
    charge = refunded_charge(
        payment_intent=paid.paid_payment_intent_id,
        amount=25_00,
        metadata={"pledge_id": str(paid.pk)},
    )

    post_event(event_for("charge", charge, "charge.refunded"))

    paid.refresh_from_db()
    assert paid.status == Pledge.Status.REFUNDED
    outside = Refund.objects.get(pledge=paid, status=Refund.Status.SUCCEEDED)
    assert (outside.sequence, outside.reason) == (2, "outside_platform")
    assert outside.external_id == charge["refunds"]["data"][0]["id"]
    assert Refund.objects.get(pk=failed.pk).status == Refund.Status.FAILED
    assert_totals(campaign, 0, 0)
    with pytest.raises(RefundNotRetryable):
        retry_refund(refund=failed)
