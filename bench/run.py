"""Run the Wijkkapitaal benchmarks: ``make bench`` or ``.venv/bin/python bench/run.py``.

Builds a scratch database with the demo data in bench/.work/, runs every suite, prints a
table with a PASS/MISS per target and writes bench/results.json. Missing a target does not
fail the run (exit 0); a broken setup, server or measurement does (exit 1; a measurement
that could not be taken is written with a null value). See bench/README.md.
"""

import argparse
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import matching, notifications, pages, report, webhooks
from bench.environment import BenchEnvironment

# Suites run in this order; each is ``run(bench_env, options) -> list[Measurement]``.
SUITES = {
    "pages": pages.run,
    "webhook_accept_sqlite": webhooks.run_accept,
    "notifications": notifications.run,
    "webhook_process": webhooks.run_process,
    "match_reservation": matching.run,
}

# Set-ups of a suite that run in the background while the SQLite database is prepared
# (both before any measurement); the suite finds its set-up in ``bench_env.background``.
# Each is a context manager with ``join()``; the run stops them at its end.
BACKGROUND = {
    "webhook_process": webhooks.DemoPostgres,
    "match_reservation": webhooks.DemoPostgres,
}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--suite",
        action="append",
        choices=sorted(SUITES),
        help="run only this suite (repeatable); results.json keeps the other entries",
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=1.0, help="discarded seconds before")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn sync workers")
    parser.add_argument(
        "--process-seconds",
        type=float,
        default=30.0,
        help="webhook_process: stop the worker after this long (0: when all are processed)",
    )
    parser.add_argument(
        "--payments-concurrency",
        type=int,
        default=os.cpu_count() or 1,
        help="webhook_process: processes (or threads) of the payments worker; default: one "
        "per CPU, Celery's own default, as platform/compose.yaml runs it",
    )
    parser.add_argument(
        "--payments-pool",
        choices=["prefork", "threads", "solo"],
        default="prefork",
        help="webhook_process: the payments worker's pool",
    )
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_args(argv)
    names = options.suite or list(SUITES)
    started = time.perf_counter()
    bench_env = BenchEnvironment()

    print(f"Preparing {bench_env.workdir} (migrate, load_demo_data, collectstatic) ...")
    try:
        with ExitStack() as stack:
            bench_env.reset()
            for name in names:
                if name in BACKGROUND:
                    print(f"  and, alongside, the set-up of {name}", flush=True)
                    setup = stack.enter_context(BACKGROUND[name](bench_env))
                    bench_env.background[name] = setup
            seconds = bench_env.prepare(reset=False)
            for setup in bench_env.background.values():
                setup.join()  # nothing may run alongside the measurements
            print(f"  ready in {seconds:.1f} s ({time.perf_counter() - started:.1f} s in all)")
            measurements = []
            for name in names:
                print(f"Suite {name} ...", flush=True)
                measurements.extend(SUITES[name](bench_env, options))
    except Exception as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        print(f"Logs are in {bench_env.log_dir}", file=sys.stderr)
        return 1

    print(
        f"\nThroughput: {options.concurrency} concurrent closed-loop clients, "
        f"{options.duration:g} s per measurement after {options.warmup:g} s warm-up, "
        f"{options.workers} Gunicorn sync workers; SQLite (webhook_accept and "
        "webhook_process: PostgreSQL), DEBUG off.\n"
    )
    report.print_table(measurements)
    path = report.write_results(measurements, merge=options.suite is not None)
    print(f"\nWrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    print(f"Total time {time.perf_counter() - started:.0f} s")
    failed = [m.name for m in measurements if m.error]
    if failed:
        print(f"Measurements that could not be taken: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
