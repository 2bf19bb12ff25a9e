"""Processing stored Stripe events: one job per event, on the ``payments`` queue.

The view stores an event and, on commit, enqueues ``process_stripe_event(event_id)``. The
job locks the event row, applies the event and marks it processed in one transaction, so
duplicates and retries never apply it twice. A failure rolls the event back and retries
with backoff; after ``STRIPE_EVENT_MAX_ATTEMPTS`` failures the event is marked dead and
waits for staff to press "process again".
"""

import json
import threading

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from campaigns import jobs
from campaigns.models import AuditEntry, Pledge, WebhookEvent
from campaigns.payments import webhooks
from campaigns.services import ledger_totals
from campaigns.services import totals as totals_services
from tests.celery_broker import broker_down, celery_conf, celery_worker, wait_until
from tests.factories import make_initiative, moderator, site_tree
from tests.stripe_fake import session_event_for, signed_payload

WEBHOOK_URL = "/stripe/webhook/"


def post(client, event, secret):
    payload, header = signed_payload(event, secret)
    return client.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def signed(event):
    return signed_payload(event, settings.STRIPE_WEBHOOK_SECRET)


def paid_entries(pledge):
    return AuditEntry.objects.filter(
        object_type="campaigns.pledge", object_id=str(pledge.pk), action="paid"
    ).count()


def queued(broker, queue):
    """``(job name, first argument)`` of the jobs waiting in one queue, oldest first."""
    messages = [json.loads(message) for message in reversed(broker.lrange(queue, 0, -1))]
    return [(m["headers"]["task"], json.loads(_body(m))[0][0]) for m in messages]


def _body(message):
    import base64

    return base64.b64decode(message["body"]).decode()


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


def fail_for(monkeypatch, pledge, times):
    """Make counting ``pledge`` fail ``times`` times (after its row was changed)."""
    count_pledge = totals_services.count_pledge
    failures = {"left": times}

    def flaky(campaign, counted):
        if counted.pk == pledge.pk and failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("database hiccup")
        count_pledge(campaign, counted)

    monkeypatch.setattr("campaigns.services.pledges.count_pledge", flaky)
    return failures


@pytest.mark.django_db
def test_each_new_event_enqueues_one_job_for_itself_on_commit(
    client, settings, stripe_examples, campaign, open_pledge, django_capture_on_commit_callbacks
):
    opened = [open_pledge(campaign, amount) for amount in (10_00, 20_00, 30_00)]
    events = [session_event_for(attempt) for _pledge, attempt in opened]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for event in [*events, events[0]]:
            post(client, event, settings.STRIPE_WEBHOOK_SECRET)
    # Three events, three jobs: the second delivery of an event id enqueues nothing.
    assert len(callbacks) == 3
    assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == 3

    for callback in callbacks:
        callback()

    assert set(WebhookEvent.objects.values_list("outcome", "attempts")) == {("applied", 1)}
    campaign.refresh_from_db()
    assert ledger_totals(campaign) == (campaign.raised_cents, campaign.supporter_count)
    assert campaign.raised_cents == 60_00


@pytest.mark.django_db
def test_a_failing_event_is_rolled_back_alone_and_applied_once_by_a_retry(
    campaign, open_pledge, post_event, monkeypatch
):
    opened = [open_pledge(campaign, amount) for amount in (10_00, 20_00, 30_00)]
    broken = opened[1][0]
    fail_for(monkeypatch, broken, times=2)

    for _pledge, attempt in opened:  # eager Celery: each retry runs at once
        assert post_event(session_event_for(attempt)).status_code == 200

    event = WebhookEvent.objects.get(payload__data__object__metadata__pledge_id=str(broken.pk))
    # Two failures rolled back, the third try applied it: once.
    assert (event.outcome, event.attempts, event.last_error, event.dead_at) == (
        "applied",
        3,
        "",
        None,
    )
    broken.refresh_from_db()
    assert broken.status == Pledge.Status.PAID
    assert paid_entries(broken) == 1
    campaign.refresh_from_db()
    assert campaign.raised_cents == 60_00
    assert ledger_totals(campaign) == (60_00, 3)


