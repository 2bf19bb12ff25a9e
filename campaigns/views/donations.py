"""Giving money: the donation form, the return page, "My donations" and the test checkout."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.jobs import enqueue_stripe_event
from campaigns.models import Campaign, PaymentAttempt, Pledge
from campaigns.payments import test_checkout as test_events
from campaigns.payments.forms import DonationForm
from campaigns.payments.webhooks import accept_event
from campaigns.permissions import require_visible_initiative
from campaigns.services import AmountNotAllowed, CampaignClosed, PaymentProviderUnavailable
from campaigns.services import pledges as pledge_services
from cms.views import NotFoundWithMessage
from core.ratelimits import rate_limited


def _return_urls(request, pledge):
    path = reverse("payments:return", args=[pledge.reference])
    return (
        request.build_absolute_uri(path) + "?session_id={CHECKOUT_SESSION_ID}",
        request.build_absolute_uri(path) + "?cancelled=1",
    )


def _go_to_checkout(request, attempt):
    success_url, cancel_url = _return_urls(request, attempt.pledge)
    try:
        attempt = pledge_services.open_checkout(
            attempt=attempt, success_url=success_url, cancel_url=cancel_url
        )
    except PaymentProviderUnavailable as error:
        messages.error(request, str(error))
        return redirect("payments:return", attempt.pledge.reference)
    return redirect(attempt.checkout_url)


@rate_limited("donations")
def donate(request, page_id):
    campaign = get_object_or_404(
        Campaign.objects.select_related("page"), page_id=page_id, page__live=True
    )
    require_visible_initiative(request, campaign)
    page = campaign.page
    form = DonationForm(request.POST or None, user=request.user)
    closed_message = None
    if not campaign.is_open_for_support:
        closed_message = _("This initiative is not accepting donations right now.")
    if request.method == "POST":
        if closed_message is not None:
            form.is_valid()
            return render(
                request,
                "campaigns/donate.html",
                {
                    "page": page,
                    "campaign": campaign,
                    "form": form,
                    "closed_message": closed_message,
                },
                status=400,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                pledge, attempt = pledge_services.create_pledge(
                    campaign=campaign,
                    amount_cents=data["amount"],
                    donor=request.user if request.user.is_authenticated else None,
                    guest_email=data.get("email", ""),
                    public_name=data["public_name"].strip(),
                    is_anonymous=data["is_anonymous"],
                    message=data["message"].strip(),
                    language=get_language()[:2],
                    wants_updates=data.get("wants_updates", False),
                )
            except (CampaignClosed, AmountNotAllowed) as error:
                form.add_error(None, str(error))
            else:
                return _go_to_checkout(request, attempt)
        return render(
            request,
            "campaigns/donate.html",
            {"page": page, "campaign": campaign, "form": form},
            status=400,
        )
    return render(
        request,
        "campaigns/donate.html",
        {"page": page, "campaign": campaign, "form": form, "closed_message": closed_message},
    )


def _pledge_by_reference(reference):
    pledge = Pledge.objects.select_related("campaign__page").filter(reference=reference).first()
    if pledge is None:
        raise NotFoundWithMessage(_("We cannot find this donation. Please check the link."))
    return pledge


def payment_return(request, reference):
    """Only shows the state; a redirect back from Stripe never marks anything paid."""
    pledge = _pledge_by_reference(reference)
    template = "payments/_status.html" if request.htmx else "payments/return.html"
    latest_attempt = pledge.attempts.order_by("-created_at", "-pk").first()
    checkout_failed = (
        pledge.status == Pledge.Status.PENDING
        and latest_attempt is not None
        and latest_attempt.status == PaymentAttempt.Status.ERROR
    )
    return render(
        request,
        template,
        {
            "pledge": pledge,
            "page": pledge.campaign.page,
            "cancelled": "cancelled" in request.GET,
            "checkout_failed": checkout_failed,
        },
    )


@require_POST
@rate_limited("donations")
def retry_payment(request, reference):
    pledge = _pledge_by_reference(reference)
    try:
        attempt = pledge_services.retry_payment(pledge=pledge)
    except CampaignClosed as error:
        messages.error(request, str(error))
        return redirect("payments:return", pledge.reference)
    return _go_to_checkout(request, attempt)


DONATIONS_PER_PAGE = 25


@login_required
def my_donations(request):
    """A donor's pledges, newest first, a page at a time, under one total per currency.

    The page is read from the (donor, created_at, id) index; the totals are one aggregate,
    whatever the number of pledges. ``?page=`` that is no number shows the first page, one
    past the end the last.
    """
    pledges = Pledge.objects.filter(donor=request.user)
    listing = (
        pledges.select_related("campaign__page")
        .defer("campaign__page__story")
        .order_by("-created_at", "-id")
    )
    page_obj = Paginator(listing, DONATIONS_PER_PAGE).get_page(request.GET.get("page"))
    totals = (
        pledges.filter(status__in=Pledge.COUNTED_STATUSES)
        .values("currency")
        .annotate(total_cents=Sum("amount_cents"), initiatives=Count("campaign", distinct=True))
        .order_by("currency")
    )
    return render(
        request,
        "campaigns/my_donations.html",
        {"pledges": page_obj.object_list, "page_obj": page_obj, "totals": totals},
    )


def _test_checkout_attempt(reference):
    if settings.PAYMENT_GATEWAY != "test_checkout":
        raise Http404
    return get_object_or_404(
        PaymentAttempt.objects.select_related("pledge__campaign__page"), reference=reference
    )


def test_checkout(request, reference):
    """The demo's checkout page: clearly labelled, no money moves."""
    attempt = _test_checkout_attempt(reference)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("pay", "fail"):
            return render(request, "payments/test_checkout.html", {"attempt": attempt}, status=400)
        if attempt.status == PaymentAttempt.Status.OPEN:
            if outcome == "pay":
                event = test_events.checkout_event(attempt, "checkout.session.completed", "paid")
            else:
                event = test_events.checkout_event(
                    attempt, "checkout.session.async_payment_failed", "unpaid"
                )
            accept_event(*test_events.signed(event), on_commit=enqueue_stripe_event)
        target = reverse("payments:return", args=[attempt.pledge.reference])
        return redirect(target + ("" if outcome == "pay" else "?cancelled=1"))
    return render(request, "payments/test_checkout.html", {"attempt": attempt})
