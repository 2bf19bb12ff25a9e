"""The scale benchmark: ``make bench-scale`` or ``.venv/bin/python -m bench.scale.run``.

On a throw-away PostgreSQL: the demo data set (``small``) and, copied from it, the scale
data set (``scale``: the demo plus ``bench/scale/data.py`` times ``SCALE``). Then, on both
in the same run: p50/p95 of every page at concurrency 4, queries per page, the web
worker's peak memory while it streams the exports; then the deadline night on the scale
data. Writes ``bench/scale-results.json`` and prints a table. See bench/README.md.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.environment import ROOT, BenchEnvironment, SetupError  # noqa: E402
from bench.scale import deadline, measure, scaleout  # noqa: E402
from bench.scale.jobs import run_job  # noqa: E402
from bench.services import PostgresServer  # noqa: E402

RESULTS_PATH = ROOT / "bench" / "scale-results.json"
SIZES = ("small", "scale")
TARGET_RATIO = 2.0
TARGET_EXPORT_MB = 50


def log(message):
    print(message, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", "1")))
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn sync workers")
    parser.add_argument(
        "--max-single-seconds",
        type=float,
        default=10.0,
        help="a page whose first request takes longer is measured by that one request",
    )
    parser.add_argument(
        "--deadline-timeout",
        type=float,
        default=3600,
        help="stop the deadline night after this long and report how far it got",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work-scale")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_PATH, help="where to write the results"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["pages", "memory", "deadline", "notifications", "scaleout"],
    )
    return parser.parse_args(argv)


def load_scale(bench_env, url, scale):
    """Run the loader in its own process; returns its summary (sizes, seconds, checks)."""
    result_path = bench_env.workdir / "scale-load.json"
    log_path = bench_env.log_path("scale-load")
    with log_path.open("w") as out:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.scale.data", str(result_path)],
            cwd=ROOT,
            env=bench_env.env(DATABASE_URL=url, SCALE=scale),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if completed.returncode != 0:
        raise SetupError(f"loading the scale data failed: see {log_path}")
    return json.loads(result_path.read_text())


def ratios(pages):
    rows = {}
    for name, _path, _visitor, _kind in measure.pages({"hot_path": "", "neighbourhood_id": 0,
                                                       "staff_pledges": "", "hot_campaign": 0}):  # fmt: skip
        small, scale = pages["small"].get(name, {}), pages["scale"].get(name, {})
        ratio = None
        if small.get("p95_ms") and scale.get("p95_ms"):
            ratio = round(scale["p95_ms"] / small["p95_ms"], 2)
        rows[name] = {"small": small, "scale": scale, "p95_ratio": ratio,
                      "meets_target": ratio is not None and ratio <= TARGET_RATIO}  # fmt: skip
    return rows


def print_table(results):
    log("\npage                           small p50/p95 ms   scale p50/p95 ms   ratio  queries")
    for name, row in results["pages"].items():
        small, scale = row["small"], row["scale"]
        q = results["query_counts"]
        queries = f"{q['small'].get(name, {}).get('queries', '-')}/{q['scale'].get(name, {}).get('queries', '-')}"
        cell = lambda m: f"{m.get('p50_ms', '-')}/{m.get('p95_ms', m.get('error', '-'))}"  # noqa: E731
        verdict = "PASS" if row["meets_target"] else "MISS"
        log(
            f"{name:30} {cell(small):>18} {cell(scale):>18} {row['p95_ratio']!s:>6}  {queries:8} {verdict}"
        )
    for size, exports in results.get("export_memory", {}).items():
        for name, m in exports.items():
            growth = m["peak_growth_mb"]
            verdict = (
                "PASS"
                if growth is not None and growth < TARGET_EXPORT_MB and m["status"] == 200
                else "MISS"
            )
            log(
                f"memory {size} {name}: +{growth} MB in {m['seconds']} s, {m.get('rows')} rows, {m['status']} {verdict}"
            )
    for size, job in results.get("staff_export_job", {}).items():
        growth = job["peak_growth_mb"]
        verdict = "PASS" if growth < TARGET_EXPORT_MB and job["status"] == "ready" else "MISS"
        log(f"staff CSV job {size}: {job['rows']} rows, {job['bytes']} bytes in "
            f"{job['seconds']} s, +{growth} MB, {job['queries']} queries {verdict}")  # fmt: skip
    for size, build in results.get("open_data_build", {}).items():
        log(f"open-data job {size}: {build['files']} files in {build['seconds']} s, "
            f"+{build['peak_growth_mb']} MB, {build['queries']} queries")  # fmt: skip
    if "deadline_night" in results:
        night = results["deadline_night"]
        log(f"deadline night: {json.dumps(night)}")
    log(f"load: {results['load']['load_seconds']} s at SCALE={results['load']['scale']}")


def write(results, path=None):
    """Write what is measured so far (a long deadline night leaves the pages on disk)."""
    path = path or write.path
    shown = {**results, "load": {k: v for k, v in results.get("load", {}).items()
                                 if k != "closing_campaigns"}}  # fmt: skip
    path.write_text(json.dumps(shown, indent=2) + "\n")


write.path = RESULTS_PATH


def main(argv=None):
    options = parse_args(argv)
    write.path = options.results
    bench_env = BenchEnvironment(options.workdir)
    bench_env.reset()
    results = {"scale": options.scale, "concurrency": options.concurrency,
               "duration_s": options.duration, "cpus": os.cpu_count()}  # fmt: skip
    started = time.perf_counter()
    with PostgresServer(bench_env) as postgres:
        urls = {size: postgres.url(size) for size in SIZES}
        postgres.create_database("small")
        for step in (("migrate", "--no-input"), ("load_demo_data",)):
            bench_env.manage(*step, env={"DATABASE_URL": urls["small"]})
        bench_env.manage("collectstatic", "--no-input", env={"DATABASE_URL": urls["small"]})
        postgres.run("createdb", "-T", "small", *postgres.client_args("scale"))
        log(
            f"Demo data ready ({time.perf_counter() - started:.0f} s); loading SCALE={options.scale} ..."
        )
        results["load"] = load_scale(bench_env, urls["scale"], options.scale)
        log(
            f"  loaded in {results['load']['load_seconds']} s; tree: {results['load']['tree_problems']}"
        )
        info = {
            size: run_job(bench_env, "visitors", env={"DATABASE_URL": urls[size]}) for size in SIZES
        }
        results["query_counts"] = {}
        for size in SIZES:
            listed = [(n, p, v) for n, p, v, _ in measure.pages(info[size])]
            env = {"DATABASE_URL": urls[size], "PAGE_CACHE_SECONDS": 0, "FRAGMENT_CACHE_SECONDS": 0,
                   "CACHE_URL": "dummycache://", "ALLOWED_HOSTS": "localhost,testserver"}  # fmt: skip
            results["query_counts"][size] = run_job(
                bench_env, "query_counts", env=env, pages=listed, cookies=info[size]["cookies"]
            )
        pages = {size: {} for size in SIZES}
        if not {"pages", "memory"} <= set(options.skip):
            log("Open-data files, built by their job ...")
            results["open_data_build"] = {
                size: measure.build_open_data(bench_env, size, urls[size], log) for size in SIZES
            }
        for size in SIZES if "pages" not in options.skip else ():
            log(f"Pages on {size} ...")
            pages[size] = measure.measure_pages(
                bench_env, options, size, urls[size], info[size], log
            )
        results["pages"] = ratios(pages)
        write(results)
        if "memory" not in options.skip:
            log("Export memory ...")
            results["export_memory"] = {
                size: measure.measure_export_memory(bench_env, size, urls[size], info[size], log)
                for size in SIZES
            }
            log("Staff CSV of every pledge, built by its job ...")
            results["staff_export_job"] = {
                size: measure.build_staff_export(bench_env, size, urls[size], log) for size in SIZES
            }
        if "notifications" not in options.skip:
            log("Digest and update fan-out ...")
            try:
                results["notifications"] = run_job(
                    bench_env, "busy_notifications", env={"DATABASE_URL": urls["scale"]},
                    digest_items=max(100, round(10_000 * options.scale)),
                )  # fmt: skip
            except SetupError as error:
                results["notifications"] = {"error": str(error)[-2000:]}
            log(f"  {json.dumps(results['notifications'])}")
            write(results)
        if "scaleout" not in options.skip:
            log("Two web servers and two payments workers, one webhook burst ...")
            try:
                results["scale_out"] = scaleout.run(bench_env, urls["scale"], log)
            except Exception as error:  # reported with the results; the night still runs
                results["scale_out"] = {"error": f"{type(error).__name__}: {error}"[-2000:]}
            write(results)
        if "deadline" not in options.skip:
            log("Deadline night ...")
            closing = results["load"]["closing_campaigns"]
            write(results)
            results["deadline_night"] = deadline.run(
                bench_env, urls["scale"], closing, log, timeout=options.deadline_timeout
            )
    results["total_seconds"] = round(time.perf_counter() - started)
    write(results)
    print_table(results)
    log(f"\nWrote {options.results} in {results['total_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
