"""Signing up for a task and withdrawing, with or without htmx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.services import ServiceError
from core.ratelimits import rate_limited
from tasks import services
from tasks.forms import SignUpForm
from tasks.models import SignUp, Task
from tasks.reporting import accepted_quantity, task_location
from tasks.views.access import campaign_of, visible_task


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
                "campaign": campaign_of(task),
                "card_error": error,
            },
        )
    return redirect(task_location(task))


@login_required
@require_POST
@rate_limited("signups")
def task_sign_up(request, task_id):
    task = visible_task(request, task_id)
    form = SignUpForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.sign_up(task=task, user=request.user, note=note)
    except ServiceError as error:
        if request.htmx:
            return _task_card(request, task, error=str(error))
        messages.error(request, str(error))
        return redirect(task_location(task))
    if not request.htmx:
        messages.success(request, _("You are signed up. Thank you for helping!"))
    return _task_card(request, task)


@login_required
@require_POST
def task_withdraw(request, task_id):
    signup = get_object_or_404(SignUp, task_id=task_id, user=request.user)
    visible_task(request, task_id)
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
