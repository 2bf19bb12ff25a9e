"""The wijkkapitaal meter: what an initiative, a neighbourhood, a city or the platform mobilised.

Money from residents is ``Campaign.raised_cents`` (the ledger's counted pledges), money
matched by funds the active matches (reserved, committed or paid out), hours the
confirmed hours of done sign-ups, in-kind the estimated value of accepted offers.
Participants are those the initiators of realised initiatives reported afterwards
(``ImpactReport``, unless a moderator hid it): people, not euros, so they are a part of
their own and never added into "mobilised".
Every figure is one aggregate query over the scope, whatever its number of initiatives.
The headline "mobilised" values an hour at ``PlatformSettings.volunteer_hour_value_cents``.
"""

import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from wagtail.models import Site

from campaigns.models import Campaign, ImpactReport, Match, Pledge
from campaigns.services.totals import distinct_supporters
from cms.models import PlatformSettings
from tasks.models import Offer, SignUp, Task

DEFAULT_HOUR_VALUE_CENTS = 15_00


def public_campaigns(scope=None):
    """Public campaigns of live initiatives under ``scope`` (a page), or of the whole platform."""
    campaigns = Campaign.objects.filter(page__live=True, status__in=Campaign.PUBLIC_STATUSES)
    if scope is None:
        return campaigns
    if scope.specific_class.__name__ == "InitiativePage":
        return campaigns.filter(page_id=scope.pk)
    return campaigns.filter(page__path__startswith=scope.path)


def counted_pledges(campaigns):
    return Pledge.objects.filter(campaign__in=campaigns, status__in=Pledge.COUNTED_STATUSES)


def active_matches(campaigns):
    return Match.objects.filter(campaign__in=campaigns, status__in=Match.ACTIVE_STATUSES)


def done_signups(campaigns):
    return SignUp.objects.filter(
        task__initiative__campaign__in=campaigns, status=SignUp.Status.DONE
    )


def accepted_offers(campaigns):
    return Offer.objects.filter(
        task__initiative__campaign__in=campaigns, status=Offer.Status.ACCEPTED
    )


def impact_reports(campaigns):
    """The impact reports the public sees, of these campaigns."""
    return ImpactReport.objects.filter(campaign__in=campaigns, hidden_at__isnull=True)


def hour_value_cents(site=None):
    """The value of one volunteer hour, from the site's platform settings."""
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return DEFAULT_HOUR_VALUE_CENTS
    return PlatformSettings.for_site(site).volunteer_hour_value_cents


def hours_value_cents(hours, rate_cents):
    return int((Decimal(hours) * rate_cents).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def as_hours(value):
    """Hours summed by the database (SQLite gives a float) as a one-place Decimal."""
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))


@dataclass
class Meter:
    raised_cents: int = 0
    matched_cents: int = 0
    hours: Decimal = Decimal("0.0")
    in_kind_cents: int = 0
    supporters: int = 0
    tasks_done: int = 0
    initiatives: int = 0
    realised: int = 0
    participants: int = 0
    hour_value_cents: int = DEFAULT_HOUR_VALUE_CENTS
    extra: dict = field(default_factory=dict)

    @property
    def money_cents(self):
        return self.raised_cents + self.matched_cents

    @property
    def hours_cents(self):
        return hours_value_cents(self.hours, self.hour_value_cents)

    @property
    def mobilised_cents(self):
        return self.money_cents + self.hours_cents + self.in_kind_cents

    @property
    def is_empty(self):
        return not (
            self.money_cents
            or self.hours
            or self.in_kind_cents
            or self.supporters
            or self.participants
        )


def measure(scope=None, *, rate_cents=None):
    """The meter of a scope, read with a fixed number of queries (seven, plus three supporters)."""
    campaigns = public_campaigns(scope)
    counts = campaigns.aggregate(
        raised=Sum("raised_cents", default=0),
        initiatives=Count("pk"),
        realised=Count("pk", filter=Q(status=Campaign.Status.REALISED)),
    )
    return Meter(
        raised_cents=counts["raised"],
        matched_cents=active_matches(campaigns).aggregate(t=Sum("amount_cents", default=0))["t"],
        hours=as_hours(done_signups(campaigns).aggregate(t=Sum("hours_confirmed"))["t"]),
        in_kind_cents=accepted_offers(campaigns).aggregate(
            t=Sum("estimated_value_cents", default=0)
        )["t"],
        supporters=distinct_supporters(campaigns),
        tasks_done=Task.objects.filter(
            initiative__campaign__in=campaigns, status=Task.Status.DONE
        ).count(),
        initiatives=counts["initiatives"],
        realised=counts["realised"],
        participants=impact_reports(campaigns).aggregate(t=Sum("participants", default=0))["t"],
        hour_value_cents=hour_value_cents() if rate_cents is None else rate_cents,
    )


def _month_key(value):
    return value.date().replace(day=1).isoformat()[:7] if value else None


