"""All tasks of an initiative, beyond the first ones its page shows."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import get_object_or_404, render

from campaigns.models import Campaign
from campaigns.permissions import require_visible_initiative
from tasks.models import SignUp
from tasks.reporting import TASKS_PER_PAGE, initiative_task_list


def initiative_tasks(request, page_id):
    """All tasks of an initiative, a page at a time, as the initiative page shows its first."""
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    require_visible_initiative(request, campaign)
    paginator = Paginator(initiative_task_list(page_id), TASKS_PER_PAGE)
    try:
        tasks = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return render(
            request,
            "tasks/initiative_tasks.html",
            {"campaign": campaign, "page": campaign.page, "tasks": None},
            status=404,
        )
    my_signups = {}
    if request.user.is_authenticated:
        my_signups = {
            signup.task_id: signup
            for signup in SignUp.objects.filter(
                task__in=[task.pk for task in tasks],
                user=request.user,
                status=SignUp.Status.SIGNED_UP,
            )
        }
    return render(
        request,
        "tasks/initiative_tasks.html",
        {
            "campaign": campaign,
            "page": campaign.page,
            "tasks": tasks,
            "my_signups": my_signups,
            "is_preview": False,
            "fragment_seconds": settings.WIJKKAPITAAL["FRAGMENT_CACHE_SECONDS"],
        },
    )
