"""The deadline night at scale: the closing campaigns settle at once, refunds go to Stripe.

On the scale database (after the page measurements; it changes the data), with a Redis
broker and one Celery worker on the ``payments`` queue (prefork, one process per CPU, as
``platform/compose.yaml`` runs it), Stripe faked at the HTTP boundary by
``tests/stripe_fake.FakeStripe`` served from this process. ``close_due_campaigns`` is
called once, as beat calls it; the clock runs until every paid pledge of the failed
campaigns has its refund at Stripe and the payments queue is empty. Checks: exactly one
refund row and one Stripe refund (by idempotency key) per pledge, none lost.
"""

import os
import time
from collections import Counter

import psycopg

from bench.scale.jobs import run_job
from bench.services import CeleryWorker, RedisServer
from tests.stripe_fake import FakeStripe

PAYMENTS_QUEUE = "payments"


def _progress(database_url, closing):
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            """
            SELECT
              (SELECT count(*) FROM campaigns_campaign WHERE id = ANY(%s) AND status = 'live'),
              (SELECT count(*) FROM campaigns_refund r JOIN campaigns_pledge p ON p.id = r.pledge_id
               WHERE p.campaign_id = ANY(%s) AND r.external_id <> ''),
              (SELECT count(*) FROM campaigns_pledge p JOIN campaigns_campaign c
               ON c.id = p.campaign_id WHERE c.id = ANY(%s) AND c.status = 'failed'
               AND p.paid_at IS NOT NULL)
            """,
            [closing, closing, closing],
        ).fetchone()
    return {"live": row[0], "at_stripe": row[1], "to_refund": row[2]}


def run(bench_env, database_url, closing, log, *, timeout=3600):
    result = {"campaigns": len(closing)}
    fake = FakeStripe().start()
    try:
        with RedisServer(bench_env, "redis-deadline") as redis:
            env = {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis.url,
                "STRIPE_SECRET_KEY": "sk_test_bench_scale",
                "STRIPE_API_BASE": fake.url,
            }
            concurrency = os.cpu_count() or 1
            with CeleryWorker(
                bench_env, "deadline", concurrency=concurrency, queues=[PAYMENTS_QUEUE], **env
            ) as worker:
                started = time.perf_counter()
                queued = run_job(bench_env, "close_due", env=env)
                log(f"  deadline night: {queued} campaigns queued for settling")
                client = redis.client()
                while True:
                    time.sleep(2)
                    state = _progress(database_url, closing)
                    depth = client.llen(PAYMENTS_QUEUE)
                    if not worker.alive():
                        raise RuntimeError(f"the payments worker died: {worker.tail()}")
                    if (
                        state["live"] == 0
                        and state["at_stripe"] >= state["to_refund"]
                        and depth == 0
                    ):
                        break
                    if time.perf_counter() - started > timeout:
                        result["timed_out"] = True
                        break
                result["seconds"] = round(time.perf_counter() - started, 1)
                result["payments_queue_left"] = client.llen(PAYMENTS_QUEUE)
                result["default_queue_left"] = client.llen("default")
                result["worker_concurrency"] = concurrency
        keys = Counter(r.header("Idempotency-Key") for r in fake.refund_requests)
        result["stripe_refund_requests"] = len(fake.refund_requests)
        result["stripe_refunds_created"] = len(fake.refunds)
        result["stripe_keys_sent_twice"] = sum(1 for n in keys.values() if n > 1)
    finally:
        fake.stop()
    result.update(
        run_job(
            bench_env, "deadline_state", env={"DATABASE_URL": database_url}, campaign_ids=closing
        )
    )
    result["refunds_per_second"] = (
        round(result["pledges_with_refund"] / result["seconds"], 1)
        if result.get("seconds")
        else None
    )
    result["ok"] = (
        result["duplicate_refunds"] == 0
        and result["lost"] == 0
        and result["stripe_refunds_created"] == result["paid_pledges_of_failed"]
        and result["payments_queue_left"] == 0
        and not result.get("timed_out")
    )
    return result