@pytest.mark.django_db
def test_a_failure_rolls_back_every_change_of_that_event(
    stripe_examples, campaign, open_pledge, monkeypatch
):
    pledge, attempt = open_pledge(campaign, 25_00)
    record, _created = webhooks.accept_event(*signed(session_event_for(attempt)))
    fail_for(monkeypatch, pledge, times=1)

    with pytest.raises(RuntimeError):
        webhooks.process_event(record.pk)  # fails after the pledge row was changed
    webhooks.record_failure(record.pk, RuntimeError("database hiccup"))

    record.refresh_from_db()
    assert (record.processed_at, record.attempts, record.dead_at) == (None, 1, None)
    assert record.last_error == "RuntimeError: database hiccup"
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert paid_entries(pledge) == 0
    assert ledger_totals(campaign) == (0, 0)


def test_backoff_doubles_up_to_ten_minutes():
    assert [jobs.backoff(n) for n in range(9)] == [5, 10, 20, 40, 80, 160, 320, 600, 600]


@pytest.mark.django_db
def test_after_too_many_failures_an_event_is_dead_and_nothing_retries_it(
    settings, campaign, open_pledge, post_event, monkeypatch
):
    settings.STRIPE_EVENT_MAX_ATTEMPTS = 4
    pledge, attempt = open_pledge(campaign, 25_00)
    failures = fail_for(monkeypatch, pledge, times=100)

    assert post_event(session_event_for(attempt)).status_code == 200

    event = WebhookEvent.objects.get()
    assert event.attempts == 4 and event.dead_at is not None
    assert event.processed_at is None and event.outcome == ""
    assert "RuntimeError: database hiccup" in event.last_error
    assert failures["left"] == 100 - 4  # four tries, then it stopped
    # Neither the sweep nor a stray redelivery of its job tries it again.
    assert jobs.sweep_stripe_events(older_than_seconds=0) == 0
    assert jobs.process_stripe_event.delay(event.pk).result is None
    assert failures["left"] == 96
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    assert ledger_totals(campaign) == (0, 0)


@pytest.mark.django_db
def test_dead_events_show_in_the_staff_screen_and_can_be_processed_again(
    client, settings, campaign, open_pledge, post_event, monkeypatch
):
    settings.STRIPE_EVENT_MAX_ATTEMPTS = 2
    pledge, attempt = open_pledge(campaign, 25_00)
    _fine, fine_attempt = open_pledge(campaign, 10_00)
    failures = fail_for(monkeypatch, pledge, times=100)
    post_event(session_event_for(attempt))
    post_event(session_event_for(fine_attempt))
    dead = WebhookEvent.objects.get(dead_at__isnull=False)
    done = WebhookEvent.objects.get(dead_at__isnull=True)
    client.force_login(moderator())

    given_up = client.get("/admin/webhook_events/", {"given_up": "true"}).content.decode()
    assert dead.stripe_id in given_up and done.stripe_id not in given_up
    assert f"/admin/money/webhook-events/{dead.pk}/process/" in given_up
    listing = client.get("/admin/webhook_events/").content.decode()
    assert f"/admin/money/webhook-events/{done.pk}/process/" not in listing

    failures["left"] = 0  # the cause is fixed
    client.post(f"/admin/money/webhook-events/{dead.pk}/process/")

    dead.refresh_from_db()
    assert (dead.outcome, dead.attempts, dead.dead_at) == ("applied", 1, None)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert paid_entries(pledge) == 1
    assert ledger_totals(campaign) == (35_00, 2)

    # Pressing it again for a processed event changes nothing.
    client.post(f"/admin/money/webhook-events/{dead.pk}/process/")
    dead.refresh_from_db()
    assert dead.attempts == 1
    assert paid_entries(pledge) == 1


