"""Page benchmarks: public pages from the page cache, and the initiative page logged in.

Two Gunicorn servers run one after the other on the same database:

* cache on (PAGE_CACHE_SECONDS=5, fragments cached): ``trivial_view`` (/health/, the
  baseline, measured before and after the pages), ``initiative_page_cached`` and
  ``home_page_cached`` (anonymous, page cache hits), ``initiative_page_logged_in`` (a
  logged-in neighbour, whose session cookie bypasses the page cache, with the page's
  fragments warm); then ``cache_staleness_seconds``: a paid pledge is added through the
  totals service and the page is polled until every response shows the new total;
* fragments off (FRAGMENT_CACHE_SECONDS=0, no page cache): ``trivial_view_fragments_off``
  (its baseline, before and after) and ``initiative_page_cold``, the same logged-in view
  with every fragment rendered and read afresh (reported, no target).
"""

import html
import re
import time

from bench import http_load
from bench.report import Measurement, Target
from bench.server import GunicornServer

TRIVIAL_PATH = "/health/"
HOME_PATH = "/"
INITIATIVE_SLUG = "de-bruisplaats"
INITIATIVE_PATH = f"/gouda/binnenstad/{INITIATIVE_SLUG}/"
CACHE_SECONDS = 5

RPS = "req/s"
_SHOWN_TOTAL = re.compile(r'<p class="progress-figures">\s*<strong>(.*?)</strong>', re.S)


class BenchError(RuntimeError):
    pass


def log(message):
    print(f"  {message}", flush=True)


def prime(server, path, must_contain=None):
    """One request before measuring: the page must work, and lazy work (renditions) is done."""
    status, _, body = server.get(path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}: {server.tail()}")
    if must_contain and must_contain.encode() not in body:
        raise BenchError(f"GET {path} does not contain {must_contain!r}")


def load(server, path, options, **kwargs):
    result = server.measure(
        path,
        duration=options.duration,
        warmup=options.warmup,
        concurrency=options.concurrency,
        **kwargs,
    )
    log(f"{server.name}: {result.summary()}")
    return result


def throughput(name, result, baseline, target=None, note=""):
    if result.errors:
        errors = f"{result.errors} failed requests ({result.first_error})"
        note = f"{note}; {errors}" if note else errors
    return Measurement(
        name=name,
        value=result.requests_per_second,
        unit=RPS,
        baseline=baseline,
        target=target,
        note=note,
    )


def shown_total(server, path):
    """The raised total the page shows, and its X-Page-Cache header."""
    status, headers, body = server.get(path)
    if status != 200:
        return None, None
    match = _SHOWN_TOTAL.search(body.decode("utf-8", "replace"))
    shown = html.unescape(match.group(1)).strip() if match else None
    return shown, headers.get("X-Page-Cache")


def measure_staleness(server, bench_env, *, max_wait=30.0, settle=1.5, interval=0.02):
    """Seconds from committing a new paid pledge until the page shows the new total.

    The worst case, on purpose, so that the number does not depend on luck: the cache is
    emptied, one request caches the page with the old total, and the pledge is committed
    right after it. Then the page is polled on fresh connections (spread over the
    workers) until it shows the new total on every request for ``settle`` seconds; the
    result is the time of the first response of that run.
    Returns ``(seconds, first_fresh_seconds, timed_out)``.
    """
    bench_env.setup_django()
    from django.core.cache import cache
    from django.utils import timezone

    from campaigns.models import Campaign, Pledge
    from campaigns.services import recount_totals
    from cms.money import format_money

    campaign = Campaign.objects.get(page__slug=INITIATIVE_SLUG)
    before = format_money(campaign.raised_cents, campaign.currency, language="nl")
    cache.clear()
    shown, cache_status = shown_total(server, INITIATIVE_PATH)
    if shown != before:
        raise BenchError(
            f"cannot read the total on {INITIATIVE_PATH}: page shows {shown!r}, "
            f"database says {before!r}"
        )
    if cache_status != "miss":
        raise BenchError(f"expected a cache miss after clearing the cache, got {cache_status!r}")

    Pledge.objects.create(
        campaign=campaign,
        amount_cents=1234,
        currency=campaign.currency,
        guest_email="bench@example.nl",
        public_name="Benchmark",
        status=Pledge.Status.PAID,
        paid_at=timezone.now(),
    )
    campaign = recount_totals(campaign=campaign)
    committed = time.monotonic()
    expected = format_money(campaign.raised_cents, campaign.currency, language="nl")
    log(f"{server.name}: pledge committed, total {before} -> {expected}; polling")

    first_fresh = None
    fresh_since = None
    while True:
        shown, _ = shown_total(server, INITIATIVE_PATH)
        now = time.monotonic()
        if shown == expected:
            first_fresh = first_fresh if first_fresh is not None else now - committed
            fresh_since = fresh_since if fresh_since is not None else now
            if now - fresh_since >= settle:
                return fresh_since - committed, first_fresh, False
        else:
            fresh_since = None
        if now - committed > max_wait:
            return now - committed, first_fresh, True
        time.sleep(interval)


