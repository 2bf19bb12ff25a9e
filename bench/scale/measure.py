"""Page latency at both sizes, and the web worker's memory while it streams an export.

Every page is loaded by ``bench/http_load.py`` (closed loop, ``concurrency`` clients) from a
Gunicorn server (``bench/server.py``) on one data set's database, with that data set's
own file cache. Two servers per size: ``uncached`` (page cache and fragments off: what a
page costs to build) and ``cached`` (page cache on, fragments warm: the anonymous cached
and the logged-in initiative page).
"""

import gzip
import http.client
import time
from pathlib import Path

from bench import http_load
from bench.scale.jobs import run_job
from bench.server import HOST, GunicornServer

PAGE_CACHE_SECONDS = 60
EXPORT_TIMEOUT = 1800
# A page's first request may take this long; Gunicorn's own timeout (30 s, production's)
# still ends it earlier, which the results then show as an error.
SINGLE_TIMEOUT = 300


def pages(info):
    """(name, path, visitor, server) for every measured page; paths exist at both sizes."""
    hot = info["hot_path"]
    return [
        ("home", "/", None, "uncached"),
        ("initiatives", "/initiatives/", None, "uncached"),
        (
            "initiatives_by_neighbourhood",
            f"/initiatives/?neighbourhood={info['neighbourhood_id']}",
            None,
            "uncached",
        ),
        ("initiatives_search_tuin", "/initiatives/?q=tuin", None, "uncached"),
        ("neighbourhood_page", "/gouda/binnenstad/", None, "uncached"),
        ("city_page", "/gouda/", None, "uncached"),
        ("hot_initiative_cached", hot, None, "cached"),
        ("hot_initiative_uncached", hot, None, "uncached"),
        ("hot_initiative_logged_in", hot, "neighbour", "cached"),
        ("my_donations", "/donations/mine/", "donor", "uncached"),
        (
            "staff_pledges_by_campaign",
            f"{info['staff_pledges']}?campaign={info['hot_campaign']}",
            "staff",
            "uncached",
        ),
        ("open_data_initiatives_csv", "/open-data/all/initiatives.csv", None, "uncached"),
        ("open_data_months_csv", "/open-data/all/months.csv", None, "uncached"),
        ("open_data_grants_json", "/open-data/all/grants-360giving.json", None, "uncached"),
    ]


def exports(info):
    return [
        # The staff CSV of every pledge is a job's file (past ``stream_max_rows``), measured
        # by ``build_staff_export``: the bench servers run jobs in-process.
        ("open_data_initiatives_csv", "/open-data/all/initiatives.csv", None),
        ("open_data_months_csv", "/open-data/all/months.csv", None),
    ]


def build_open_data(bench_env, size, database_url, log):
    """Run the open-data job before the downloads are measured, as beat would: a download
    never builds in its request. The file cache is the servers' (it names the newest
    files); the media folder is shared by both sizes, each key keeps its newest two files,
    so each size's cache still names its own."""
    cache_dir = bench_env.workdir / f"cache-{size}"
    env = server_env(database_url, cache_dir, "uncached")
    result = run_job(bench_env, "open_data_build", env=env)
    log(f"  {size} open-data build: {result}")
    return result


def build_staff_export(bench_env, size, database_url, log):
    """The job that builds a staff CSV of every pledge, in its own process: seconds,
    queries, rows, bytes and growth of the process's peak memory."""
    cache_dir = bench_env.workdir / f"cache-{size}"
    env = server_env(database_url, cache_dir, "uncached")
    result = run_job(bench_env, "staff_export_build", env=env)
    log(f"  {size} staff CSV job: {result}")
    return result


def _headers(info, visitor):
    """A browser's request: it accepts gzip (the stored open-data files are sent as they
    are stored), and carries the visitor's session cookie."""
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    if visitor:
        headers["Cookie"] = info["cookies"][visitor]
    return headers


def server_env(database_url, cache_dir, kind):
    env = {"DATABASE_URL": database_url, "CACHE_URL": f"filecache://{cache_dir}"}
    if kind == "cached":
        env["PAGE_CACHE_SECONDS"] = PAGE_CACHE_SECONDS
    else:
        env.update(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0)
    return env


