"""Work of the scale benchmark that needs Django, each run in its own process.

``python -m bench.scale.jobs TASK ARGS_JSON RESULT_JSON`` with the bench environment and the
``DATABASE_URL`` of one data set (small or scale); see :func:`run_job`.
"""

import json
import subprocess
import sys
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
