"""The wijkkapitaal meter and its charts on pages of lower apps (cms, campaigns).

Neighbourhood, city and platform figures are stored and recounted in the background once
older than ``CAPITAL_CACHE_SECONDS`` (``tasks.capital.meter.cached``); an initiative's meter is read inside the initiative
page's fragment keyed on ``Campaign.cache_version``.
"""

import dataclasses

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Site

from campaigns.models.pages import Category
from cms.money import format_money
from tasks.capital import charts, meter
from tasks.jobs import recount_in_background
from tasks.templatetags.task_tags import whole_hours

register = template.Library()


def _rate(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return meter.hour_value_cents(site)


@register.simple_tag(takes_context=True)
def capital_meter(context, scope=None):
    """The meter of a page (initiative, neighbourhood or city), or of the platform."""
    rate = _rate(context)
    if scope is not None and scope.specific_class.__name__ == "InitiativePage":
        return meter.measure(scope, rate_cents=rate)
    stored = meter.cached("meter", scope, on_stale=recount_in_background)
    return dataclasses.replace(stored, hour_value_cents=rate)


def _hours(value):
    return str(whole_hours(value))


MEASURES = [
    ("money", lambda row: row["raised_cents"] + row["matched_cents"], format_money),
    ("hours", lambda row: row["hours"], _hours),
    ("in_kind", lambda row: row["in_kind_cents"], format_money),
]


def _titles():
    return {
        ("month", "money"): _("Money from residents and funds per month"),
        ("month", "hours"): _("Confirmed volunteer hours per month"),
        ("month", "in_kind"): _("In-kind value per month"),
        ("category", "money"): _("Money from residents and funds per category"),
        ("category", "hours"): _("Confirmed volunteer hours per category"),
        ("category", "in_kind"): _("In-kind value per category"),
    }


def _charts(rows, label, dimension):
    titles = _titles()
    drawn = []
    for key, value, shown in MEASURES:
        points = [(label(row), value(row), shown(value(row))) for row in rows]
        largest = max(points, key=lambda point: point[1], default=None)
        if largest is None or not largest[1]:
            summary = _("No figures yet.")
        else:
            summary = _("The highest is %(label)s with %(value)s.") % {
                "label": largest[0],
                "value": largest[2],
            }
        drawn.append(
            {
                "id": f"chart-{dimension}-{key}",
                "title": titles[dimension, key],
                "summary": summary,
                **charts.bars(points),
            }
        )
    return drawn


@register.simple_tag
def capital_charts(scope):
    """Money, hours and in-kind per month and per category, ready for ``_chart.html``."""
    months = meter.cached("months", scope, on_stale=recount_in_background)
    categories = meter.cached("categories", scope, on_stale=recount_in_background)
    labels = dict(Category.choices)
    return {
        "months": _charts(months, lambda row: row["month"], "month"),
        "categories": _charts(
            categories, lambda row: str(labels.get(row["category"], row["category"])), "category"
        ),
    }
