"""The open data: initiatives and totals per month, streamed as CSV or JSON.

No personal data: rows carry initiatives and places, never a donor, helper or giver.
Money follows the small-numbers rule of :mod:`tasks.capital.disclosure`. Initiative rows
are read with one query streamed in chunks (``.iterator``), after one or two grouped
queries that find the initiatives the rule withholds (a few: those with one or two donors),
so memory stays flat however many initiatives a city has. The views keep the built files
for a while (``stored``).
"""

import csv
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from campaigns.models import ImpactReport, Match
from cms.models import NeighbourhoodPage
from core.text import spreadsheet_safe
from tasks.capital.disclosure import MIN_DONORS, withheld
from tasks.capital.meter import (
    as_hours,
    counted_pledges,
    donor_count,
    per_month,
    public_campaigns,
)
from tasks.models import Offer, SignUp, Task

CHUNK_SIZE = 2000
COMBINED = "combined"

INITIATIVE_FIELDS = [
    "title", "neighbourhood", "category", "status", "goal_cents", "raised_cents",
    "matched_cents", "hours", "in_kind_cents", "supporters", "tasks_done", "participants",
    "live_at", "deadline", "closed_at", "url",
]  # fmt: skip
MONTH_FIELDS = ["month", "raised_cents", "matched_cents", "hours", "in_kind_cents"]
HOURS_FIELD = SignUp._meta.get_field("hours_confirmed")


def _total(queryset, outer, field, output):
    total = queryset.values(outer).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total), 0, output_field=output)


def annotated_campaigns(scope):
    """Public campaigns under the scope, each with its figures as correlated subqueries.

    Each subquery reads one campaign's rows through an index; the donors, which the rule
    needs for every campaign, are counted once per scope by :func:`withheld_campaigns`.
    """
    page = OuterRef("page_id")
    signups = SignUp.objects.filter(task__initiative_id=page, status=SignUp.Status.DONE)
    offers = Offer.objects.filter(task__initiative_id=page, status=Offer.Status.ACCEPTED)
    matches = Match.objects.filter(campaign_id=OuterRef("pk"), status__in=Match.ACTIVE_STATUSES)
    done = Task.objects.filter(initiative_id=page, status=Task.Status.DONE)
    impact = ImpactReport.objects.filter(campaign_id=OuterRef("pk"), hidden_at__isnull=True)
    whole = IntegerField()
    return public_campaigns(scope).annotate(
        matched=_total(matches, "campaign", "amount_cents", whole),
        hours=_total(signups, "task__initiative", "hours_confirmed", HOURS_FIELD),
        in_kind=_total(offers, "task__initiative", "estimated_value_cents", whole),
        tasks_done=Coalesce(
            Subquery(done.values("initiative").annotate(n=Count("pk")).values("n")), 0
        ),
        participants=Coalesce(Subquery(impact.values("participants")[:1]), 0),
    )


def withheld_campaigns(scope):
    """Ids of the campaigns whose money is withheld, by the rule of ``disclosure``.

    One grouped query finds those with fewer than MIN_DONORS donors (few, and only they
    are held in memory); a second, only when those together still have too few, finds the
    published one with the fewest donors to join them.
    """
    donors = (
        counted_pledges(public_campaigns(scope))
        .values("campaign")
        .annotate(donors=donor_count())
        .order_by()
    )
    small = dict(
        donors.filter(donors__gt=0, donors__lt=MIN_DONORS).values_list("campaign", "donors")
    )
    if 0 < sum(small.values()) < MIN_DONORS:
        fewest = (
            donors.filter(donors__gte=MIN_DONORS)
            .order_by("donors", "campaign")
            .values_list("campaign", flat=True)
            .first()
        )
        if fewest is not None:
            small[fewest] = MIN_DONORS
    return set(small)


def initiative_rows(scope, absolute_url):
    """Dicts of INITIATIVE_FIELDS, then one combined row of the withheld money, if any."""
    hidden_ids = withheld_campaigns(scope)
    neighbourhoods = dict(NeighbourhoodPage.objects.values_list("path", "title"))
    steplen = NeighbourhoodPage.steplen
    rows = annotated_campaigns(scope).select_related("page").order_by("page__path")
    combined_raised = combined_matched = 0
    for campaign in rows.iterator(chunk_size=CHUNK_SIZE):
        page = campaign.page
        hidden = campaign.pk in hidden_ids
        if hidden:
            combined_raised += campaign.raised_cents
            combined_matched += campaign.matched
        yield {
            "title": page.title,
            "neighbourhood": neighbourhoods.get(page.path[:-steplen], ""),
            "category": page.category,
            "status": campaign.status,
            "goal_cents": page.goal_cents,
            "raised_cents": None if hidden else campaign.raised_cents,
            "matched_cents": None if hidden else campaign.matched,
            "hours": as_hours(campaign.hours),
            "in_kind_cents": campaign.in_kind,
            "supporters": campaign.supporter_count,
            "tasks_done": campaign.tasks_done,
            "participants": campaign.participants,
            "live_at": campaign.live_at,
            "deadline": page.deadline,
            "closed_at": campaign.closed_at,
            "url": absolute_url(page),
        }
    if hidden_ids:
        yield combined_row(
            INITIATIVE_FIELDS, "title", combined_raised, combined_matched, len(hidden_ids)
        )


def combined_row(fields, label_field, raised, matched, count):
    """The withheld money of ``count`` rows, together; its other figures are in their rows."""
    row = dict.fromkeys(fields)
    row.update(
        {
            label_field: COMBINED,
            "raised_cents": raised,
            "matched_cents": matched,
            "combined_rows": count,
        }
    )
    return row


def month_rows(scope):
    """Totals per month, the withheld months' money combined into a last row."""
    months = per_month(scope)
    hidden = withheld({row["month"]: row["donors"] for row in months})
    for row in months:
        shown = {name: row[name] for name in MONTH_FIELDS}
        if row["month"] in hidden:
            shown.update(raised_cents=None, matched_cents=None)
        yield shown
    if hidden:
        yield combined_row(
            MONTH_FIELDS,
            "month",
            sum(row["raised_cents"] for row in months if row["month"] in hidden),
            sum(row["matched_cents"] for row in months if row["month"] in hidden),
            len(hidden),
        )


class Encoder(DjangoJSONEncoder):
    """Hours (Decimals) as JSON numbers, dates as ISO 8601."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


class _Echo:
    def write(self, value):
        return value


def stream_csv(rows, fields):
    """CSV lines one by one; every cell is made safe for spreadsheet programs."""
    writer = csv.writer(_Echo())
    yield writer.writerow([*fields, "combined_rows"])
    for row in rows:
        yield writer.writerow(
            [spreadsheet_safe("" if row.get(name) is None else str(row[name])) for name in fields]
            + [row.get("combined_rows") or ""]
        )


def stream_json(rows, key, meta):
    """``{meta..., key: [rows]}``, written a row at a time."""
    head = json.dumps(meta, cls=Encoder)[:-1]
    yield f'{head}, "{key}": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, cls=Encoder)
    yield "]}"
