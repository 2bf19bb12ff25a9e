"""Standing offers are listed at once; the public may report them (``core.reports``)."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.caching import forget_page_after_commit
from cms.models import REGISTER_PATH
from core import reports
from tasks.models import Offer, SignUp, Task

LISTED_STATUSES = [Offer.Status.OFFERED, Offer.Status.PAUSED]


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
        .order_by("position", "pk")  # a GROUP BY query drops the model's ordering
    )
