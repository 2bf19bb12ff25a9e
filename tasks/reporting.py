"""Standing offers are listed at once; the public may report them (``core.reports``)."""

from django.db.models import Case, Count, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.caching import forget_page_after_commit
from cms.models import REGISTER_PATH
from core import reports
from tasks.models import Offer, SignUp, Task

LISTED_STATUSES = [Offer.Status.OFFERED, Offer.Status.PAUSED]

TASKS_ON_PAGE = 12  # at most this many tasks on the initiative page
TASKS_PER_PAGE = 24  # a page of the initiative's task list (``tasks:initiative_tasks``)
TASK_ORDER = ("position", "pk")


def listed_standing_offers():
    """The register's items the public sees: available or paused, not hidden, and not
    from a hidden organisation. Withdrawn items are gone."""
    return Offer.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__hidden_at__isnull=True),
        task__isnull=True,
        hidden_at__isnull=True,
        status__in=LISTED_STATUSES,
    )


def accepted_quantity():
    """A task annotation: the quantities of its accepted offers summed ("6 of 10 planks").

    A subquery, so it does not multiply with a join on the task's sign-ups.
    """
    given = (
        Offer.objects.filter(task=OuterRef("pk"), status=Offer.Status.ACCEPTED)
        .order_by()
        .values("task")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(given), 0)


def public_standing_offers():
    """Standing offers available now: the ones initiators are offered and may ask for."""
    return listed_standing_offers().filter(status=Offer.Status.OFFERED)


def forget_register_after_commit(neighbourhood):
    """The neighbourhood page and its register show the items: drop their cached copies."""
    forget_page_after_commit(neighbourhood, subpaths=[REGISTER_PATH])


class StandingOfferReportable(reports.Reportable):
    key = "offer"
    model = Offer
    label = _("offer")

    def visible(self):
        return listed_standing_offers().select_related("neighbourhood", "organisation", "user")

    def forget(self, item):
        """A standing offer belongs to no campaign, so hiding locks only the offer
        (the base's :meth:`~core.reports.Reportable.lock`)."""
        if item.neighbourhood_id:
            forget_register_after_commit(item.neighbourhood)

    def public_url(self, item):
        return reverse("tasks:register_item", args=[item.pk])

    def summary(self, item):
        parts = [item.get_kind_display(), item.description, item.availability, item.giver_name]
        return "\n".join(part for part in parts if part)


def initiative_task_list(page_id):
    """An initiative's tasks in their order (position, then age), with ``helpers`` counted
    and ``given``, the summed quantities of accepted offers."""
    return (
        Task.objects.filter(initiative_id=page_id)
        .annotate(
            helpers=Count("signups", filter=Q(signups__status__in=SignUp.ACTIVE_STATUSES)),
            given=accepted_quantity(),
        )
        .order_by(*TASK_ORDER)  # a GROUP BY query drops the model's ordering
    )


def initiative_page_tasks(page_id, *, total, limit=TASKS_ON_PAGE):
    """The tasks the initiative page shows: all of them in their order when there are
    no more than ``limit``, else the open ones first (those that need help), ``limit`` in
    all. ``total`` is the initiative's number of tasks, which the page counts anyway."""
    shown = initiative_task_list(page_id)
    if total > limit:
        needs_help = Case(When(status=Task.Status.OPEN, then=0), default=1)
        shown = shown.order_by(needs_help, *TASK_ORDER)
    return shown[:limit]


def task_location(task):
    """Where the task's card is, with its anchor: on the initiative page when the page
    shows it, else on the page of the initiative's task list that holds it.

    Asked with the queries that decide what those pages show, so a redirect after
    signing up or offering lands on the card, also for a task beyond the first ones.
    Two queries: the task list's ids in its order (a number per task, no rows), and
    the page's first ones.
    """
    anchor = f"#task-{task.pk}"
    in_order = list(initiative_task_list(task.initiative_id).values_list("pk", flat=True))
    shown = initiative_page_tasks(task.initiative_id, total=len(in_order))
    if task.pk in shown.values_list("pk", flat=True):
        return task.initiative.url + anchor
    index = in_order.index(task.pk) if task.pk in in_order else 0
    page = index // TASKS_PER_PAGE + 1
    url = reverse("tasks:initiative_tasks", args=[task.initiative_id])
    return url + (f"?page={page}" if page > 1 else "") + anchor
