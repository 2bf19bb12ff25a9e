"""Redis (the Celery broker) is down while Stripe's webhooks arrive.

Nothing may be lost: the webhook stores the verified event and still answers 200 (the
publish error is swallowed by ``on_commit(..., robust=True)``); once the broker is back,
the sweep (Celery beat, every minute) enqueues the events no job ever started on, and each
is applied exactly once.

The broker outage is real: the Celery app is pointed at a closed port. "The broker is
back" is real too where possible: a ``redis-server`` from pytest-redis and a Celery worker
thread (``celery.contrib.testing.worker.start_worker``) that consumes from it. The worker
has its own database connection, so those tests need PostgreSQL: SQLite's shared-cache
in-memory test database answers "database table is locked" to concurrent connections.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from campaigns import jobs
from campaigns.models import AuditEntry, Campaign, Pledge, Refund, WebhookEvent
from campaigns.payments import webhooks
from campaigns.services import ledger_totals
from config.celery import app as celery_app
from tests.celery_broker import broker_down, celery_worker, wait_until
from tests.factories import make_initiative, site_tree
from tests.stripe_fake import session_event_for, signed_payload

WEBHOOK_URL = "/stripe/webhook/"
FAIL_FAST_SECONDS = 5


def post_event(client, event):
    payload, header = signed_payload(event, settings.STRIPE_WEBHOOK_SECRET)
    started = time.monotonic()
    response = client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    return response, time.monotonic() - started


def assert_totals(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def receive_while_broker_is_down(client, campaign, open_pledge, amounts):
    """Three pledges are paid at Stripe while Redis is unreachable."""
    attempts = [open_pledge(campaign, amount)[1] for amount in amounts]
    events = [session_event_for(attempt) for attempt in attempts]
    with broker_down():
        for event in events:
            response, seconds = post_event(client, event)
            assert response.status_code == 200
            assert response.json() == {"received": True, "duplicate": False}
            assert seconds < FAIL_FAST_SECONDS, f"the webhook waited {seconds:.1f}s on the broker"
        response, _seconds = post_event(client, events[0])  # Stripe retries, too
        assert response.json() == {"received": True, "duplicate": True}

    assert WebhookEvent.objects.count() == len(events)
    for event in WebhookEvent.objects.all():
        assert (event.processed_at, event.outcome, event.attempts) == (None, "", 0)
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PENDING}
    assert_totals(campaign, 0, 0)
    return attempts


def assert_processed_once(campaign, attempts, amounts, supporters):
    assert set(WebhookEvent.objects.values_list("outcome", flat=True)) == {"applied"}
    assert set(WebhookEvent.objects.values_list("attempts", flat=True)) == {1}
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
    for attempt in attempts:
        assert (
            AuditEntry.objects.filter(
                object_type="campaigns.pledge", object_id=str(attempt.pledge_id), action="paid"
            ).count()
            == 1
        )
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PAID}
    assert_totals(campaign, sum(amounts), supporters)


def test_publishing_retries_briefly_then_gives_up():
    """The project bounds the publish retries, so a webhook never hangs on a dead broker."""
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    assert celery_app.conf.task_publish_retry_policy == policy
    worst_case = sum(
        policy["interval_start"] + policy["interval_step"] * i for i in range(policy["max_retries"])
    )
    assert worst_case < FAIL_FAST_SECONDS


@pytest.fixture
def receive_while_broker_is_down_captured(django_capture_on_commit_callbacks):
    """Like :func:`receive_while_broker_is_down`, inside the test's transaction: the
    on-commit publish is run (and fails) as the capture executes the callbacks."""

    def receive(client, campaign, open_pledge, amounts):
        attempts = [open_pledge(campaign, amount)[1] for amount in amounts]
        with broker_down():
            for attempt in attempts:
                started = time.monotonic()
                with django_capture_on_commit_callbacks(execute=True) as callbacks:
                    response, _seconds = post_event(client, session_event_for(attempt))
                seconds = time.monotonic() - started
                assert response.status_code == 200
                assert callbacks  # the publish was attempted, and failed
                assert seconds < FAIL_FAST_SECONDS, f"the publish took {seconds:.1f}s"
        assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == len(amounts)
        assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PENDING}
        assert_totals(campaign, 0, 0)
        return attempts

    return receive


@pytest.mark.django_db
def test_events_are_kept_while_the_broker_is_down_and_swept_later_eager(
    client, stripe_examples, open_pledge, receive_while_broker_is_down_captured
):
    """The broker comes back as in-process (eager) Celery; see the worker test below."""
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    amounts = [25_00, 40_00, 5_00]
    attempts = receive_while_broker_is_down_captured(client, campaign, open_pledge, amounts)

    assert jobs.sweep_stripe_events(older_than_seconds=0) == 3

    assert_processed_once(campaign, attempts, amounts, 3)
    assert jobs.sweep_stripe_events(older_than_seconds=0) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_are_kept_while_the_broker_is_down_and_a_worker_processes_them_later(
    requires_postgres, stripe_examples, open_pledge, redis_broker
):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    amounts = [25_00, 40_00, 5_00]
    client = Client()
    attempts = receive_while_broker_is_down(client, campaign, open_pledge, amounts)

    with celery_worker(redis_broker):
        # The sweep runs twice before anything is processed: each event is queued twice.
        assert jobs.sweep_stripe_events(older_than_seconds=0) == 3
        assert jobs.sweep_stripe_events(older_than_seconds=0) == 3
        assert wait_until(
            lambda: not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
        ), "the worker did not process the swept events"
        assert jobs.sweep_stripe_events(older_than_seconds=0) == 0

    assert_processed_once(campaign, attempts, amounts, 3)


def test_every_stored_event_is_swept_within_two_minutes():
    """Beat runs the sweep every minute, and the sweep takes events older than
    ``SWEEP_AFTER``: an event whose job was lost is enqueued again within 2 minutes."""
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "campaigns.jobs.sweep_stripe_events"
    ]
    assert entry["schedule"] <= 60
    assert 30 <= webhooks.SWEEP_AFTER.total_seconds() <= 60
    assert webhooks.SWEEP_AFTER.total_seconds() + entry["schedule"] < 120


@pytest.mark.django_db
def test_the_scheduled_sweep_takes_events_that_never_started_and_only_those(
    client, stripe_examples, open_pledge, receive_while_broker_is_down_captured
):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    amounts = [25_00, 40_00, 5_00, 7_00]
    attempts = receive_while_broker_is_down_captured(client, campaign, open_pledge, amounts)
    lost, young, failing, dead = WebhookEvent.objects.order_by("pk")
    a_minute_ago = timezone.now() - datetime.timedelta(seconds=61)
    WebhookEvent.objects.exclude(pk=young.pk).update(received_at=a_minute_ago)
    # One failed once and waits for its own retry; one failed too often and is dead.
    WebhookEvent.objects.filter(pk=failing.pk).update(attempts=1, last_error="RuntimeError")
    WebhookEvent.objects.filter(pk=dead.pk).update(attempts=10, dead_at=a_minute_ago)

    assert jobs.sweep_stripe_events() == 1  # as beat runs it

    assert WebhookEvent.objects.get(pk=lost.pk).outcome == "applied"
    assert Pledge.objects.get(pk=attempts[0].pledge_id).status == Pledge.Status.PAID
    for event in (young, failing, dead):
        assert WebhookEvent.objects.get(pk=event.pk).processed_at is None
    assert_totals(campaign, 25_00, 1)
    # However often the sweep runs, the failing and the dead event are not its business.
    for _minute in range(20):
        assert jobs.sweep_stripe_events() == 0
    assert WebhookEvent.objects.get(pk=failing.pk).attempts == 1
    assert WebhookEvent.objects.get(pk=dead.pk).attempts == 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refunds_asked_for_while_the_broker_was_down_are_made_when_it_is_back(
    requires_postgres, stripe_examples, open_pledge, fake_stripe, redis_broker
):
    """A campaign fails at its deadline while Redis is down: the Refund rows are stored,
    but the ``execute_refund`` jobs could not be enqueued. Once the broker is back, the
    periodic jobs (Celery beat) must get those refunds done; nothing else ever will."""
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    amounts = [25_00, 40_00]
    attempts = [open_pledge(campaign, amount)[1] for amount in amounts]
    for attempt in attempts:
        response, _seconds = post_event(Client(), session_event_for(attempt))
        assert response.status_code == 200
    assert_totals(campaign, sum(amounts), 2)
    after_deadline = campaign.deadline_at + datetime.timedelta(seconds=1)

    from campaigns.services.settlement import settle_campaign

    with broker_down():
        settle_campaign(campaign_id=campaign.pk, now=after_deadline)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED
    assert set(Refund.objects.values_list("status", flat=True)) == {Refund.Status.PENDING}
    assert fake_stripe.refund_requests == []

    with celery_worker(redis_broker) as app:
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            app.tasks[entry["task"]].delay()
        done = wait_until(
            lambda: not Refund.objects.exclude(status=Refund.Status.SUCCEEDED).exists(), 10
        )

    assert done, "pending refunds were never retried after the broker came back"
    assert len(fake_stripe.refunds) == len(amounts)
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.REFUNDED}
    assert_totals(campaign, 0, 0)