def per_month(scope=None):
    """Money, matched, hours and in-kind per calendar month (``YYYY-MM``), oldest first.

    Money counts by payment date, matches by their creation, hours by the task's end (else
    its start, else the sign-up), in-kind by the giver's decision. ``donors`` is the number
    of distinct donors behind a month's money, for the small-numbers rule of the exports.
    """
    campaigns = public_campaigns(scope)
    months = {}

    def row(month):
        return months.setdefault(
            month,
            {
                "month": month,
                "raised_cents": 0,
                "matched_cents": 0,
                "hours": Decimal("0.0"),
                "in_kind_cents": 0,
                "donors": 0,
            },
        )

    pledges = (
        counted_pledges(campaigns)
        .annotate(month=TruncMonth(Coalesce("paid_at", "created_at")))
        .values("month")
        .annotate(total=Sum("amount_cents"), donors=donor_count())
    )
    for item in pledges:
        row(_month_key(item["month"])).update(raised_cents=item["total"], donors=item["donors"])
    matches = (
        active_matches(campaigns)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Sum("amount_cents"))
    )
    for item in matches:
        row(_month_key(item["month"]))["matched_cents"] = item["total"]
    hours = (
        done_signups(campaigns)
        .annotate(month=TruncMonth(Coalesce("task__ends_at", "task__starts_at", "created_at")))
        .values("month")
        .annotate(total=Sum("hours_confirmed"))
    )
    for item in hours:
        row(_month_key(item["month"]))["hours"] = as_hours(item["total"])
    offers = (
        accepted_offers(campaigns)
        .annotate(month=TruncMonth(Coalesce("decided_at", "created_at")))
        .values("month")
        .annotate(total=Sum("estimated_value_cents", default=0))
    )
    for item in offers:
        row(_month_key(item["month"]))["in_kind_cents"] = item["total"] or 0
    return [months[key] for key in sorted(months)]


def donor_count():
    """Distinct donors among pledges: accounts, guests by address, erased donors by reference."""
    return (
        Count("donor_id", distinct=True)
        + Count("guest_email", distinct=True, filter=Q(donor__isnull=True, supporter_ref=""))
        + Count("supporter_ref", distinct=True, filter=Q(donor__isnull=True) & ~Q(supporter_ref=""))
    )


def per_category(scope=None):
    """Money, matched, hours and in-kind per initiative category, in the categories' order."""
    campaigns = public_campaigns(scope)
    category = "page__category"
    rows = {
        item[category]: {
            "category": item[category],
            "raised_cents": item["raised"],
            "matched_cents": 0,
            "hours": Decimal("0.0"),
            "in_kind_cents": 0,
        }
        for item in campaigns.values(category).annotate(raised=Sum("raised_cents"))
    }
    for item in (
        active_matches(campaigns)
        .values("campaign__" + category)
        .annotate(total=Sum("amount_cents"))
    ):
        rows[item["campaign__" + category]]["matched_cents"] = item["total"]
    for item in (
        done_signups(campaigns)
        .values("task__initiative__category")
        .annotate(total=Sum("hours_confirmed"))
    ):
        rows[item["task__initiative__category"]]["hours"] = as_hours(item["total"])
    for item in (
        accepted_offers(campaigns)
        .values("task__initiative__category")
        .annotate(total=Sum("estimated_value_cents", default=0))
    ):
        rows[item["task__initiative__category"]]["in_kind_cents"] = item["total"] or 0
    return list(rows.values())


def cache_seconds():
    return settings.WIJKKAPITAAL.get("CAPITAL_CACHE_SECONDS", 300)


# How long a figure no page asked for stays stored; a stale one is still served meanwhile.
KEPT_SECONDS = 7 * 24 * 3600

FIGURES = {
    "meter": measure,
    "months": per_month,
    "categories": per_category,
}


def _key(kind, scope_id):
    return f"capital:{kind}:{scope_id or 'all'}"


def refresh(kind, scope=None):
    """Count a figure of a scope (a page, or None for the platform) and store it."""
    value = FIGURES[kind](scope)
    cache.set(_key(kind, scope and scope.pk), (time.time(), value), KEPT_SECONDS)
    return value


def cached(kind, scope, *, on_stale):
    """A figure (``FIGURES``) of a neighbourhood, city or the platform, as stored.

    A page never waits for a recount of what it shows: a figure older than
    ``CAPITAL_CACHE_SECONDS`` is served as it is, and ``on_stale(kind, scope_id)`` is
    called once per period to have it recounted in the background (a job). Only a
    figure never counted, or no longer kept, is counted inside the request. Beat
    recounts the platform's figures ahead of time: they read every pledge and sign-up.
    Keyed on the kind and the scope's page id; the figures do not depend on the language.
    """
    scope_id = scope.pk if scope is not None else None
    key = _key(kind, scope_id)
    stored = cache.get(key)
    if stored is None:
        return refresh(kind, scope)
    counted_at, value = stored
    if time.time() - counted_at > cache_seconds() and cache.add(
        f"{key}:recounting", True, cache_seconds()
    ):
        on_stale(kind, scope_id)
    return value
