"""A small, bounded HTTP load generator: threads, each with one http.client connection.

Pure standard library, so the benchmark runs on a fresh machine without wrk or ab. Every
thread sends requests back to back (closed loop), which bounds the load at ``concurrency``
requests in flight. Gunicorn's sync workers close the connection after each response;
http.client then reconnects transparently, so keep-alive is used where the server offers it.

Only loopback addresses are accepted: this is a benchmark, not a load-testing tool.
"""

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class LoadResult:
    path: str
    duration: float
    concurrency: int
    ok: int = 0
    errors: int = 0
    latencies: list = field(default_factory=list, repr=False)
    statuses: Counter = field(default_factory=Counter)
    header_values: Counter = field(default_factory=Counter)
    first_error: str = ""

    @property
    def requests_per_second(self):
        return self.ok / self.duration if self.duration else 0.0

    def latency_ms(self, percentile):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))
        return ordered[index] * 1000

    def summary(self):
        text = (
            f"{self.path}: {self.requests_per_second:.1f} req/s "
            f"({self.ok} ok, {self.errors} errors in {self.duration:.1f} s, "
            f"c={self.concurrency}, p50 {self.latency_ms(50):.1f} ms, "
            f"p95 {self.latency_ms(95):.1f} ms)"
        )
        if self.header_values:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(self.header_values.items()))
            text += f" [{counts}]"
        if self.first_error:
            text += f" first error: {self.first_error}"
        return text


def merge(results):
    """One result from several runs of the same path (e.g. a baseline before and after)."""
    results = list(results)
    merged = LoadResult(
        path=results[0].path,
        duration=sum(r.duration for r in results),
        concurrency=results[0].concurrency,
    )
    for result in results:
        _add_counts(merged, result)
    return merged


def _add_counts(total, part):
    total.ok += part.ok
    total.errors += part.errors
    total.latencies.extend(part.latencies)
    total.statuses.update(part.statuses)
    total.header_values.update(part.header_values)
    total.first_error = total.first_error or part.first_error


def _check_loopback(host):
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"refusing to send load to {host!r}: only loopback is allowed")


def get(host, port, path, headers=None, timeout=10):
    """One GET on a fresh connection; returns (status, headers dict, body bytes)."""
    return send(host, port, "GET", path, headers=headers, timeout=timeout)


def send(host, port, method, path, body=None, headers=None, timeout=10):
    """One request on a fresh connection; returns (status, headers dict, body bytes)."""
    _check_loopback(host)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


class _Worker(threading.Thread):
    def __init__(self, host, port, path, request, expect_status, count_header, stop_at, timeout):
        super().__init__(daemon=True)
        self.host, self.port, self.path = host, port, path
        self.request = request
        self.expect_status = expect_status
        self.count_header = count_header
        self.stop_at = stop_at
        self.timeout = timeout
        self.ok = 0
        self.errors = 0
        self.latencies = []
        self.statuses = Counter()
        self.header_values = Counter()
        self.first_error = ""

    def run(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        clock = time.perf_counter
        while True:
            started = clock()
            if started >= self.stop_at:
                break
            method, body, headers = self.request()
            try:
                connection.request(method, self.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                self.errors += 1
                self.first_error = self.first_error or repr(error)
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                continue
            elapsed = clock() - started
            self.statuses[response.status] += 1
            if response.status != self.expect_status:
                self.errors += 1
                self.first_error = self.first_error or f"HTTP {response.status}"
                continue
            self.ok += 1
            self.latencies.append(elapsed)
            if self.count_header:
                self.header_values[response.getheader(self.count_header, "-")] += 1
        connection.close()


def _run_phase(host, port, path, duration, concurrency, request, expect_status, count_header):
    stop_at = time.perf_counter() + duration
    workers = [
        _Worker(host, port, path, request, expect_status, count_header, stop_at, timeout=30)
        for _ in range(concurrency)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # Requests in flight at the deadline finish after it: count the time they took too.
    elapsed = time.perf_counter() - started
    result = LoadResult(path=path, duration=elapsed, concurrency=concurrency)
    for worker in workers:
        _add_counts(result, worker)
    return result


def measure(
    host,
    port,
    path,
    *,
    duration=5.0,
    warmup=1.0,
    concurrency=4,
    method="GET",
    body=None,
    headers=None,
    expect_status=200,
    count_header=None,
):
    """Load ``path`` for ``warmup`` seconds (discarded), then for ``duration`` seconds.

    Requests carry no cookies (http.client keeps none), so they are anonymous. A response
    with another status than ``expect_status`` counts as an error, not as throughput.
    ``count_header`` tallies the values of one response header (e.g. a cache hit marker).
    ``body`` is bytes, or a callable returning ``(body, extra_headers)`` for each request
    (e.g. a signed webhook payload with a unique id); it must be thread-safe.
    """
    _check_loopback(host)
    headers = {"Accept": "text/html", **(headers or {})}

    if callable(body):

        def request():
            payload, extra = body()
            return method, payload, {**headers, **extra}

    else:

        def request():
            return method, body, headers

    args = (host, port, path)
    if warmup > 0:
        _run_phase(*args, warmup, concurrency, request, expect_status, count_header)
    return _run_phase(*args, duration, concurrency, request, expect_status, count_header)
