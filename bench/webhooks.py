"""Stripe webhook benchmarks: accepting events over HTTP, and processing them in a worker.

``webhook_accept_sqlite`` (suite ``webhook_accept_sqlite``): signed, distinct
``checkout.session.completed`` events for pending pledges are POSTed to ``/stripe/webhook/``
on the same kind of Gunicorn server as the pages suite, against the bench SQLite database
(the embedded default; no target). With a local Redis as the Celery broker (the
production path) the request only verifies, stores and enqueues one processing job on the
``payments`` queue; without ``redis-server`` it falls back to eager Celery, which also
processes the event (marks the pledge paid, updates the totals, sends the receipt) inside
the request, and says so. The baseline is ``/health/`` on that same server, measured before
and after.

Suite ``webhook_process``, on a throw-away PostgreSQL (set up while the SQLite database is
prepared) with a local Redis:

* ``webhook_accept``: the same acceptance measurement on PostgreSQL, the production
  database, with the target of 0.3 x the trivial view. The events are for pending
  pledges on one campaign and are kept, one job each on the ``payments`` queue:
* ``webhook_process``: a Celery worker on the ``payments`` queue (``-Q payments``, as in
  platform/compose.yaml) then works through all of them, one job per event. Every
  paid event updates the same campaign row (a hot row). The value is events per second
  from the first to the last ``processed_at``; the baseline is ``pgbench`` updating one
  row with one client on the same server. At the end the campaign's ``raised_cents``
  must equal its total before plus the paid pledges, and the ledger.
"""

import json
import math
import threading
import time
from contextlib import ExitStack

from bench import http_load
from bench.environment import WEBHOOK_SECRET, SetupError
from bench.pages import TRIVIAL_PATH, BenchError, load, log, prime
from bench.report import Measurement, Target
from bench.server import HOST, GunicornServer
from bench.services import CeleryWorker, PostgresServer, RedisServer, run_django_job

WEBHOOK_PATH = "/stripe/webhook/"
CAMPAIGN_SLUG = "repair-cafe-goverwelle"
AMOUNT_CENTS = 10_00
PAYMENTS_QUEUE = "payments"
DEFAULT_QUEUE = "default"

BROKER_MODE = (
    "Redis broker: the request verifies, stores and enqueues one job for the event on the "
    "payments queue (no worker runs)"
)
EAGER_MODE = (
    "EAGER FALLBACK (no /usr/bin/redis-server): each request also processes its event "
    "(pledge paid, totals, receipt), so this is slower than the production path"
)

# webhook_process
PG_DATABASE = "wijkbench"
PGBENCH_DATABASE = "pgbench"
STALL_SECONDS = 60.0  # the worker must have processed an event by then
MAX_PROCESS_SECONDS = 900.0  # also with --process-seconds 0
PGBENCH_SCRIPT = "UPDATE pgbench_branches SET bbalance = bbalance + 1 WHERE bid = 1;"


class EventFeed:
    """Hands out each prepared event once, signed at send time (thread-safe).

    Should the prepared events run out, an event is sent again under a fresh id (still a
    distinct event for the webhook, though its pledge is already used); ``reused`` counts
    those, and the pool is sized from the trivial view's rate so that it does not happen.
    """

    def __init__(self, events, secret=WEBHOOK_SECRET):
        import stripe

        self._sign = stripe.WebhookSignature.generate_signature_header
        self.events = events
        self.secret = secret
        self.sent = []
        self.reused = 0
        self._lock = threading.Lock()

    @property
    def sent_ids(self):
        return [event["id"] for event in self.sent]

    def pledge_ids(self):
        return sorted({int(e["data"]["object"]["metadata"]["pledge_id"]) for e in self.sent})

    def __call__(self):
        with self._lock:
            index = len(self.sent)
            event = self.events[index % len(self.events)]
            if index >= len(self.events):
                event = {**event, "id": f"{event['id']}_again_{index}"}
                self.reused += 1
            self.sent.append(event)
        payload = json.dumps(event)
        header = self._sign(payload, self.secret)
        return payload.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}


def post_one(server, feed):
    """One webhook request before measuring: it must be accepted as a new event."""
    body, headers = feed()
    status, _, answer = http_load.send(HOST, server.port, "POST", WEBHOOK_PATH, body, headers)
    if status != 200:
        raise BenchError(f"POST {WEBHOOK_PATH} answered {status}: {answer[:300]!r}")
    data = json.loads(answer)
    if data.get("duplicate") is not False:
        raise BenchError(f"POST {WEBHOOK_PATH}: expected a new event, got {data}")


