"""Tasks: signing up, offering space or material, and the initiator's task management."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from campaigns.permissions import can_manage_tasks, require_visible_initiative
from campaigns.services import ServiceError
from core.ratelimits import rate_limited
from tasks import services
from tasks.forms import HoursForm, OfferForm, SignUpForm, StandingOfferForm, TaskForm
from tasks.models import Offer, SignUp, Task
from tasks.reporting import accepted_quantity, initiative_task_list


def _campaign_of(task):
    return Campaign.objects.select_related("page").get(page_id=task.initiative_id)


def _visible_task(request, task_id):
    """The task, if its initiative is visible to this visitor (else 404)."""
    task = get_object_or_404(Task.objects.select_related("initiative"), pk=task_id)
    require_visible_initiative(request, _campaign_of(task))
    return task


def _managed_campaign(request, page_id):
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    if not can_manage_tasks(request.user, campaign):
        if campaign.page.live:
            raise PermissionDenied(_("Only the initiators and moderators can manage these tasks."))
        raise Http404
    return campaign


def _managed_task(request, task_id):
    task = get_object_or_404(Task.objects.select_related("initiative"), pk=task_id)
    campaign = _managed_campaign(request, task.initiative_id)
    return task, campaign


def _task_card(request, task, error=None):
    """Re-render one task card for htmx (with any refusal in it), or go back to the page."""
    if request.htmx:
        task = Task.objects.annotate(
            helpers=Count("signups", filter=Q(signups__status__in=SignUp.ACTIVE_STATUSES)),
            given=accepted_quantity(),
        ).get(pk=task.pk)
        my_signups = {
            s.task_id: s
            for s in SignUp.objects.filter(
                task=task, user=request.user, status=SignUp.Status.SIGNED_UP
            )
        }
        return render(
            request,
            "tasks/_task_card.html",
            {
                "task": task,
                "my_signups": my_signups,
                "campaign": _campaign_of(task),
                "card_error": error,
            },
        )
    return redirect(task.initiative.url + f"#task-{task.pk}")


@login_required
@require_POST
@rate_limited("signups")
def task_sign_up(request, task_id):
    task = _visible_task(request, task_id)
    form = SignUpForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.sign_up(task=task, user=request.user, note=note)
    except ServiceError as error:
        if request.htmx:
            return _task_card(request, task, error=str(error))
        messages.error(request, str(error))
        return redirect(task.initiative.url + f"#task-{task.pk}")
    if not request.htmx:
        messages.success(request, _("You are signed up. Thank you for helping!"))
    return _task_card(request, task)


@login_required
@require_POST
def task_withdraw(request, task_id):
    signup = get_object_or_404(SignUp, task_id=task_id, user=request.user)
    _visible_task(request, task_id)
    try:
        services.withdraw(signup=signup, user=request.user)
    except ServiceError as error:
        if request.htmx:
            return _task_card(request, signup.task, error=str(error))
        messages.error(request, str(error))
    else:
        if not request.htmx:
            messages.success(request, _("You have withdrawn from this task."))
    return _task_card(request, signup.task)


TASKS_PER_PAGE = 24


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


@login_required
def manage_tasks(request, page_id):
    campaign = _managed_campaign(request, page_id)
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
    campaign = _managed_campaign(request, page_id)
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
    task, _campaign = _managed_task(request, task_id)
    services.mark_task_done(task=task, user=request.user)
    messages.success(request, _("The task is marked as done."))
    return redirect("tasks:manage", task.initiative_id)


@login_required
@require_POST
def confirm_hours(request, signup_id):
    signup = get_object_or_404(
        SignUp.objects.select_related("task__initiative", "user"), pk=signup_id
    )
    _managed_task(request, signup.task_id)
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
@rate_limited("offers")
def make_offer(request, task_id):
    task = _visible_task(request, task_id)
    form = OfferForm(request.POST or None, user=request.user, task=task)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.make_offer(
                    task=task, user=request.user, kind=task.kind, **form.offer_details()
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you! The initiators will answer your offer."))
                return redirect(task.initiative.url + f"#task-{task.pk}")
    return render(request, "tasks/offer_form.html", {"form": form, "task": task}, status=status)


@login_required
@require_POST
def decide_offer(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("task"), pk=offer_id, task__isnull=False)
    _managed_task(request, offer.task_id)
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
    task, _campaign = _managed_task(request, task_id)
    standing = get_object_or_404(Offer, pk=offer_id, task__isnull=True)
    try:
        services.request_standing_offer(task=task, standing_offer=standing, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The offer was added to the task; accept it when agreed."))
    return redirect("tasks:manage", task.initiative_id)


@login_required
@require_POST
def answer_offer_request(request, offer_id):
    """The giver of a standing offer agrees to an initiator's request for it, or not."""
    offer = get_object_or_404(Offer.objects.select_related("task__initiative"), pk=offer_id)
    if offer.task_id is None or not services.is_offer_owner(request.user, offer):
        raise PermissionDenied(_("Only the giver of this offer can answer the request."))
    require_visible_initiative(request, _campaign_of(offer.task))
    consent = request.POST.get("decision") == "accept"
    try:
        services.answer_offer_request(offer=offer, consent=consent, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Thank you! The initiators will contact you.") if consent else _("Request declined."),
        )
    return redirect("tasks:my_tasks")


@login_required
@require_POST
def withdraw_offer(request, offer_id):
    offer = get_object_or_404(Offer, pk=offer_id, user=request.user)
    try:
        services.withdraw_offer(offer=offer, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect("tasks:my_tasks")


@login_required
@rate_limited("offers")
def new_standing_offer(request):
    form = StandingOfferForm(
        request.POST or None,
        user=request.user,
        initial={"neighbourhood": request.GET.get("neighbourhood")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.list_standing_offer(
                neighbourhood=data["neighbourhood"],
                user=request.user,
                kind=data["kind"],
                **form.offer_details(),
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you! Your offer is listed in the neighbourhood."))
            return redirect(data["neighbourhood"].url)
    return render(
        request,
        "tasks/standing_offer_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


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
