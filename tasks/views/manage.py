"""The initiator's side: tasks, their helpers' hours and the offers made for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.services import ServiceError
from core.ratelimits import rate_limited
from tasks import services
from tasks.forms import HoursForm, TaskForm
from tasks.models import Offer, SignUp, Task
from tasks.reporting import accepted_quantity
from tasks.views.access import managed_campaign, managed_task


@login_required
def manage_tasks(request, page_id):
    campaign = managed_campaign(request, page_id)
    tasks = (
        Task.objects.filter(initiative_id=page_id)
        .prefetch_related("signups__user", "offers__organisation", "offers__user")
        .annotate(
            helpers=Count(
                "signups", filter=Q(signups__status__in=SignUp.ACTIVE_STATUSES), distinct=True
            ),
            given=accepted_quantity(),
        )
    )
    suggestions = {
        task.pk: list(services.matching_standing_offers(task)) for task in tasks if not task.is_done
    }
    return render(
        request,
        "tasks/manage.html",
        {
            "campaign": campaign,
            "page": campaign.page,
            "tasks": tasks,
            "suggestions": suggestions,
            "hours_form": HoursForm(),
        },
    )


@login_required
@rate_limited("edits")
def task_form(request, page_id, task_id=None):
    campaign = managed_campaign(request, page_id)
    task = get_object_or_404(Task, pk=task_id, initiative_id=page_id) if task_id else None
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.initiative_id = campaign.page_id
        try:
            services.save_task(task=task, user=request.user)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task is saved."))
            return redirect("tasks:manage", page_id)
    return render(
        request,
        "tasks/task_form.html",
        {"form": form, "campaign": campaign, "page": campaign.page, "task": task},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def task_done(request, task_id):
    task, _campaign = managed_task(request, task_id)
    services.mark_task_done(task=task, user=request.user)
    messages.success(request, _("The task is marked as done."))
    return redirect("tasks:manage", task.initiative_id)


@login_required
@require_POST
def confirm_hours(request, signup_id):
    signup = get_object_or_404(
        SignUp.objects.select_related("task__initiative", "user"), pk=signup_id
    )
    managed_task(request, signup.task_id)
    form = HoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the hours as a number between 0 and 1000."))
        return redirect("tasks:manage", signup.task.initiative_id)
    try:
        services.confirm_hours(
            signup=signup,
            hours=form.cleaned_data["hours"],
            user=request.user,
            unusual_confirmed=form.cleaned_data["confirmed"],
        )
    except services.HoursNeedConfirmation as error:
        # Nothing is saved: ask again, with the hours kept and the tick box shown.
        form.add_error("confirmed", str(error))
        return render(
            request,
            "tasks/confirm_hours.html",
            {"form": form, "signup": signup, "task": signup.task},
            status=400,
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The hours are confirmed."))
    return redirect("tasks:manage", signup.task.initiative_id)


@login_required
@require_POST
def decide_offer(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("task"), pk=offer_id, task__isnull=False)
    managed_task(request, offer.task_id)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_offer(offer=offer, accept=accept, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Offer accepted.") if accept else _("Offer declined."))
    return redirect("tasks:manage", offer.task.initiative_id)


@login_required
@require_POST
def request_standing_offer(request, task_id, offer_id):
    task, _campaign = managed_task(request, task_id)
    standing = get_object_or_404(Offer, pk=offer_id, task__isnull=True)
    try:
        services.request_standing_offer(task=task, standing_offer=standing, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The offer was added to the task; accept it when agreed."))
    return redirect("tasks:manage", task.initiative_id)
