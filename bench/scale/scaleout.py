"""Beyond one machine: two web servers and two payments workers behind one database.

On the scale database, with one Redis (broker and shared cache): two Gunicorn servers
(each its own process tree, as two web containers would be) and two Celery workers on the
``payments`` queue (distinct node names, as on two machines). ``EVENTS`` pending pledges on
the demo's Repair Café get a paid checkout event each; every event is POSTed to *both*
servers at once (Stripe retrying at a second container), by 8 client threads. Then the
workers drain the queue. Checks: each event stored once, each pledge paid once, the
campaign's ``raised_cents`` = before + the paid pledges = the ledger.

Part of ``bench.scale.run``; ``python -m bench.scale.scaleout [WORKDIR]`` runs it alone on
the migrated demo data.
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench import http_load
from bench.environment import ROOT, WEBHOOK_SECRET, BenchEnvironment
from bench.server import HOST, GunicornServer
from bench.services import CeleryWorker, PostgresServer, RedisServer, run_django_job

CAMPAIGN_SLUG = "repair-cafe-goverwelle"
WEBHOOK_PATH = "/stripe/webhook/"
EVENTS = 300
AMOUNT_CENTS = 10_00


def _post(port, event, sign):
    payload = json.dumps(event)
    headers = {"Content-Type": "application/json", "Stripe-Signature": sign(payload)}
    status, _, _ = http_load.send(HOST, port, "POST", WEBHOOK_PATH, payload.encode(), headers)
    return status


def run(bench_env, database_url, log, *, events=EVENTS, timeout=900):
    import stripe

    def sign(payload):
        return stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)

    result = {"events": events, "web_servers": 2, "payments_workers": 2}
    with RedisServer(bench_env, "redis-scaleout") as redis:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis.url,
               "CACHE_URL": redis.url_for(1)}  # fmt: skip
        prepared = run_django_job(
            bench_env, "webhook_events", log_name="scaleout", env=env,
            slug=CAMPAIGN_SLUG, count=events, amount_cents=AMOUNT_CENTS,
        )  # fmt: skip
        web = [GunicornServer(bench_env, f"scaleout-{n}", workers=1, **env) for n in (1, 2)]
        workers = [
            CeleryWorker(
                bench_env, f"scaleout-{n}", queues=["payments"], hostname=f"pay{n}@%h", **env
            )  # fmt: skip
            for n in (1, 2)
        ]
        try:
            for process in (*web, *workers):
                process.start()
            statuses, lock = [], threading.Lock()
            started = time.perf_counter()

            def both(event):
                answers = [_post(server.port, event, sign) for server in web]
                with lock:
                    statuses.extend(answers)

            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(both, prepared["events"]))
            result["post_seconds"] = round(time.perf_counter() - started, 1)
            result["http_statuses"] = {str(s): statuses.count(s) for s in set(statuses)}
            stripe_ids = [event["id"] for event in prepared["events"]]
            client = redis.client()
            while True:
                summary = run_django_job(
                    bench_env, "webhook_summary", log_name="scaleout", env=env,
                    stripe_ids=stripe_ids,
                )  # fmt: skip
                if summary["processed"] >= events and client.llen("payments") == 0:
                    break
                if not all(worker.alive() for worker in workers):
                    raise RuntimeError(f"a payments worker died: {workers[0].tail()}")
                if time.perf_counter() - started > timeout:
                    result["timed_out"] = True
                    break
                time.sleep(1)
            result["seconds"] = round(time.perf_counter() - started, 1)
            result["events_stored"] = summary["stored"]
            result["events_processed"] = summary["processed"]
        finally:
            for process in (*workers, *web):
                process.stop()
        pledge_ids = sorted(
            {int(e["data"]["object"]["metadata"]["pledge_id"]) for e in prepared["events"]}
        )
        check = run_django_job(
            bench_env, "verify_campaign", log_name="scaleout", env=env, slug=CAMPAIGN_SLUG,
            pledge_ids=pledge_ids, stripe_ids=stripe_ids, raised_before=prepared["raised_before"],
        )  # fmt: skip
    result["check"] = check
    expected = check["raised_before"] + check["paid_sum_cents"]
    result["ok"] = (
        result["events_stored"] == events
        and check["paid_pledges"] == events
        and check["outcomes"].get("applied", 0) == events
        and check["raised_cents"] == expected == check["ledger_raised_cents"]
        and check["supporter_count"] == check["ledger_supporters"]
        and not result.get("timed_out")
    )
    log(f"  scale-out: {json.dumps(result)}")
    return result


def main(workdir=None):
    bench_env = BenchEnvironment(workdir or ROOT / "bench" / ".work-scaleout")
    bench_env.reset()
    with PostgresServer(bench_env) as postgres:
        postgres.create_database("demo")
        url = postgres.url("demo")
        for step in (("migrate", "--no-input"), ("load_demo_data",)):
            bench_env.manage(*step, env={"DATABASE_URL": url})
        result = run(bench_env, url, lambda message: print(message, flush=True))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
