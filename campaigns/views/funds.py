"""Funding programmes: their public pages, the fund dashboard, and applying to one.

A fund's members see its programmes' figures and applications and decide them; only its
administrators create and change programmes. Moderators may do both.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from campaigns.funding_forms import ApplicationForm, DecisionForm, ProgrammeForm
from campaigns.models import Campaign, FundingProgramme, Match, ProgrammeApplication
from campaigns.models.funding import FUNDER_KINDS
from campaigns.permissions import can_manage_programmes, can_see_fund
from campaigns.services import programmes as programme_services
from campaigns.services.errors import ServiceError
from campaigns.views.manage import _editable_campaign
from core.ratelimits import rate_limited
from core.text import spreadsheet_safe


def programme_detail(request, slug):
    programme = get_object_or_404(
        FundingProgramme.objects.select_related("organisation").filter(is_active=True), slug=slug
    )
    joined = (
        programme.applications.filter(
            status=ProgrammeApplication.Status.APPROVED,
            campaign__status__in=Campaign.PUBLIC_STATUSES,
        )
        .select_related("campaign__page")
        .order_by("-matched_cents", "pk")
    )
    return render(
        request,
        "campaigns/funds/programme.html",
        {"programme": programme, "joined": joined, "places": programme.places.all()},
    )


def _fund(request, org_slug, *, manage=False):
    organisation = get_object_or_404(Organisation, slug=org_slug, kind__in=FUNDER_KINDS)
    allowed = (can_manage_programmes if manage else can_see_fund)(request.user, organisation)
    if not allowed:
        raise PermissionDenied(
            _("Only the fund's administrators can manage its programmes.")
            if manage
            else _("Only the fund's members can see this.")
        )
    return organisation


def initiative_figures(programme):
    """Per initiative: reserved, committed and paid-out cents of the programme's matches."""
    rows = (
        Match.objects.filter(programme=programme)
        .values("campaign_id", "campaign__page__title")
        .annotate(
            reserved=Sum("amount_cents", filter=Q(status=Match.Status.RESERVED), default=0),
            committed=Sum("amount_cents", filter=Q(status=Match.Status.COMMITTED), default=0),
            paid_out=Sum("amount_cents", filter=Q(status=Match.Status.PAID_OUT), default=0),
        )
        .order_by("campaign__page__title")
    )
    return [
        {
            **row,
            "remaining": max(
                0,
                programme.cap_per_initiative_cents
                - row["reserved"]
                - row["committed"]
                - row["paid_out"],
            ),
        }
        for row in rows
    ]


@login_required
def fund_dashboard(request, org_slug):
    organisation = _fund(request, org_slug)
    programmes = list(organisation.funding_programmes.order_by("priority", "pk"))
    for programme in programmes:
        programme.initiatives = initiative_figures(programme)
    pending = (
        ProgrammeApplication.objects.filter(
            programme__organisation=organisation, status=ProgrammeApplication.Status.APPLIED
        )
        .select_related("programme", "campaign__page")
        .order_by("created_at")
    )
    return render(
        request,
        "campaigns/funds/dashboard.html",
        {
            "organisation": organisation,
            "programmes": programmes,
            "pending": pending,
            "decision_form": DecisionForm(),
            "can_manage": can_manage_programmes(request.user, organisation),
        },
    )


@login_required
@rate_limited("funding")
def programme_edit(request, org_slug, pk=None):
    organisation = _fund(request, org_slug, manage=True)
    programme = (
        get_object_or_404(FundingProgramme, pk=pk, organisation=organisation)
        if pk
        else FundingProgramme(organisation=organisation)
    )
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.apply_to(programme)
        try:
            programme_services.save_programme(programme=programme, user=request.user)
        except ServiceError as error:
            form.add_error("budget", str(error))
        else:
            programme.places.set(form.cleaned_data["places"])
            messages.success(request, _("The programme is saved."))
            return redirect("funds:dashboard", org_slug=organisation.slug)
    return render(
        request,
        "campaigns/funds/programme_form.html",
        {"form": form, "organisation": organisation, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@rate_limited("funding")
def decide(request, pk):
    application = get_object_or_404(
        ProgrammeApplication.objects.select_related("programme__organisation"), pk=pk
    )
    organisation = _fund(request, application.programme.organisation.slug)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("funds:dashboard", org_slug=organisation.slug)
    try:
        programme_services.decide_application(
            application=application,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("funds:dashboard", org_slug=organisation.slug)
    messages.success(request, _("The decision is saved."))
    return redirect("funds:dashboard", org_slug=organisation.slug)


EXPORT_COLUMNS = (
    "programme",
    "initiative",
    "budget",
    "reserved",
    "committed",
    "paid_out",
    "remaining",
)


@login_required
def export_csv(request, org_slug, pk):
    """Per programme and per initiative, in euro cents."""
    organisation = _fund(request, org_slug)
    programme = get_object_or_404(FundingProgramme, pk=pk, organisation=organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    rows = [
        [
            programme.name,
            "",
            programme.budget_cents,
            programme.reserved_cents,
            programme.committed_cents,
            programme.paid_out_cents,
            programme.remaining_cents,
        ]
    ]
    for row in initiative_figures(programme):
        rows.append(
            [
                programme.name,
                row["campaign__page__title"],
                programme.cap_per_initiative_cents,
                row["reserved"],
                row["committed"],
                row["paid_out"],
                row["remaining"],
            ]
        )
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def _open_for(campaign):
    applied = campaign.programme_applications.values("programme_id")
    programmes = (
        FundingProgramme.objects.open_on()
        .filter(join_mode=FundingProgramme.JoinMode.APPLICATION)
        .exclude(pk__in=applied)
        .select_related("organisation")
        .prefetch_related("places")
    )
    return [programme for programme in programmes if programme.accepts(campaign.page)]


@login_required
@rate_limited("funding")
def apply(request, page_id):
    """An initiator applies with a draft or live initiative to an open programme."""
    campaign = _editable_campaign(request, page_id)
    programmes = _open_for(campaign)
    form = ApplicationForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            programme_services.apply_to_programme(
                campaign=campaign,
                programme=form.cleaned_data["programme"],
                user=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your application is sent to the fund."))
            return redirect("funds:apply", page_id=page_id)
    return render(
        request,
        "campaigns/funds/apply.html",
        {
            "form": form,
            "campaign": campaign,
            "page": campaign.page,
            "programmes": programmes,
            "applications": campaign.programme_applications.select_related("programme"),
        },
        status=400 if request.method == "POST" else 200,
    )