def accept_phase(bench_env, options, measurement, *, name, env, mode, queue):
    """/health/, signed webhook events, /health/ again, all on one Gunicorn server.

    Fills in ``measurement`` (value, baseline, note) and returns ``(feed, prepared)``: the
    events sent and the preparation's result. ``queue`` is a Redis client of the broker's
    database, to check that every stored event was enqueued (None when eager).
    """
    log(f"{name}: {mode}")
    with GunicornServer(bench_env, name, workers=options.workers, **env) as server:
        prime(server, TRIVIAL_PATH)
        before = load(server, TRIVIAL_PATH, options)

        # Enough events for the whole run even if the webhook were as fast as /health/.
        count = math.ceil(before.requests_per_second * (options.warmup + options.duration) * 1.3)
        count = max(count, 500) + 50
        prepared = run_django_job(
            bench_env,
            "webhook_events",
            log_name=name,
            env=env,
            slug=CAMPAIGN_SLUG,
            count=count,
            amount_cents=AMOUNT_CENTS,
        )
        log(f"{name}: {count} pending pledges and their events in {prepared['seconds']:.1f} s")
        feed = EventFeed(prepared["events"])
        post_one(server, feed)
        accepted = load(server, WEBHOOK_PATH, options, method="POST", body=feed)
        after = load(server, TRIVIAL_PATH, options)

    trivial = http_load.merge([before, after])
    summary = run_django_job(
        bench_env, "webhook_summary", log_name=name, env=env, stripe_ids=feed.sent_ids
    )
    queued = queue.llen(PAYMENTS_QUEUE) if queue is not None else None
    measurement.value = accepted.requests_per_second
    measurement.baseline = trivial.requests_per_second
    notes = [
        mode,
        f"baseline /health/ on the same server before ({before.requests_per_second:.0f} "
        f"req/s) and after ({after.requests_per_second:.0f} req/s), combined",
        f"p50 {accepted.latency_ms(50):.0f} ms, p95 {accepted.latency_ms(95):.0f} ms",
        f"{summary['stored']} of {len(feed.sent)} signed events stored",
    ]
    if queued is not None:
        notes.append(f"{queued} processing jobs in Redis for them")
    else:
        notes.append(f"outcomes {summary['outcomes']}")
    if feed.reused:
        notes.append(f"{feed.reused} events re-sent under a new id (pool ran out)")
    if accepted.errors:
        notes.append(f"{accepted.errors} failed requests ({accepted.first_error})")
    measurement.note = "; ".join(notes)
    log(f"{name}: {summary['stored']} of {len(feed.sent)} events stored; {summary['outcomes']}")

    # Every successful request must have stored a new event (warm-up included).
    if summary["stored"] < accepted.ok:
        raise BenchError(f"only {summary['stored']} events stored for {accepted.ok} accepted")
    # Every stored event has its own processing job, on the payments queue.
    if queued is not None and queued != summary["stored"]:
        raise BenchError(f"{summary['stored']} events stored but {queued} jobs in Redis")
    if queued is not None and summary["processed"]:
        raise BenchError(f"{summary['processed']} events processed, but no worker runs")
    return feed, prepared


def run_accept(bench_env, options):
    measurement = Measurement(name="webhook_accept_sqlite", value=None, unit="req/s")
    try:
        with ExitStack() as stack:
            env, queue, mode = {}, None, EAGER_MODE
            if RedisServer.available():
                redis = stack.enter_context(RedisServer(bench_env, "redis-accept"))
                env["REDIS_URL"] = redis.url
                queue, mode = redis.client(), BROKER_MODE
            accept_phase(
                bench_env,
                options,
                measurement,
                name="webhook-accept-sqlite",
                env=env,
                mode=mode,
                queue=queue,
            )
    except Exception as error:  # report it with the other results instead of losing them
        measurement.error = f"{type(error).__name__}: {error}"
    return [measurement]


