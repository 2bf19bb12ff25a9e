"""A resident's own sign-ups, offers and the requests for their standing offers."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from tasks import services
from tasks.models import Offer, SignUp

MY_TASKS_PER_PAGE = 25


@login_required
def my_tasks(request):
    """Sign-ups and offers each a page at a time (``?page=``, ``?offers_page=``), newest first."""
    signups = (
        SignUp.objects.filter(user=request.user)
        .select_related("task__initiative")
        .defer("task__initiative__story")
        .order_by("-created_at", "-id")
    )
    offers = (
        Offer.objects.filter(user=request.user)
        .select_related("task__initiative", "organisation", "neighbourhood")
        .defer("task__initiative__story")
        .order_by("-created_at", "-id")
    )
    requests = (
        services.requests_for_owner(request.user)
        .select_related("task__initiative", "organisation")
        .order_by("-created_at", "-id")
    )
    signups_page = Paginator(signups, MY_TASKS_PER_PAGE).get_page(request.GET.get("page"))
    offers_page = Paginator(offers, MY_TASKS_PER_PAGE).get_page(request.GET.get("offers_page"))
    requests_page = Paginator(requests, MY_TASKS_PER_PAGE).get_page(
        request.GET.get("requests_page")
    )
    return render(
        request,
        "tasks/my_tasks.html",
        {
            "signups": signups_page.object_list,
            "signups_page": signups_page,
            "offers": offers_page.object_list,
            "offers_page": offers_page,
            "requests": requests_page.object_list,
            "requests_page": requests_page,
        },
    )
