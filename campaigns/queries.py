"""Read-side queries for initiative listings and the initiative page.

Every function here issues a fixed number of queries, however many budget lines,
tasks or pledges an initiative has (see tests/campaigns/test_page_queries.py).
"""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import Campaign, Follow, InitiativePage, InitiativeUpdate, Pledge

CARD_RENDITION = "fill-640x360"
HERO_RENDITION = "fill-1200x600"
SUPPORTERS_SHOWN = 24
UPDATES_SHOWN = 10


def _with_neighbourhood_title(queryset):
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    parent = Page.objects.filter(path=parent_path).values("title")[:1]
    return queryset.annotate(neighbourhood_title=Subquery(parent))


def initiative_cards(*, status=None, neighbourhood=None, category=None, ids=None):
    """Published initiatives with their campaign, cover rendition and neighbourhood name."""
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    queryset = (
        InitiativePage.objects.live()
        .select_related("campaign")
        .prefetch_related(Prefetch("cover_image", queryset=images))
        .filter(campaign__status__in=Campaign.PUBLIC_STATUSES)
    )
    if status:
        queryset = queryset.filter(campaign__status=status)
    if neighbourhood is not None:
        queryset = queryset.descendant_of(neighbourhood)
    if category:
        queryset = queryset.filter(category=category)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return _with_neighbourhood_title(queryset).order_by("deadline", "pk")


def initiative_page_context(page, request):
    from campaigns.permissions import is_moderator
    from tasks.models import Offer, SignUp, Task

    campaign = Campaign.objects.filter(page_id=page.pk).prefetch_related("initiators").first()
    initiators = []
    if campaign is not None:
        campaign.page = page  # the page being shown: no second query, and drafts preview right
        initiators = list(campaign.initiators.all())
    tasks = list(
        Task.objects.filter(initiative_id=page.pk).annotate(
            helpers=Count("signups", filter=Q(signups__status__in=SignUp.ACTIVE_STATUSES))
        )
    )
    supporters = []
    if campaign is not None:
        supporters = list(
            Pledge.objects.filter(campaign=campaign, status__in=Pledge.COUNTED_STATUSES)
            .only("public_name", "is_anonymous", "message", "amount_cents", "paid_at", "currency")
            .order_by(F("paid_at").desc(nulls_last=True), "-pk")[:SUPPORTERS_SHOWN]
        )
    budget_lines = list(page.budget_lines.all())
    accepted_offers = list(
        Offer.objects.filter(task__initiative_id=page.pk, status=Offer.Status.ACCEPTED).values_list(
            "estimated_value_cents", "organisation__name"
        )
    )
    in_kind = sum(value for value, _name in accepted_offers)
    helping_organisations = sorted({name for _value, name in accepted_offers if name})
    time_given = SignUp.objects.filter(task__initiative_id=page.pk).aggregate(
        hours=Sum("hours_confirmed"),
        helpers=Count("user_id", distinct=True, filter=Q(status__in=SignUp.ACTIVE_STATUSES)),
    )
    hours, helper_count = time_given["hours"], time_given["helpers"]
    updates = []
    following = False
    if campaign is not None:
        images = get_image_model().objects.prefetch_renditions("width-800")
        updates = list(
            InitiativeUpdate.objects.filter(campaign=campaign)
            .prefetch_related(Prefetch("image", queryset=images))
            .order_by("-created_at", "-pk")[:UPDATES_SHOWN]
        )
        following = (
            request.user.is_authenticated
            and Follow.objects.filter(campaign=campaign, user=request.user).exists()
        )
    my_signups = {}
    if request.user.is_authenticated:
        my_signups = {
            signup.task_id: signup
            for signup in SignUp.objects.filter(
                task__initiative_id=page.pk, user=request.user, status=SignUp.Status.SIGNED_UP
            )
        }
    return {
        "updates": updates,
        "helping_organisations": helping_organisations,
        "helper_count": helper_count,
        "following": following,
        "in_kind_cents": in_kind or 0,
        "hours_given": _whole(hours),
        "my_signups": my_signups,
        "can_manage": campaign is not None
        and request.user.is_authenticated
        and (request.user.pk in {person.pk for person in initiators} or is_moderator(request.user)),
        "campaign": campaign,
        "initiators": initiators,
        "tasks": tasks,
        "tasks_done": sum(1 for task in tasks if task.status == Task.Status.DONE),
        "budget_lines": budget_lines,
        "budget_total_cents": sum(line.amount_cents for line in budget_lines),
        "supporters": supporters,
        "neighbourhood": page.get_parent(),
    }


def _whole(hours):
    """Hours as shown on pages: 36, or 36.5 when there is half an hour."""
    if not hours:
        return 0
    return int(hours) if hours == int(hours) else hours
