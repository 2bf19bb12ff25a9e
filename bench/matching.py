"""Suite ``match_reservation``: the cost of matching on the payment path.

On a throw-away PostgreSQL with the demo data (as ``webhook_process``) and a Redis that
takes the follow-up jobs, one Django process applies paid checkout events with the
worker's own ``process_event``, alternating slices between a hot campaign that no
programme matches (the baseline: ``webhook_process`` without matching, measured in the
same run) and one matched by two programmes, where every event also locks both programmes
and reserves two matches. The value is events per second into the matched campaign; the
ratio against the plain one has the target >= 0.7. Checks: both campaigns' totals equal
the ledger, every matched event reserved two matches, and the programmes' running totals
equal their matches. See ``bench/match_jobs.py``.
"""

from contextlib import ExitStack

from bench.pages import BenchError, log
from bench.report import Measurement, Target
from bench.services import RedisServer, run_django_job
from bench.webhooks import DemoPostgres

EVENTS = 1500
ROUNDS = 6
AMOUNT_CENTS = 10_00


def run(bench_env, options):
    measurement = Measurement(
        name="match_reservation", value=None, unit="events/s", target=Target(">=", 0.7)
    )
    try:
        _measure(bench_env, measurement)
    except Exception as error:  # report it with the other results instead of losing them
        measurement.error = f"{type(error).__name__}: {error}"
    return [measurement]


def _measure(bench_env, measurement):
    if not RedisServer.available():
        raise BenchError("no /usr/bin/redis-server: the follow-up jobs need a broker")
    with ExitStack() as stack:
        postgres = bench_env.background.get("match_reservation")
        if postgres is None:
            postgres = stack.enter_context(DemoPostgres(bench_env))
        postgres.wait()
        redis = stack.enter_context(RedisServer(bench_env, "redis-match"))
        result = run_django_job(
            bench_env,
            "match_reservation",
            log_name="match-reservation",
            env={"DATABASE_URL": postgres.url, "REDIS_URL": redis.url},
            count=EVENTS,
            amount_cents=AMOUNT_CENTS,
            rounds=ROUNDS,
        )
    measurement.value = result["matched_rate"]
    measurement.baseline = result["plain_rate"]
    failed = [name for name, ok in result["checks"].items() if not ok]
    measurement.note = "; ".join(
        [
            f"{result['events']} paid events per campaign, one process, process_event in "
            f"{ROUNDS} alternating slices; PostgreSQL + Redis broker (follow-ups queued)",
            f"baseline: the same events into a campaign no programme matches "
            f"({result['plain_rate']:.0f} events/s)",
            f"outcomes {result['outcomes']}",
            "checks " + ("OK" if not failed else f"FAILED: {', '.join(failed)}"),
        ]
    )
    log(
        f"match-reservation: matched {result['matched_rate']:.0f} events/s, plain "
        f"{result['plain_rate']:.0f} events/s"
    )
    if failed:
        raise BenchError(f"wrong totals after matching: {failed}")
