"""Work of the scale benchmark that needs Django, each run in its own process.

``python -m bench.scale.jobs TASK ARGS_JSON RESULT_JSON`` with the bench environment and the
``DATABASE_URL`` of one data set (small or scale); see :func:`run_job`.
"""

import json
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

from bench.environment import ROOT, SetupError

HOT_SLUG = "de-bruisplaats"
NEIGHBOURHOOD_PATH = "/gouda/binnenstad/"
CITY_PATH = "/gouda/"
VISITORS = {
    "neighbour": "bench-neighbour@example.nl",
    "donor": "anouk@example.nl",
    "staff": "moderator@wijkkapitaal.nl",
}


def run_job(bench_env, task, *, env, log_name="scale-jobs", **kwargs):
    """Run ``TASK(**kwargs)`` of this module in a subprocess; returns its JSON result."""
    args_path = bench_env.workdir / f"scale-{task}-args.json"
    result_path = bench_env.workdir / f"scale-{task}-result.json"
    args_path.write_text(json.dumps(kwargs))
    result_path.unlink(missing_ok=True)
    log = bench_env.log_path(log_name)
    with log.open("a") as out:
        out.write(f"\n$ bench.scale.jobs {task}\n")
        out.flush()
        completed = subprocess.run(
            [sys.executable, "-m", "bench.scale.jobs", task, str(args_path), str(result_path)],
            cwd=ROOT,
            env=bench_env.env(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if completed.returncode != 0 or not result_path.exists():
        tail = "\n".join(log.read_text().splitlines()[-30:])
        raise SetupError(f"scale job {task} failed (log: {log}):\n{tail}")
    return json.loads(result_path.read_text())


def visitors():
    """Session cookies for a neighbour, the donor with 500 pledges and a staff member, and
    the paths of the measured pages (the same at both sizes)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from accounts.models import User
    from campaigns.models import Campaign
    from cms.models import NeighbourhoodPage

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for name, email in VISITORS.items():
        user, _ = User.objects.get_or_create(email=email, defaults={"first_name": "Buur"})
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[name] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    hot = Campaign.objects.select_related("page").get(page__slug=HOT_SLUG)
    hood = NeighbourhoodPage.objects.get(url_path__endswith=NEIGHBOURHOOD_PATH)
    return {
        "cookies": cookies,
        "hot_path": hot.page.url,
        "hot_campaign": hot.pk,
        "neighbourhood_id": hood.pk,
        "staff_pledges": reverse("pledges:index"),
    }


def query_counts(pages, cookies):
    """Queries per page, rendered by Django's test client with every cache off."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, visitor in pages:
        client = Client(HTTP_HOST="localhost")
        if visitor:
            key, _, value = cookies[visitor].partition("=")
            client.cookies[key] = value
        client.get(path)  # first request: per-process caches (sites, settings, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
        counts[name] = {"queries": len(queries), "status": response.status_code}
    return counts


def deadline_state(campaign_ids):
    """The ledger after the deadline night, for the closing campaigns."""
    from django.db.models import Count

    from campaigns.models import Campaign, Pledge, Refund

    campaigns = Campaign.objects.filter(pk__in=campaign_ids)
    failed = campaigns.filter(status=Campaign.Status.FAILED)
    paid_before = Pledge.objects.filter(campaign__in=failed).exclude(paid_at=None)
    refunds = Refund.objects.filter(pledge__campaign__in=failed)
    per_pledge = refunds.values("pledge").annotate(n=Count("pk"))
    return {
        "statuses": dict(campaigns.values_list("status").annotate(n=Count("pk"))),
        "paid_pledges_of_failed": paid_before.count(),
        "pledge_statuses": dict(paid_before.values_list("status").annotate(n=Count("pk"))),
        "refund_rows": refunds.count(),
        "refund_statuses": dict(refunds.values_list("status").annotate(n=Count("pk"))),
        "pledges_with_refund": per_pledge.count(),
        "duplicate_refunds": per_pledge.filter(n__gt=1).count(),
        "sent_to_stripe": refunds.exclude(external_id="").count(),
        "lost": paid_before.filter(refunds__isnull=True).count(),
        "failed_raised_cents": sum(failed.values_list("raised_cents", flat=True)),
    }


def _peak_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _measured(function):
    """Run ``function()``; its seconds, queries and growth of peak memory (MB)."""
    import time

    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    peak = _peak_kb()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        value = function()
    return value, {
        "seconds": round(time.perf_counter() - started, 2),
        "queries": queries[0],
        "peak_growth_mb": round((_peak_kb() - peak) / 1024, 1),
    }


def busy_notifications(digest_items):
    """An initiator's digest of ``digest_items`` new items, then an update of the
    Bruisplaats fanned out to its followers and supporters who want updates (eager Celery,
    the locmem mail backend: rendering, the sent-once log and sending, no SMTP)."""
    from django.conf import settings
    from django.core import mail
    from django.utils import timezone

    from campaigns.models import Campaign, DigestItem
    from campaigns.services.updates import post_update
    from notifications.jobs import send_digests

    if not settings.CELERY_TASK_ALWAYS_EAGER or "locmem" not in settings.EMAIL_BACKEND:
        raise RuntimeError("busy_notifications expects eager Celery and locmem mail")
    hot = Campaign.objects.select_related("page").get(page__slug=HOT_SLUG)
    DigestItem.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    DigestItem.objects.bulk_create(
        (
            DigestItem(
                campaign=hot,
                kind=DigestItem.Kind.DONATION,
                object_id=10**9 + n,
                summary=f"€ 10,00 (Buur {n})",
            )  # fmt: skip
            for n in range(digest_items)
        ),
        batch_size=5000,
    )
    mail.outbox = []
    digests, digest = _measured(send_digests)
    digest.update(items=digest_items, digests_sent=digests, mails=len(mail.outbox),
                  body_chars=max((len(m.body) for m in mail.outbox), default=0))  # fmt: skip
    mail.outbox = []
    author = hot.initiators.first()
    update, fan_out = _measured(
        lambda: post_update(
            campaign=hot,
            author=author,
            title="Nieuws van de Bruisplaats",
            body="Dank jullie wel!\n\nZaterdag gaan we verder.",
        )  # fmt: skip
    )
    fan_out.update(followers=hot.follows.count(), mails=len(mail.outbox), update=update.pk)
    mail.outbox = []
    return {"digest": digest, "fan_out": fan_out}


def open_data_build():
    """What the ``bulk`` worker does each period for the platform: build and store its
    open-data files (2 kinds x 2 formats x 2 languages), as ``tasks.jobs.build_open_data``.
    The web server started afterwards on the same cache and media serves them."""
    from tasks.capital import files

    names, measured = _measured(lambda: files.build(files.PLATFORM))
    measured.update(files=len(names))
    return measured


def staff_export_build():
    """A staff member's CSV of every pledge, as the ``bulk`` worker builds it after the
    pledge list sent them to "Your exports" (``core.jobs.build_spreadsheet_export``):
    through the listing's own view, into a temporary file, then the private storage."""
    from accounts.models import User
    from core import stored_exports
    from core.models import SpreadsheetExport

    export = SpreadsheetExport.objects.create(
        requested_by=User.objects.get(email=VISITORS["staff"]),
        token=f"bench-{time.time_ns()}",
        title="Pledges",
        listing_path="/admin/pledges/",
        filename="pledges",
    )
    built, measured = _measured(lambda: stored_exports.build_export(export.pk))
    export.refresh_from_db()
    measured.update(
        built=built, status=export.status, rows=export.rows, failure=export.failure,
        bytes=export.file.size if export.file else 0,
    )  # fmt: skip
    export.delete()
    return measured


def close_due():
    """What beat runs on the deadline night: queue one settling job per due campaign."""
    from campaigns.jobs import close_due_campaigns

    return close_due_campaigns()


def main(task, args_path, result_path):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    kwargs = json.loads(Path(args_path).read_text())
    result = globals()[task](**kwargs)
    Path(result_path).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:4])