def measure_pages(bench_env, options, size, database_url, info, log):
    """{page name: {p50_ms, p95_ms, rps, ok, errors}} for one data set."""
    results = {}
    cache_dir = bench_env.workdir / f"cache-{size}"
    for kind in ("uncached", "cached"):
        chosen = [p for p in pages(info) if p[3] == kind]
        env = server_env(database_url, cache_dir, kind)
        with GunicornServer(bench_env, f"{size}-{kind}", workers=options.workers, **env) as server:
            for name, path, visitor, _kind in chosen:
                headers = _headers(info, visitor)
                started = time.perf_counter()
                try:
                    status, _, _ = http_load.send(
                        HOST, server.port, "GET", path, headers=headers, timeout=SINGLE_TIMEOUT
                    )
                except (OSError, http.client.HTTPException) as error:
                    status = repr(error)[:200]  # a worker killed mid-stream: IncompleteRead
                single_ms = round((time.perf_counter() - started) * 1000, 1)
                if status != 200:
                    results[name] = {"error": f"HTTP {status}", "single_ms": single_ms}
                    log(f"  {size} {name}: HTTP {status} after {single_ms} ms")
                    continue
                if single_ms > options.max_single_seconds * 1000:
                    # Four clients in a closed loop would only queue behind each other and
                    # hit the client's timeout: one request is the measurement.
                    results[name] = {"p50_ms": single_ms, "p95_ms": single_ms, "ok": 1,
                                     "single_ms": single_ms, "note": "one request only"}  # fmt: skip
                    log(f"  {size} {name}: one request only, {single_ms} ms")
                    continue
                result = server.measure(
                    path,
                    duration=options.duration,
                    warmup=options.warmup,
                    concurrency=options.concurrency,
                    headers=headers,
                )
                results[name] = {
                    "p50_ms": round(result.latency_ms(50), 1),
                    "p95_ms": round(result.latency_ms(95), 1),
                    "rps": round(result.requests_per_second, 2),
                    "ok": result.ok,
                    "errors": result.errors,
                    "single_ms": single_ms,
                }
                log(f"  {size} {result.summary()}")
    return results


def _plain(body, response_headers):
    encoding = {k.lower(): v for k, v in response_headers.items()}.get("content-encoding")
    return gzip.decompress(body) if encoding == "gzip" else body


def _worker_pid(server):
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    pids = children.read_text().split()
    if len(pids) != 1:
        raise RuntimeError(f"expected one Gunicorn worker, found {pids}")
    return int(pids[0])


def _status_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def measure_export_memory(bench_env, size, database_url, info, log):
    """Peak memory growth (VmHWM) of the single web worker across one full export each.

    A fresh one-worker server per export; before the export it has answered ``/health/``
    and the home page (URLconf, templates and apps loaded), so the growth is the export's.
    """
    results = {}
    cache_dir = bench_env.workdir / f"cache-{size}"
    # Gunicorn's production timeout (30 s) would kill a worker streaming a long export;
    # here the worker may stream for as long as the export takes, to see its memory.
    env = {**server_env(database_url, cache_dir, "uncached"), "GUNICORN_TIMEOUT": EXPORT_TIMEOUT}
    for name, path, visitor in exports(info):
        with GunicornServer(bench_env, f"{size}-memory-{name}", workers=1, **env) as server:
            server.get("/")
            pid = _worker_pid(server)
            before = _status_kb(pid, "VmHWM")
            started = time.perf_counter()
            try:
                status, response_headers, body = http_load.send(
                    HOST, server.port, "GET", path, headers=_headers(info, visitor),
                    timeout=EXPORT_TIMEOUT,
                )  # fmt: skip
                after = _status_kb(pid, "VmHWM")
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                results[name] = {"status": repr(error)[:200], "seconds": None,
                                 "peak_growth_mb": None, "tail": server.tail(5)}  # fmt: skip
                log(f"  {size} {name}: failed: {results[name]}")
                continue
            seconds = time.perf_counter() - started
        results[name] = {
            "status": status,
            "seconds": round(seconds, 1),
            "bytes": len(body),
            "rows": _plain(body, response_headers).count(b"\n"),
            "peak_growth_mb": round((after - before) / 1024, 1),
            "peak_before_mb": round(before / 1024, 1),
        }
        log(f"  {size} {name}: {results[name]}")
    return results
