"""Load the scale data set on top of the demo data: ``python -m bench.scale.data RESULT_JSON``.

Run with the bench environment and a PostgreSQL ``DATABASE_URL`` that already holds the
migrated demo data (``bench/scale/run.py`` does both). ``SCALE`` (default 1.0) multiplies
every count (SCALE=0.01 for development); cities and neighbourhoods stay at 40 and 400.
Everything is written with ``COPY``; the ledger's cached totals are then recomputed in
SQL from the rows, as ``campaigns.services.totals.ledger_totals`` defines them, and the
tree is checked (``tree.tree_problems``). The demo's Bruisplaats gets the 50,000 pledges
and 200 tasks, the demo resident Anouk the 500 pledges, so that every measured path
exists at both sizes.
"""

import json
import os
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FULL = {
    "users": 200_000,
    "initiatives": 100_000,
    "pledges": 1_000_000,
    "tasks": 500_000,
    "signups": 300_000,
    "hot_pledges": 50_000,
    "closing": 1_000,
    "closing_pledges": 100_000,
    "followers": 50_000,
}
FIXED = {"cities": 40, "neighbourhoods": 400, "programmes": 40, "hot_tasks": 200, "donor": 500}
HOT_SLUG = "de-bruisplaats"
DONOR_EMAIL = "anouk@example.nl"
PLEDGE_COLUMNS = [
    "id", "reference", "amount_cents", "currency", "guest_email", "public_name",
    "is_anonymous", "message", "language", "status", "flagged_reason", "created_at",
    "paid_at", "campaign_id", "donor_id", "paid_payment_intent_id", "paid_session_id",
    "supporter_ref", "wants_updates",
]  # fmt: skip
ATTEMPT_COLUMNS = [
    "reference", "gateway", "checkout_session_id", "payment_intent_id", "checkout_url",
    "amount_cents", "currency", "status", "error", "created_at", "updated_at", "pledge_id",
    "refund_external_id",
]  # fmt: skip
ATTEMPT_STATUS = {"paid": "paid", "pending": "open", "failed": "failed", "expired": "expired"}


def sizes(scale):
    counts = {name: max(10, round(full * scale)) for name, full in FULL.items()}
    counts["closing"] = max(20, counts["closing"])
    counts["initiatives"] = max(counts["initiatives"], 2 * counts["closing"], 800)
    return {**FIXED, **counts}


def load_users(count, now):
    from bench.scale.copying import copy_rows, max_id

    first = max_id("accounts_user") + 1
    columns = ["id", "password", "is_superuser", "first_name", "last_name", "is_staff",
               "is_active", "date_joined", "email", "display_name", "preferred_language"]  # fmt: skip
    rows = (
        (first + i, "!", False, f"Buur{i}", "", False, True, now,
         f"buur{i}@scale.example.nl", f"Buur {i}", "en" if i % 5 == 0 else "nl")
        for i in range(count)
    )  # fmt: skip
    copy_rows("accounts_user", columns, rows)
    return list(range(first, first + count))


