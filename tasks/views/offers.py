"""The giver's side: offering space, material or a skill, for a task or standing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.permissions import require_visible_initiative
from campaigns.services import ServiceError
from core.ratelimits import rate_limited
from tasks import services
from tasks.forms import OfferForm, StandingOfferForm
from tasks.models import Offer
from tasks.reporting import task_location
from tasks.views.access import campaign_of, visible_task


@login_required
@rate_limited("offers")
def make_offer(request, task_id):
    task = visible_task(request, task_id)
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
                return redirect(task_location(task))
    return render(request, "tasks/offer_form.html", {"form": form, "task": task}, status=status)


@login_required
@require_POST
def answer_offer_request(request, offer_id):
    """The giver of a standing offer agrees to an initiator's request for it, or not."""
    offer = get_object_or_404(Offer.objects.select_related("task__initiative"), pk=offer_id)
    if offer.task_id is None or not services.is_offer_owner(request.user, offer):
        raise PermissionDenied(_("Only the giver of this offer can answer the request."))
    require_visible_initiative(request, campaign_of(offer.task))
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