@pytest.mark.django_db
def test_a_failed_try_is_retried_later_on_the_payments_queue_with_backoff(
    settings, stripe_examples, campaign, open_pledge, monkeypatch, redis_broker
):
    from celery.exceptions import Retry

    pledge, attempt = open_pledge(campaign, 25_00)
    record, _created = webhooks.accept_event(*signed(session_event_for(attempt)))
    fail_for(monkeypatch, pledge, times=1)
    broker = redis.Redis.from_url(redis_broker)

    job = jobs.process_stripe_event
    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        # As a worker runs it: a request with an id and the job's arguments.
        job.push_request(id="job-1", args=[record.pk], kwargs={}, called_directly=False)
        try:
            with pytest.raises(Retry) as retry:
                job.run(record.pk)
        finally:
            job.pop_request()

    assert retry.value.when == jobs.backoff(0)
    assert queued(broker, "payments") == [("campaigns.jobs.process_stripe_event", record.pk)]
    assert broker.llen("default") == 0
    record.refresh_from_db()
    assert (record.attempts, record.processed_at) == (1, None)


@pytest.mark.django_db
def test_a_failed_publish_keeps_the_event_for_the_sweep(
    client, settings, stripe_examples, campaign, open_pledge, django_capture_on_commit_callbacks
):
    """The broker is down at commit: Stripe still gets its 200, nothing was tried yet."""
    _pledge, attempt = open_pledge(campaign)
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
    assert len(callbacks) == 1
    assert response.json() == {"received": True, "duplicate": False}
    event = WebhookEvent.objects.get()
    assert (event.processed_at, event.attempts, event.dead_at) == (None, 0, None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_queues_one_job_per_event_and_a_worker_applies_each_once(
    requires_postgres, settings, stripe_examples, open_pledge, redis_broker
):
    broker = redis.Redis.from_url(redis_broker)
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    opened = [open_pledge(campaign, 5_00 + index * 100) for index in range(20)]
    client = Client()

    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        for _pledge, attempt in opened:
            response = post(client, session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
            assert response.json() == {"received": True, "duplicate": False}
        # The same payment in a second event (a new id), and that event delivered twice.
        second = session_event_for(opened[0][1])
        assert post(client, second, settings.STRIPE_WEBHOOK_SECRET).json()["duplicate"] is False
        assert post(client, second, settings.STRIPE_WEBHOOK_SECRET).json()["duplicate"] is True

    ids = list(WebhookEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert queued(broker, "payments") == [("campaigns.jobs.process_stripe_event", i) for i in ids]
    assert broker.llen("default") == 0
    # Every job is delivered twice, as after a redelivery.
    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        for event_id in ids:
            jobs.process_stripe_event.delay(event_id)

    with celery_worker(redis_broker):
        assert wait_until(lambda: not WebhookEvent.objects.filter(processed_at__isnull=True))
        assert wait_until(lambda: broker.llen("payments") == 0)

    outcomes = dict(WebhookEvent.objects.values_list("stripe_id", "outcome"))
    assert list(outcomes.values()).count("applied") == 20
    assert outcomes[second["id"]] == "no_change"
    assert set(WebhookEvent.objects.values_list("attempts", flat=True)) == {1}
    for pledge, _attempt in opened:
        assert paid_entries(pledge) == 1
    expected = sum(5_00 + index * 100 for index in range(20))
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (expected, 20)
    assert ledger_totals(campaign) == (expected, 20)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jobs_for_one_event_racing_each_other_apply_it_once(
    requires_postgres, stripe_examples, open_pledge
):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    pledge, attempt = open_pledge(campaign, 25_00)
    record, _created = webhooks.accept_event(*signed(session_event_for(attempt)))
    barrier = threading.Barrier(8)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(webhooks.process_event(record.pk))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert outcomes == ["applied"] * 8
    record.refresh_from_db()
    assert record.attempts == 1
    assert paid_entries(pledge) == 1
    assert ledger_totals(campaign) == (25_00, 1)