class DemoPostgres:
    """A throw-away PostgreSQL with the migrated demo data, set up in a background thread.

    run.py starts it before preparing the SQLite database, so that the two set-ups (both
    before any measurement) overlap, and stops it at the end of the run. ``wait()`` returns
    once it is ready, or raises the set-up's error. The demo data is loaded with eager
    Celery, as in the SQLite set-up, so the broker starts empty.
    """

    def __init__(self, bench_env):
        self.bench_env = bench_env
        self.server = PostgresServer(bench_env)
        self.seconds = None
        self.error = None
        self._cancelled = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._setup, name="postgres-setup", daemon=True)

    def start(self):
        if not PostgresServer.available():
            self.error = SetupError("no PostgreSQL binaries (initdb, pg_ctl, pgbench) found")
            return self
        self._thread.start()
        return self

    def _setup(self):
        started = time.perf_counter()
        try:
            with self._lock:
                if self._cancelled:
                    return
                self.server.start()
            self.server.create_database(PG_DATABASE)
            self.server.create_database(PGBENCH_DATABASE)
            env = {"DATABASE_URL": self.url}
            self.bench_env.manage("migrate", "--no-input", log_name="postgres-setup", env=env)
            self.bench_env.manage("load_demo_data", log_name="postgres-setup", env=env)
            self.seconds = time.perf_counter() - started
        except Exception as error:
            self.error = error

    @property
    def url(self):
        return self.server.url(PG_DATABASE)

    def join(self):
        if self._thread.is_alive():
            self._thread.join()

    def wait(self):
        self.join()
        if self.error is not None:
            raise SetupError(f"PostgreSQL set-up failed: {self.error}") from self.error
        return self

    def stop(self):
        with self._lock:
            self._cancelled = True
            self.server.stop()
        if self._thread.is_alive():
            self._thread.join(timeout=120)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def run_process(bench_env, options):
    accept = Measurement(name="webhook_accept", value=None, unit="req/s", target=Target(">=", 0.3))
    measurement = Measurement(
        name="webhook_process",
        value=None,
        unit="events/s",
        target=Target(">=", 100, on="value"),
    )
    try:
        _measure_process(bench_env, options, accept, measurement)
    except Exception as error:  # report it with the other results instead of losing them
        message = f"{type(error).__name__}: {error}"
        if accept.value is None and not accept.error:
            accept.error = message
        measurement.error = message
    return [accept, measurement]


def _event_rows(connection, stripe_ids):
    """A WHERE clause (and its parameters) for the rows of the sent events.

    Matching thousands of Stripe ids on every poll takes about 25 ms of the server's CPU,
    which the worker being measured would feel; the primary keys of the stored events
    are looked up once, and polled as a range when they are contiguous (as they are when
    nothing else stores events meanwhile).
    """
    ids = sorted(
        row[0]
        for row in connection.execute(
            "SELECT id FROM campaigns_webhookevent WHERE stripe_id = ANY(%s)", (stripe_ids,)
        )
    )
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return "id BETWEEN %s AND %s", (ids[0], ids[-1])
    return "id = ANY(%s)", (ids,)


def _progress(connection, rows):
    """(processed, unprocessed, first processed_at, last processed_at) of these events."""
    where, params = rows
    return connection.execute(
        "SELECT count(processed_at), count(*) FILTER (WHERE processed_at IS NULL), "
        f"min(processed_at), max(processed_at) FROM campaigns_webhookevent WHERE {where}",
        params,
    ).fetchone()


def _queue_depth(client, queue=PAYMENTS_QUEUE):
    """Jobs waiting in one queue of the broker (delivered ones are not counted)."""
    return client.llen(queue)


