"""The processor behind the webhook: stored events are applied in batches, each once.

``accept_event`` only stores an event and, on commit, wakes the processor. With a Redis
broker one job is queued per burst of events (a short-lived flag in Redis says a job is
on its way); the job claims pending events with ``SKIP LOCKED`` a batch per transaction,
and gives each event its own savepoint, so one that fails is rolled back and retried
later while the rest of its batch is kept.
"""

import json

import pytest
import redis
from django.test import Client

from campaigns.models import AuditEntry, Pledge, WebhookEvent
from campaigns.payments import webhooks
from campaigns.services import ledger_totals
from campaigns.services import totals as totals_services
from tests.celery_broker import broker_down, celery_conf, celery_worker, wait_until
from tests.factories import make_initiative, site_tree
from tests.stripe_fake import session_event_for, signed_payload

WEBHOOK_URL = "/stripe/webhook/"


def post(client, event, secret):
    payload, header = signed_payload(event, secret)
    return client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def paid_entries(pledge):
    return AuditEntry.objects.filter(
        object_type="campaigns.pledge", object_id=str(pledge.pk), action="paid"
    ).count()


def queued_jobs(broker):
    """The names of the Celery jobs waiting in the broker's default queue."""
    return [json.loads(message)["headers"]["task"] for message in broker.lrange("celery", 0, -1)]


