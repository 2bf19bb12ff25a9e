"""Concurrent webhooks and settlement on a real PostgreSQL: every event applies once, every
pledge is paid and refunded at most once, and the cached totals equal the ledger.

Each thread has its own Django test client and database connection. Celery runs eagerly,
so a webhook request processes its event in the request's thread right after the commit.
"""

import datetime
import random
import threading
from collections import Counter
from queue import Empty, SimpleQueue

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from campaigns import jobs
from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.services import ledger_totals
from campaigns.services import settlement as settlement_services
from campaigns.services.pledges import create_pledge
from tests.factories import UserFactory, make_initiative, site_tree
from tests.stripe_fake import event_for, new_id, session_event_for, signed_payload

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 16
WEBHOOK_URL = "/stripe/webhook/"


def run_in_threads(work, items, threads=THREADS):
    """Feed ``items`` to ``work(item, client)`` from ``threads`` threads that start together.

    Returns the results in completion order; re-raises the first error of any thread.
    """
    queue = SimpleQueue()
    for item in items:
        queue.put(item)
    barrier = threading.Barrier(threads)
    results, errors = [], []
    lock = threading.Lock()

    def worker():
        client = Client()
        try:
            barrier.wait(timeout=30)
            while True:
                try:
                    item = queue.get_nowait()
                except Empty:
                    return
                result = work(item, client)
                with lock:
                    results.append(result)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool), "a worker thread hung"
    if errors:
        raise errors[0]
    return results


def post_signed(payload_and_header, client):
    payload, header = payload_and_header
    response = client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    return response.status_code, response.json()


def run_refund_job(refund_pk, _client):
    result = jobs.execute_refund.apply(args=[refund_pk])
    assert result.successful(), result.traceback
    return result.result


def open_attempt(pledge, attempt):
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        status=PaymentAttempt.Status.OPEN,
        checkout_session_id=new_id("cs"),
        payment_intent_id=new_id("pi"),
    )
    attempt.refresh_from_db()
    return attempt


def test_hundred_payments_each_sent_twice_from_sixteen_threads(requires_postgres, stripe_examples):
    campaign = make_initiative(site_tree()[2], goal_cents=100_000_00)
    users = [UserFactory() for _ in range(30)]
    donors = []
    # 20 users give twice, 10 once; 40 guests, 10 of whom give twice (once in capitals).
    donors += [{"donor": user} for user in users[:20] for _ in range(2)]
    donors += [{"donor": user} for user in users[20:]]
    donors += [{"guest_email": f"gast{i}@example.nl"} for i in range(40)]
    donors += [{"guest_email": f"GAST{i}@Example.NL"} for i in range(10)]
    assert len(donors) == 100
    attempts = []
    for i, donor in enumerate(donors):
        pledge, attempt = create_pledge(
            campaign=campaign, amount_cents=5_00 + 137 * i, public_name=f"Buur {i}", **donor
        )
        attempts.append(open_attempt(pledge, attempt))
    expected_raised = sum(5_00 + 137 * i for i in range(100))
    expected_supporters = 30 + 40

    events = [session_event_for(attempt) for attempt in attempts]
    deliveries = [signed_payload(event, settings.STRIPE_WEBHOOK_SECRET) for event in events] * 2
    random.Random(20240611).shuffle(deliveries)

    results = run_in_threads(post_signed, deliveries)

    assert len(results) == 200
    assert {status for status, _body in results} == {200}
    assert Counter(body["duplicate"] for _status, body in results) == {False: 100, True: 100}
    assert WebhookEvent.objects.count() == 100
    assert set(WebhookEvent.objects.values_list("outcome", "attempts").annotate(n=Count("pk"))) == {
        (WebhookEvent.Outcome.APPLIED, 1, 100)
    }
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PAID}
    paid_entries = Counter(
        AuditEntry.objects.filter(object_type="campaigns.pledge", action="paid").values_list(
            "object_id", flat=True
        )
    )
    assert paid_entries == {str(attempt.pledge_id): 1 for attempt in attempts}
    campaign.refresh_from_db()
    assert campaign.raised_cents == expected_raised
    assert campaign.supporter_count == expected_supporters
    assert ledger_totals(campaign) == (expected_raised, expected_supporters)


def test_concurrent_settlement_and_refunds_refund_each_pledge_once(requires_postgres, fake_stripe):
    campaign = make_initiative(site_tree()[2], goal_cents=100_000_00)
    pledges = []
    for i in range(20):
        pledge, attempt = create_pledge(
            campaign=campaign,
            amount_cents=10_00 + i,
            guest_email=f"donor{i % 15}@example.nl",
            public_name="Buur",
        )
        attempt = open_attempt(pledge, attempt)
        payload = signed_payload(session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
        assert post_signed(payload, Client()) == (200, {"received": True, "duplicate": False})
        pledges.append(pledge)
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (sum(range(20)) + 200_00, 15)
    fake_stripe.refund_status = "pending"  # the refunds complete later, by refund.updated
    after = timezone.make_aware(
        datetime.datetime.combine(
            campaign.page.deadline + datetime.timedelta(days=1), datetime.time(9)
        ),
        timezone.get_default_timezone(),
    )

    # Eight deadline runs at once: one closes the campaign and asks for the refunds.
    run_in_threads(
        lambda _item, _client: settlement_services.settle_campaign(
            campaign_id=campaign.pk, now=after
        ),
        range(8),
        threads=8,
    )

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED
    assert (
        AuditEntry.objects.filter(
            object_type="campaigns.campaign", action=Action.CAMPAIGN_FAILED, from_state="live"
        ).count()
        == 1
    )
    assert Refund.objects.count() == 20
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.REFUND_PENDING}

    # Every refund job runs three more times at once, as retries and redeliveries would.
    refund_ids = list(Refund.objects.values_list("pk", flat=True)) * 3
    outcomes = run_in_threads(run_refund_job, refund_ids)

    assert Counter(outcomes) == {"pending": 60}

    assert len(fake_stripe.refunds) == 20
    keys = Counter(r.header("Idempotency-Key") for r in fake_stripe.refund_requests)
    assert set(keys) == {f"refund-{pledge.pk}" for pledge in pledges}

    # Stripe then reports each refund as succeeded, twice, from many threads.
    updates = [
        event_for("refund", {**remote, "status": "succeeded"}, "refund.updated")
        for remote in fake_stripe.refunds.values()
    ]
    deliveries = [signed_payload(e, settings.STRIPE_WEBHOOK_SECRET) for e in updates] * 2
    random.Random(7).shuffle(deliveries)
    results = run_in_threads(post_signed, deliveries)

    assert {status for status, _ in results} == {200}
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.REFUNDED}
    assert set(Refund.objects.values_list("status", flat=True)) == {Refund.Status.SUCCEEDED}
    refunded_entries = Counter(
        AuditEntry.objects.filter(object_type="campaigns.pledge", action="refunded").values_list(
            "object_id", flat=True
        )
    )
    assert refunded_entries == {str(pledge.pk): 1 for pledge in pledges}
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (0, 0)
    assert ledger_totals(campaign) == (0, 0)