def pledge_plan(n, hot, donor, closing, campaigns, users, rng):
    """(campaign_id, donor_id or None, amount, status) for every pledge, in loading order."""
    failing = [c for c in closing[::2]]
    per_failing = max(1, n["closing_pledges"] // max(1, len(failing)))
    open_ones = [c for _, c, s in campaigns[n["closing"] :] if s == "live"]
    others = [c for _, c, _ in campaigns[n["closing"] :]]
    yield from (
        (hot, rng.choice(users), rng.randint(5, 50) * 100, None) for _ in range(n["hot_pledges"])
    )
    yield from (
        (rng.choice(open_ones), donor, rng.randint(5, 25) * 100, "paid") for _ in range(n["donor"])
    )
    for campaign in failing:
        yield from (
            (campaign, rng.choice(users), rng.randint(5, 40) * 100, "paid")
            for _ in range(per_failing)
        )
    for campaign in closing[1::2]:
        yield from ((campaign, rng.choice(users), 2500, "paid") for _ in range(5))
    left = n["pledges"] - n["hot_pledges"] - n["donor"] - per_failing * len(failing)
    for _ in range(max(0, left)):
        donor_id = rng.choice(users) if rng.random() < 0.7 else None
        yield rng.choice(others), donor_id, rng.randint(5, 100) * 100, None
    # fmt: skip


def load_pledges(plan, now, rng):
    from bench.scale.copying import copy_rows, max_id

    first = max_id("campaigns_pledge") + 1
    attempts = []
    statuses = ["paid", "pending", "failed", "expired"]

    def rows():
        for offset, (campaign, donor, amount, status) in enumerate(plan):
            pk = first + offset
            status = status or rng.choices(statuses, [88, 4, 5, 3])[0]
            paid = status == "paid"
            created = now - timedelta(minutes=offset % 40_000)
            intent, session = f"pi_scale_{pk}", f"cs_scale_{pk}"
            email = "" if donor else f"gast{pk}@scale.example.nl"
            attempts.append((pk, amount, ATTEMPT_STATUS[status], created, intent, session))
            yield (
                pk, uuid.uuid4(), amount, "EUR", email, f"Buur {pk % 997}", pk % 9 == 0, "",
                "nl", status, "", created, created if paid else None, campaign, donor,
                intent if paid else "", session if paid else "", "", pk % 3 == 0,
            )  # fmt: skip

    count = copy_rows("campaigns_pledge", PLEDGE_COLUMNS, rows())
    copy_rows(
        "campaigns_paymentattempt",
        ATTEMPT_COLUMNS,
        (
            (uuid.uuid4(), "stripe", session, intent, "", amount, "EUR", status, "", created,
             created, pk, "")
            for pk, amount, status, created, intent, session in attempts
        ),
    )  # fmt: skip
    return count


def load_tasks(n, hot_page, pages, users, now, rng):
    from bench.scale.copying import copy_rows, max_id

    first = max_id("tasks_task") + 1
    kinds = ["hands", "hands", "skill", "space", "material"]
    targets = [hot_page] * n["hot_tasks"] + [
        pages[i % len(pages)] for i in range(n["tasks"] - n["hot_tasks"])
    ]
    columns = ["id", "kind", "title", "description", "people_needed", "unit", "place",
               "status", "position", "created_at", "initiative_id"]  # fmt: skip
    copy_rows(
        "tasks_task",
        columns,
        (
            (first + i, kinds[i % 5], f"Klus {i}", "Wie helpt mee?", 3, "", "", "open",
             i % 50, now, page)
            for i, page in enumerate(targets)
        ),
    )  # fmt: skip
    task_ids = range(first, first + len(targets))
    signup_columns = ["note", "status", "hours_confirmed", "created_at", "user_id", "task_id"]
    signups = (
        ("", "done" if i % 3 == 0 else "signed_up", Decimal("2.5") if i % 3 == 0 else None,
         now, rng.choice(users), task_ids[(i * 5 // 3) % len(task_ids)])
        for i in range(min(n["signups"], len(task_ids)))
    )  # fmt: skip
    return len(targets), copy_rows("tasks_signup", signup_columns, signups)


def load_follows(campaign, users, count, now):
    from bench.scale.copying import copy_rows

    rows = ((now, campaign, user) for user in users[:count])
    return copy_rows("campaigns_follow", ["created_at", "campaign_id", "user_id"], rows)


def load_programmes(count):
    from campaigns.models import FundingProgramme

    template = FundingProgramme.objects.order_by("pk").first()
    programmes = [
        FundingProgramme(
            organisation_id=template.organisation_id,
            name=f"Wijkfonds {i + 1}",
            slug=f"scale-wijkfonds-{i + 1}",
            budget_cents=100_000_00,
            cap_per_initiative_cents=5_000_00,
            opens_on=template.opens_on,
            join_mode="application",
        )
        for i in range(count)
    ]
    return len(FundingProgramme.objects.bulk_create(programmes))


# Supporter keys as campaigns.models.ledger.pledge_supporter_key and tasks.support build them.
TOTALS_SQL = """
WITH keys AS (
    SELECT campaign_id, CASE WHEN donor_id IS NOT NULL THEN 'user:' || donor_id
        WHEN supporter_ref <> '' THEN 'ref:' || supporter_ref
        ELSE 'email:' || lower(guest_email) END AS k
    FROM campaigns_pledge WHERE status IN ('paid', 'refund_pending')
    UNION
    SELECT c.id, 'user:' || s.user_id FROM tasks_signup s
    JOIN tasks_task t ON t.id = s.task_id JOIN campaigns_campaign c ON c.page_id = t.initiative_id
    WHERE s.status IN ('signed_up', 'done')
), supporters AS (SELECT campaign_id, count(*) AS n FROM keys GROUP BY 1),
raised AS (SELECT campaign_id, sum(amount_cents) AS cents FROM campaigns_pledge
           WHERE status IN ('paid', 'refund_pending') GROUP BY 1)
UPDATE campaigns_campaign c SET raised_cents = COALESCE(r.cents, 0),
    supporter_count = COALESCE(s.n, 0), cache_version = c.cache_version + 1
FROM campaigns_campaign c2 LEFT JOIN raised r ON r.campaign_id = c2.id
LEFT JOIN supporters s ON s.campaign_id = c2.id
WHERE c.id = c2.id AND c.id >= %s
"""


def main(result_path):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from bench.scale import tree as pages
    from bench.scale.copying import Timer, analyze, execute, sync_sequences
    from campaigns.models import Campaign
    from campaigns.services.totals import ledger_totals, recount_totals

    scale = float(os.environ.get("SCALE", "1"))
    n = sizes(scale)
    rng = pages.new_rng()
    timer = Timer()
    now = timezone.now()
    print(f"Loading the scale data set, SCALE={scale}: {n}", flush=True)
    with transaction.atomic():
        started = time.perf_counter()
        tree = pages.Tree()
        first_page = tree.next_id
        first_campaign = Campaign.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
        hoods = pages.build_places(tree, n["cities"], n["neighbourhoods"])
        made = pages.build_initiatives(tree, hoods, n["initiatives"], n["closing"], rng)
        tree.save_numchild()
        timer.step("pages", started, len(made))
        started = time.perf_counter()
        users = load_users(n["users"], now)
        timer.step("users", started, len(users))
        hot = Campaign.objects.get(page__slug=HOT_SLUG)
        donor_id = User.objects.get(email=DONOR_EMAIL).pk
        closing = [c for _, c, _ in made[: n["closing"]]]
        started = time.perf_counter()
        plan = pledge_plan(n, hot.pk, donor_id, closing, made, users, rng)
        count = load_pledges(plan, now, rng)
        timer.step("pledges and payment attempts", started, count)
        started = time.perf_counter()
        task_count, signup_count = load_tasks(
            n, hot.page_id, [p for p, _, _ in made], users, now, rng
        )
        timer.step("tasks", started, task_count)
        timer.steps["signups"] = signup_count
        started = time.perf_counter()
        follows = load_follows(hot.pk, users, n["followers"], now)
        programmes = load_programmes(n["programmes"])
        execute(
            "INSERT INTO campaigns_campaign_initiators (campaign_id, user_id) "
            "SELECT id, %s FROM campaigns_campaign WHERE id >= %s",
            [users[0], first_campaign],
        )
        indexed = pages.index_for_search(first_page)
        timer.step("follows, programmes, initiators, search index", started, follows + indexed)
        sync_sequences("wagtailcore_page", "accounts_user", "campaigns_campaign", "campaigns_pledge",
                       "campaigns_paymentattempt", "tasks_task", "tasks_signup", "campaigns_follow",
                       "campaigns_campaign_initiators", "wagtailsearch_indexentry")  # fmt: skip
        started = time.perf_counter()
        execute(TOTALS_SQL, [first_campaign])
        recount_totals(campaign=hot)
        timer.step("totals", started)
    started = time.perf_counter()
    analyze()
    timer.step("analyze", started)
    problems = pages.tree_problems()
    sample = [hot.pk, *closing[:2]] + list(
        Campaign.objects.filter(pk__gte=first_campaign)
        .order_by("?")
        .values_list("pk", flat=True)[:20]
    )
    mismatched = [
        c.pk
        for c in Campaign.objects.filter(pk__in=sample)
        if (c.raised_cents, c.supporter_count) != ledger_totals(c)
    ]
    result = {
        "scale": scale,
        "sizes": n,
        "load_seconds": timer.total,
        "steps": timer.steps,
        "tree_problems": problems,
        "totals_mismatched": mismatched,
        "hot_campaign": hot.pk,
        "hot_path": hot.page.url_path,
        "donor_id": donor_id,
        "first_campaign": first_campaign,
        "closing_campaigns": closing,
        "programmes": programmes,
    }
    print(json.dumps({k: v for k, v in result.items() if k != "closing_campaigns"}), flush=True)
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