def _measure_process(bench_env, options, accept, measurement):
    import psycopg

    if not RedisServer.available():
        raise BenchError("no /usr/bin/redis-server: cannot run a Celery broker and worker")
    with ExitStack() as stack:
        postgres = bench_env.background.get("webhook_process")
        if postgres is None:  # not started by run.py: set it up now
            postgres = stack.enter_context(DemoPostgres(bench_env))
        postgres.wait()
        log(
            f"webhook-process: PostgreSQL with the demo data ready ({postgres.seconds:.0f} s set-up)"
        )
        redis = stack.enter_context(RedisServer(bench_env, "redis-process"))
        env = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url}
        client = redis.client()

        # 1. webhook_accept: the events it stores are the worker's queue below.
        try:
            feed, prepared = accept_phase(
                bench_env,
                options,
                accept,
                name="webhook-accept",
                env=env,
                mode=f"PostgreSQL, {BROKER_MODE}",
                queue=client,
            )
        except Exception as error:
            accept.error = f"{type(error).__name__}: {error}"
            raise BenchError(f"no events to process: {accept.error}") from error
        stripe_ids = feed.sent_ids
        with psycopg.connect(postgres.url, autocommit=True) as connection:
            rows = _event_rows(connection, stripe_ids)
            processed, unprocessed, _, _ = _progress(connection, rows)
        stored = processed + unprocessed

        # 2. The baseline: pgbench on the same server, nothing else running.
        tps, _ = postgres.server.pgbench_tps(
            PGBENCH_DATABASE, PGBENCH_SCRIPT, seconds=options.duration
        )
        log(f"webhook-process: pgbench single-row update, 1 client: {tps:.0f} tps")

        # 3. A worker on the payments queue works through it, one job per event.
        budget = options.process_seconds
        worker = stack.enter_context(
            CeleryWorker(
                bench_env,
                "webhook-process",
                queues=[PAYMENTS_QUEUE],
                concurrency=options.payments_concurrency,
                pool=options.payments_pool,
                **env,
            )
        )
        ready = time.monotonic()
        log(
            f"webhook-process: worker ready, {_queue_depth(client)} jobs queued for "
            f"{stored} events" + (f"; stopping after {budget:g} s" if budget else "")
        )
        with psycopg.connect(postgres.url, autocommit=True) as connection:
            while True:
                processed, unprocessed, first, last = _progress(connection, rows)
                if not unprocessed:
                    break
                if not worker.alive():
                    raise BenchError(f"the worker died: {worker.tail()}")
                waited = time.monotonic() - ready
                if budget and first is not None and waited > budget:
                    break
                if (first is None and waited > STALL_SECONDS) or waited > MAX_PROCESS_SECONDS:
                    raise BenchError(
                        f"{processed} of {stored} events processed after {waited:.0f} s: "
                        f"{worker.tail()}"
                    )
                time.sleep(0.5)
            worker.stop()  # a warm shutdown: the job in hand finishes or rolls back
            processed, unprocessed, first, last = _progress(connection, rows)
        elapsed = time.monotonic() - ready
        follow_ups = _queue_depth(client, DEFAULT_QUEUE)

        check = run_django_job(
            bench_env,
            "verify_campaign",
            log_name="webhook-process",
            env=env,
            slug=CAMPAIGN_SLUG,
            pledge_ids=feed.pledge_ids(),
            stripe_ids=stripe_ids,
            raised_before=prepared["raised_before"],
        )

    span = (last - first).total_seconds() if processed > 1 else 0
    measurement.value = (processed - 1) / span if span > 0 else None
    measurement.baseline = tps
    expected = check["raised_before"] + check["paid_sum_cents"]
    correct = check["raised_cents"] == expected == check["ledger_raised_cents"]
    applied = check["outcomes"].get("applied", 0)
    verdict = (
        f"raised_cents {check['raised_cents']} = {check['raised_before']} before + "
        f"{check['paid_sum_cents']} from {check['paid_pledges']} paid pledges "
        f"(ledger {check['ledger_raised_cents']}): {'OK' if correct else 'MISMATCH'}"
    )
    log(
        f"webhook-process: {processed} of {stored} events processed in {span:.1f} s "
        f"(first to last processed_at), {unprocessed} left after {elapsed:.0f} s; "
        f"{follow_ups} follow-up jobs queued on the default queue"
    )
    log(f"webhook-process: {verdict}")
    log(f"webhook-process: pledges {check['statuses']}, events {check['outcomes']}")
    scope = (
        f"all {processed} events"
        if not unprocessed
        else f"{processed} of {stored} events (stopped after {budget:g} s, --process-seconds)"
    )
    measurement.note = "; ".join(
        [
            f"{scope} paid into one campaign (one hot row), one job per event, PostgreSQL + "
            f"Redis + 1 Celery worker on the payments queue ({options.payments_pool}, "
            f"concurrency {options.payments_concurrency}); rate from first to last "
            "processed_at",
            f"baseline: pgbench '{PGBENCH_SCRIPT}' 1 client {options.duration:g} s on the "
            "same server (fsync and synchronous_commit off, as in the tests)",
            f"{follow_ups} follow-up jobs (receipts, digests, milestone mails) left on the "
            "default queue, which this worker does not take",
            verdict,
        ]
    )
    if not correct or check["paid_pledges"] != applied:
        raise BenchError(f"wrong totals: {verdict}; pledges {check['statuses']}")
