"""A payments worker keeps its database connection from job to job, as a web process does.

Celery's Django fix-up would open a new PostgreSQL connection for every job (a new server
process each time, more than a payment job's own queries cost). The settings keep it
(``CELERY_DB_REUSE_MAX``) and ``config.celery`` closes only old or broken connections
around each job, as Django does around a request. Real parts: PostgreSQL, a redis-server
broker and a prefork ``celery worker`` process.
"""

import os

import pytest
from django.db import connection

from campaigns import jobs
from campaigns.models import Pledge, WebhookEvent
from campaigns.payments import webhooks
from campaigns.services import ledger_totals
from tests.celery_broker import ROOT, WorkerProcess, celery_conf, wait_until
from tests.factories import make_initiative, site_tree
from tests.stripe_fake import session_event_for, signed_payload


def worker_connections(database):
    """``(pid, backend_start)`` of the other sessions connected to ``database``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cursor.fetchall()


def store_paid_event(open_pledge, campaign, settings):
    _pledge, attempt = open_pledge(campaign, 10_00)
    payload, header = signed_payload(session_event_for(attempt), settings.STRIPE_WEBHOOK_SECRET)
    record, _created = webhooks.accept_event(payload, header)
    return record


def processed(records):
    return WebhookEvent.objects.filter(
        pk__in=[r.pk for r in records], processed_at__isnull=False
    ).count() == len(records)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_reuses_its_connection_and_recovers_when_it_is_cut(
    requires_postgres, settings, stripe_examples, open_pledge, redis_broker, tmp_path
):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    database = connection.settings_dict["NAME"]
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        PYTHONPATH=str(ROOT),
        WORKER_BROKER_URL=redis_broker,
        WORKER_DATABASE_NAME=database,
        WORKER_MAIL_DIR=str(tmp_path),
        CELERY_SKIP_CHECKS="1",
    )
    first = [store_paid_event(open_pledge, campaign, settings) for _ in range(5)]
    later = [store_paid_event(open_pledge, campaign, settings) for _ in range(3)]

    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        worker = WorkerProcess("payments", env, tmp_path).start()
        try:
            for record in first:
                jobs.process_stripe_event.delay(record.pk)
            assert wait_until(lambda: processed(first), 60), worker.log.read_text()[-3000:]
            sessions = worker_connections(database)
            # One connection served all five jobs: it was opened before the first finished.
            assert len(sessions) == 1, sessions
            (pid, started), first_done = (
                sessions[0],
                min(
                    WebhookEvent.objects.filter(pk__in=[r.pk for r in first]).values_list(
                        "processed_at", flat=True
                    )
                ),
            )
            assert started < first_done, (started, first_done)

            # The server drops the connection (a restart, a failover, an idle timeout).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert wait_until(lambda: pid not in dict(worker_connections(database)), 10)
            for record in later:
                jobs.process_stripe_event.delay(record.pk)
            assert wait_until(lambda: processed(later), 60), worker.log.read_text()[-3000:]
        finally:
            worker.stop()

    # The cut connection cost no failed try: the job checked it and connected anew.
    assert [
        (e.attempts, e.last_error, e.outcome)
        for e in WebhookEvent.objects.filter(pk__in=[r.pk for r in later])
    ] == [(1, "", WebhookEvent.Outcome.APPLIED)] * len(later)
    campaign.refresh_from_db()
    assert Pledge.objects.filter(campaign=campaign, status=Pledge.Status.PAID).count() == 8
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