def baseline_note(before, after, what):
    return (
        f"{what}: /health/ measured before ({before.requests_per_second:.0f} req/s) and "
        f"after ({after.requests_per_second:.0f} req/s) the pages on the same server, combined"
    )


def neighbour_cookie(bench_env):
    """A session cookie for a neighbour who is logged in (not an initiator, not staff)."""
    bench_env.setup_django()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user, _created = get_user_model().objects.get_or_create(
        email="bench-neighbour@example.nl", defaults={"first_name": "Buur"}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def logged_in_prime(server, headers):
    """The neighbour's view works and shows the page logged in (fragments filled)."""
    status, _, body = server.get(INITIATIVE_PATH, headers=headers)
    if status != 200 or b"accounts/logout/" not in body:
        raise BenchError(f"GET {INITIATIVE_PATH} logged in answered {status} without a logout form")


def run(bench_env, options):
    measurements = []
    servers = {"workers": options.workers}
    neighbour = neighbour_cookie(bench_env)

    with GunicornServer(
        bench_env, "cache-on", PAGE_CACHE_SECONDS=CACHE_SECONDS, **servers
    ) as server:
        prime(server, TRIVIAL_PATH)
        prime(server, HOME_PATH)
        prime(server, INITIATIVE_PATH, must_contain="progress-figures")
        logged_in_prime(server, neighbour)
        before = load(server, TRIVIAL_PATH, options)
        cached = load(server, INITIATIVE_PATH, options, count_header="X-Page-Cache")
        home = load(server, HOME_PATH, options, count_header="X-Page-Cache")
        logged_in = load(server, INITIATIVE_PATH, options, headers=neighbour)
        after = load(server, TRIVIAL_PATH, options)
        trivial = http_load.merge([before, after])
        baseline = trivial.requests_per_second
        measurements += [
            throughput(
                "trivial_view",
                trivial,
                baseline,
                note=baseline_note(before, after, "the baseline of every ratio on this server"),
            ),
            throughput(
                "initiative_page_cached",
                cached,
                baseline,
                target=Target(">=", 0.8),
                note=f"anonymous, no cookies; {hits(cached)}",
            ),
            throughput(
                "home_page_cached",
                home,
                baseline,
                target=Target(">=", 0.8),
                note=f"anonymous, no cookies; {hits(home)}",
            ),
            throughput(
                "initiative_page_logged_in",
                logged_in,
                baseline,
                target=Target(">=", 0.2),
                note="a logged-in neighbour (session cookie, no page cache), fragments warm",
            ),
        ]
        measurements.append(staleness(server, bench_env, options))

    with GunicornServer(
        bench_env, "fragments-off", PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0, **servers
    ) as server:
        prime(server, TRIVIAL_PATH)
        logged_in_prime(server, neighbour)
        before = load(server, TRIVIAL_PATH, options)
        cold = load(server, INITIATIVE_PATH, options, headers=neighbour)
        after = load(server, TRIVIAL_PATH, options)
        trivial_off = http_load.merge([before, after])
        measurements += [
            throughput(
                "trivial_view_fragments_off",
                trivial_off,
                baseline,
                note=baseline_note(before, after, "the baseline of initiative_page_cold")
                + "; its ratio to trivial_view shows the run-to-run noise",
            ),
            throughput(
                "initiative_page_cold",
                cold,
                trivial_off.requests_per_second,
                note="the same logged-in view, every fragment rendered and read afresh",
            ),
        ]
    return measurements


def hits(result):
    return f"cache hits {result.header_values.get('hit', 0)} of {result.ok} responses"


def staleness(server, bench_env, options):
    measurement = Measurement(
        name="cache_staleness_seconds",
        value=None,
        unit="s",
        baseline=float(CACHE_SECONDS),
        target=Target("<=", 5, on="value"),
    )
    try:
        seconds, first_fresh, timed_out = measure_staleness(server, bench_env)
    except Exception as error:  # report it with the other results instead of losing them
        measurement.error = f"{type(error).__name__}: {error}"
        return measurement
    measurement.value = seconds
    if timed_out:
        measurement.note = f"the new total was not shown on every request within {seconds:.0f} s"
    else:
        measurement.note = (
            f"worst case (page cached just before the pledge), PAGE_CACHE_SECONDS="
            f"{CACHE_SECONDS}; first fresh response after {first_fresh:.2f} s"
        )
    return measurement