@pytest.mark.django_db
def test_a_failing_event_is_rolled_back_alone_and_retried_later(
    client, settings, stripe_examples, open_pledge, monkeypatch, django_capture_on_commit_callbacks
):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    opened = [open_pledge(campaign, amount) for amount in (10_00, 20_00, 30_00, 40_00, 50_00)]
    with django_capture_on_commit_callbacks(execute=False) as wake_ups:
        for _pledge, attempt in opened:
            assert post(client, session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET).json()
    assert len(wake_ups) == len(opened)
    assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == len(opened)

    broken = opened[2][0]
    count_pledge = totals_services.count_pledge

    def fails_for_one_pledge(campaign, pledge):
        if pledge.pk == broken.pk:
            raise RuntimeError("database hiccup")
        count_pledge(campaign, pledge)

    # Fails after the pledge row was already changed: the savepoint must undo that too.
    monkeypatch.setattr("campaigns.services.pledges.count_pledge", fails_for_one_pledge)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        assert webhooks.process_pending_events(batch_size=2) == len(opened) - 1

    failed = WebhookEvent.objects.get(payload__data__object__metadata__pledge_id=str(broken.pk))
    assert (failed.processed_at, failed.attempts) == (None, 1)
    assert "RuntimeError: database hiccup" in failed.last_error
    broken.refresh_from_db()
    assert broken.status == Pledge.Status.PENDING
    assert paid_entries(broken) == 0
    campaign.refresh_from_db()
    assert campaign.raised_cents == 10_00 + 20_00 + 40_00 + 50_00
    assert ledger_totals(campaign) == (campaign.raised_cents, campaign.supporter_count)
    assert set(WebhookEvent.objects.exclude(pk=failed.pk).values_list("outcome", "attempts")) == {
        ("applied", 1)
    }

    # A second run leaves the failed event to its retry job instead of failing in a loop.
    assert webhooks.process_pending_events() == 0
    assert WebhookEvent.objects.get(pk=failed.pk).attempts == 1

    # The retry was scheduled on commit; once the cause is gone it applies the event once.
    monkeypatch.setattr("campaigns.services.pledges.count_pledge", count_pledge)
    for callback in after_commit:
        callback()
    failed.refresh_from_db()
    assert (failed.outcome, failed.attempts, failed.last_error) == ("applied", 2, "")
    broken.refresh_from_db()
    assert broken.status == Pledge.Status.PAID
    assert paid_entries(broken) == 1
    campaign.refresh_from_db()
    assert campaign.raised_cents == 150_00
    assert ledger_totals(campaign) == (150_00, 5)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_of_events_queues_one_job_and_a_worker_applies_each_once(
    requires_postgres, settings, stripe_examples, open_pledge, redis_broker
):
    settings.REDIS_URL = redis_broker
    broker = redis.Redis.from_url(redis_broker)
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    opened = [open_pledge(campaign, 5_00 + index * 100) for index in range(20)]
    client = Client()

    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        for _pledge, attempt in opened:
            response = post(client, session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
            assert response.json() == {"received": True, "duplicate": False}
        # Twenty requests, one processing job: the flag stood in for the other nineteen.
        assert broker.llen("celery") == 1
        assert broker.exists(webhooks.PROCESSOR_QUEUED_KEY)
        assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == 20

    with celery_worker(redis_broker):
        assert wait_until(lambda: not WebhookEvent.objects.filter(processed_at__isnull=True))
        assert not broker.exists(webhooks.PROCESSOR_QUEUED_KEY)

        # The job that ran cleared the flag, so the next event queues (and gets) a new one.
        late_pledge, late_attempt = open_pledge(campaign, 99_00)
        post(client, session_event_for(late_attempt), settings.STRIPE_WEBHOOK_SECRET)
        assert wait_until(
            lambda: Pledge.objects.get(pk=late_pledge.pk).status == Pledge.Status.PAID
        )

    assert set(WebhookEvent.objects.values_list("outcome", "attempts")) == {("applied", 1)}
    for pledge, _attempt in [*opened, (late_pledge, late_attempt)]:
        assert paid_entries(pledge) == 1
    expected = sum(5_00 + index * 100 for index in range(20)) + 99_00
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (expected, 21)
    assert ledger_totals(campaign) == (expected, 21)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_event_whose_wake_up_was_skipped_is_found_by_the_jobs_last_look(
    requires_postgres, settings, stripe_examples, open_pledge, redis_broker, monkeypatch
):
    """Within ``WAKE_WINDOW_SECONDS`` of seeing a queued job a process does not call
    Redis again; that job's last look, after twice the window, finds what came in."""
    settings.REDIS_URL = redis_broker
    broker = redis.Redis.from_url(redis_broker)
    monkeypatch.setattr(webhooks, "WAKE_WINDOW_SECONDS", 60.0)  # a window the test controls
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    (_first, first_attempt), (late, late_attempt) = [open_pledge(campaign) for _ in range(2)]
    client = Client()
    waits = []

    def an_event_arrives_while_the_job_waits(seconds):
        waits.append(seconds)
        response = post(client, session_event_for(late_attempt), settings.STRIPE_WEBHOOK_SECRET)
        assert response.json() == {"received": True, "duplicate": False}
        # Its wake-up was skipped: no flag, no second job, nothing processed yet.
        assert not broker.exists(webhooks.PROCESSOR_QUEUED_KEY)
        assert "campaigns.jobs.process_webhook_events" not in queued_jobs(broker)
        assert Pledge.objects.get(pk=late.pk).status == Pledge.Status.PENDING

    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        post(client, session_event_for(first_attempt), settings.STRIPE_WEBHOOK_SECRET)
        assert queued_jobs(broker) == ["campaigns.jobs.process_webhook_events"]
        broker.delete("celery")  # the job runs right here instead, as a worker would
        monkeypatch.setattr(webhooks.time, "sleep", an_event_arrives_while_the_job_waits)
        assert webhooks.process_queue() == 2

    assert len(waits) == 1 and 119 < waits[0] <= 120
    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PAID}
    assert set(WebhookEvent.objects.values_list("outcome", "attempts")) == {("applied", 1)}


@pytest.mark.django_db
def test_a_failed_publish_takes_the_flag_back_so_the_next_event_tries_again(
    client, settings, stripe_examples, open_pledge, redis_broker, django_capture_on_commit_callbacks
):
    """Redis answers but the job cannot be queued: no flag may claim a job is on its way."""
    settings.REDIS_URL = redis_broker
    broker = redis.Redis.from_url(redis_broker)
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    _pledge, attempt = open_pledge(campaign)
    with broker_down(), pytest.raises(Exception):  # noqa: B017, PT011 (kombu's own errors)
        webhooks.wake_processor()
    assert not broker.exists(webhooks.PROCESSOR_QUEUED_KEY)

    # In a request the error is logged and the event kept for the sweep.
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
    assert [callback.__name__ for callback in callbacks] == ["wake_processor"]
    assert response.json() == {"received": True, "duplicate": False}
    assert not broker.exists(webhooks.PROCESSOR_QUEUED_KEY)
    assert WebhookEvent.objects.get().processed_at is None
