"""The time and in-kind side on pages of lower apps, which may not import tasks.

The initiative page (campaigns) and the neighbourhood page (cms) load this library for
their task lists, hours and in-kind figures and standing offers. Each tag reads with a
fixed number of queries; the initiative page calls the costly ones inside its cached
fragments, so a warm fragment skips them.
"""

from decimal import Decimal

from django import template
from django.db.models import Count, Q, Sum

from campaigns.models import Campaign
from tasks.capital import meter
from tasks.jobs import recount_in_background
from tasks.models import Offer, SignUp, Task
from tasks.reporting import TASKS_ON_PAGE, initiative_page_tasks, public_standing_offers

register = template.Library()


def whole_hours(hours):
    """Hours as pages show them: 36, or 36.5 when there is half an hour.

    SQLite sums a decimal column as a float, so the sum is rounded to the field's places.
    """
    if not hours:
        return 0
    places = SignUp._meta.get_field("hours_confirmed").decimal_places
    hours = Decimal(str(hours)).quantize(Decimal(1).scaleb(-places))
    return int(hours) if hours == int(hours) else hours.normalize()


@register.simple_tag
def initiative_tasks(page, limit=TASKS_ON_PAGE):
    """What the initiative page shows of its tasks, in two queries whatever their number.

    ``total``, ``done`` and ``open`` count all tasks; ``shown`` is at most ``limit`` of
    them (``reporting.initiative_page_tasks``: all in their order when there are no
    more, else the open ones first), so the page costs the same to render with 12 tasks
    or 200. The rest are on the initiative's task list (``tasks:initiative_tasks``).
    """
    counts = Task.objects.filter(initiative_id=page.pk).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Task.Status.DONE)),
        open=Count("pk", filter=Q(status=Task.Status.OPEN)),
    )
    shown = initiative_page_tasks(page.pk, total=counts["total"], limit=limit)
    return {**counts, "shown": list(shown), "more": counts["total"] > limit}


@register.filter
def is_hands_on(task):
    """Hands and skills are given by people signing up; space and material by offers."""
    return task.kind in Task.PEOPLE_KINDS


@register.simple_tag(takes_context=True)
def my_signups(context, page):
    """The visitor's current sign-ups on this initiative, by task id (personal, never cached)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return {
        signup.task_id: signup
        for signup in SignUp.objects.filter(
            task__initiative_id=page.pk, user=user, status=SignUp.Status.SIGNED_UP
        )
    }


@register.simple_tag
def time_and_kind(page):
    """Hours confirmed, neighbours giving time, in-kind value and organisations helping.

    Read once per page view: the page shows these in two places.
    """
    given = getattr(page, "_time_and_kind", None)
    if given is not None:
        return given
    time_given = SignUp.objects.filter(task__initiative_id=page.pk).aggregate(
        hours=Sum("hours_confirmed"),
        helpers=Count("user_id", distinct=True, filter=Q(status__in=SignUp.ACTIVE_STATUSES)),
    )
    accepted = list(
        Offer.objects.filter(task__initiative_id=page.pk, status=Offer.Status.ACCEPTED).values_list(
            "estimated_value_cents", "organisation__name"
        )
    )
    page._time_and_kind = given = {
        "hours": whole_hours(time_given["hours"]),
        "helper_count": time_given["helpers"],
        "in_kind_cents": sum(value or 0 for value, _name in accepted),
        "helping_organisations": sorted({name for _value, name in accepted if name}),
    }
    return given


@register.simple_tag
def neighbourhood_totals(neighbourhood):
    """Money, hours, in-kind value, tasks done and distinct supporters of a wijk: the
    figures of its stored meter (``meter.cached``, the same the meter on the page shows),
    plus how many of its initiatives there are and how many reached their goal.

    "Funded" counts the campaigns that reached their goal (``Campaign.reached_goal``), not
    those that kept what they raised below it.
    """
    figures = meter.cached("meter", neighbourhood, on_stale=recount_in_background)
    counts = meter.public_campaigns(neighbourhood).aggregate(
        initiatives=Count("pk"), funded=Count("pk", filter=Campaign.reached_goal_filter())
    )
    return {
        **counts,
        "raised_cents": figures.raised_cents,
        "hours": figures.hours,
        "in_kind_cents": figures.in_kind_cents,
        "tasks_done": figures.tasks_done,
        "supporters": figures.supporters,
    }


@register.simple_tag
def standing_offers(neighbourhood):
    """What the neighbourhood has: standing offers still open."""
    return (
        public_standing_offers()
        .filter(neighbourhood=neighbourhood)
        .select_related("organisation", "user")
    )
