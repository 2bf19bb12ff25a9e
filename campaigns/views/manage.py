"""Initiators start, edit, preview and submit their initiatives here, outside Wagtail's admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns import services
from campaigns.cover_uploads import CoverForm, adopt_cover
from campaigns.forms import (
    BudgetLineFormSet,
    CancelInitiativeForm,
    InitiativeForm,
    initiative_form_sections,
)
from campaigns.models import Campaign, InitiativePage
from campaigns.permissions import can_edit_initiative, is_initiator
from campaigns.services.cancellation import cancel_campaign
from campaigns.story import blocks_to_text, merge_story
from core.form_feedback import UNJUDGED_RENDERER, error_summary, with_extra_row
from core.ratelimits import rate_limited

# Formsets that have an "add a line" button, by prefix; the cap is their max_num.
ADDABLE_FORMSETS = ("budget", "tasks")
MAX_ROWS = 50


def _editable_campaign(request, page_id):
    """The campaign if this user may edit it: others get 404 for drafts and 403 otherwise."""
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    if not can_edit_initiative(request.user, campaign):
        if campaign.page.live:
            raise PermissionDenied(
                _("Only the initiators and moderators can edit this initiative.")
            )
        raise Http404
    return campaign


def _unique_slug(parent, title, exclude_pk=None):
    base = slugify(title)[:60] or "initiatief"
    siblings = Page.objects.child_of(parent)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply_form(page, form, user, existing_story=()):
    data = form.cleaned_data
    page.title = data["title"]
    page.summary = data["summary"]
    page.title_en = data.get("title_en", "")
    page.summary_en = data.get("summary_en", "")
    page.story = merge_story(existing_story, data["story"])
    page.category = data["category"]
    page.location = data["location"]
    page.goal_cents = data["goal"]
    page.stretch_goal_cents = data["stretch_goal"]
    page.deadline = data["deadline"]
    page.funding_model = data["funding_model"]
    upload = data.get("cover_image")
    if upload:
        page.cover_image = get_image_model().objects.create(
            title=data["title"], file=upload, uploaded_by_user=user
        )
    elif form.pending_cover is not None:
        page.cover_image = adopt_cover(form.pending_cover)
    return page


def _sections(data=None, page=None, form_kwargs=None):
    """The formsets other apps add to the form (tasks ...), by their context name."""
    return {
        section.context_name: (section, section.formset(data, page=page, form_kwargs=form_kwargs))
        for section in initiative_form_sections()
    }


def _save_sections(sections, *, initiative, user):
    for section, formset in sections.values():
        section.save(formset, initiative=initiative, user=user)


def _forms_valid(form, budget_formset, sections):
    """Validate everything; budget lines that miss the goal are marked at both places."""
    if form.is_valid():
        budget_formset.goal_cents = form.cleaned_data["goal"]
    formsets = [budget_formset, *(formset for _section, formset in sections.values())]
    valid = all([formset.is_valid() for formset in formsets])
    for error in budget_formset.non_form_errors().as_data():
        if error.code == "total_mismatch":
            form.add_error("goal", error)
    return valid and form.is_valid()


def _bind(request, page=None):
    """The form and formsets bound to the POST; "add a line" adds an empty form to one.

    After "add a line" their forms render with :data:`UNJUDGED_RENDERER`: shown as typed
    and never validated, so no field is marked before the person has reached it.
    """
    data = request.POST
    added = None
    for prefix in ADDABLE_FORMSETS:
        if f"add-{prefix}" in data:
            data, added = with_extra_row(data, prefix, MAX_ROWS), prefix
    unjudged = {"renderer": UNJUDGED_RENDERER} if added else {}
    form = InitiativeForm(data, request.FILES, user=request.user, **unjudged)
    budget_formset = BudgetLineFormSet(data, prefix="budget", form_kwargs=unjudged)
    sections = _sections(data, page=page, form_kwargs=unjudged)
    return form, budget_formset, sections, added


def _redisplay(request, form, budget_formset, sections, campaign=None, added=None):
    """Show the form again: 200 after "add a line" (nothing judged), else 400 with errors.

    Either way a valid new cover image is kept. After "add a line" only the cover part is
    validated, as a :class:`CoverForm` of its own; the rest waits for "Save".
    """
    if added:
        cover_form = CoverForm(request.POST, request.FILES, user=request.user)
        cover_form.is_valid()
        cover_form.keep_cover(title=form["title"].data)
        status = 200
    else:
        cover_form, status = form, 400
        form.keep_cover()
    return _render_form(
        request, form, budget_formset, sections, campaign, status, added, cover_form=cover_form
    )


def _error_summary(form, budget_formset, formsets):
    task_formsets = [formset for name, formset in formsets.items() if name == "task_formset"]
    return error_summary(
        form,
        [
            (budget_formset, "budget-lines", _("Budget line")),
            *((formset, "tasks", _("Task")) for formset in task_formsets),
        ],
    )


def _render_form(
    request,
    form,
    budget_formset,
    sections,
    campaign=None,
    status=200,
    added=None,
    *,
    cover_form=None,
):
    """The initiative form page. After "add a line" (``added``) nothing is judged, so no
    error summary is built; ``cover_form`` holds the cover (``form`` when None).
    """
    formsets = {name: formset for name, (_section, formset) in sections.items()}
    summary = [] if added else _error_summary(form, budget_formset, formsets)
    cover_form = cover_form or form
    cover = cover_form.pending_cover or (
        campaign.page.get_latest_revision_as_object().cover_image if campaign else None
    )
    return render(
        request,
        "campaigns/initiative_form.html",
        {
            "form": form,
            "budget_formset": budget_formset,
            "campaign": campaign,
            "error_summary": summary,
            "cover": cover,
            "cover_kept": cover_form.pending_cover is not None,
            "cover_token": cover_form.kept_cover_token(),
            "added": added,
            **formsets,
        },
        status=status,
    )


@login_required
@rate_limited("initiatives")
def initiative_create(request):
    if request.method == "POST":
        form, budget_formset, sections, added = _bind(request)
        if not added and _forms_valid(form, budget_formset, sections):
            neighbourhood = form.cleaned_data["neighbourhood"]
            with transaction.atomic():
                page = _apply_form(InitiativePage(), form, request.user)
                page.slug = _unique_slug(neighbourhood, page.title)
                campaign = services.create_initiative(
                    user=request.user,
                    neighbourhood=neighbourhood,
                    page=page,
                    budget_lines=budget_formset.budget_lines(),
                )
                _save_sections(sections, initiative=campaign.page, user=request.user)
            messages.success(
                request,
                _("Your initiative is saved as a draft. Submit it for review when it is ready."),
            )
            return redirect("campaigns:my_initiatives")
        return _redisplay(request, form, budget_formset, sections, added=added)
    form = InitiativeForm(
        initial={"neighbourhood": request.GET.get("neighbourhood")}, user=request.user
    )
    return _render_form(request, form, BudgetLineFormSet(prefix="budget"), _sections())


@login_required
@rate_limited("edits")
def initiative_edit(request, page_id):
    campaign = _editable_campaign(request, page_id)
    if not campaign.is_editable:
        messages.error(request, _("An initiative that is in review or closed cannot be edited."))
        return redirect("campaigns:my_initiatives")
    page = campaign.page.get_latest_revision_as_object()
    if request.method == "POST":
        form, budget_formset, sections, added = _bind(request, page=page)
        if not added and _forms_valid(form, budget_formset, sections):
            with transaction.atomic():
                _apply_form(page, form, request.user, existing_story=page.story)
                services.save_initiative_draft(
                    campaign=campaign,
                    user=request.user,
                    page=page,
                    budget_lines=budget_formset.budget_lines(),
                    neighbourhood=form.cleaned_data["neighbourhood"],
                )
                _save_sections(sections, initiative=campaign.page, user=request.user)
            if campaign.is_live:
                messages.success(request, _("Your changes were sent to the moderators for review."))
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect("campaigns:my_initiatives")
        return _redisplay(request, form, budget_formset, sections, campaign, added=added)
    form = InitiativeForm(
        initial={
            "title": page.title,
            "summary": page.summary,
            "title_en": page.title_en,
            "summary_en": page.summary_en,
            "story": blocks_to_text(page.story),
            "neighbourhood": page.get_parent().pk,
            "category": page.category,
            "location": page.location,
            "goal": page.goal_cents / 100,
            "stretch_goal": page.stretch_goal_cents / 100 if page.stretch_goal_cents else None,
            "deadline": page.deadline,
            "funding_model": page.funding_model,
        },
        user=request.user,
    )
    budget_formset = BudgetLineFormSet(
        prefix="budget",
        initial=[
            {"description": line.description, "amount": line.amount_cents / 100}
            for line in page.budget_lines.all()
        ],
    )
    return _render_form(request, form, budget_formset, _sections(page=page), campaign)


@login_required
@require_POST
@rate_limited("initiatives")
def initiative_submit(request, page_id):
    campaign = _editable_campaign(request, page_id)
    try:
        services.submit_for_review(campaign=campaign, user=request.user)
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
        return redirect("campaigns:my_initiatives")
    messages.success(request, _("Thank you! A moderator will review your initiative soon."))
    return redirect("campaigns:my_initiatives")


@login_required
def initiative_cancel(request, page_id):
    """Confirm, then cancel a live initiative with a reason; its donations are refunded.

    A GET shows the confirmation form; only a POST with a reason and the box ticked
    cancels. Others than the initiators and moderators get 403 (404 for a draft).
    """
    campaign = _editable_campaign(request, page_id)
    form = CancelInitiativeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if not campaign.is_live:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            cancel_campaign(
                campaign=campaign, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The initiative is cancelled. Every donation is being refunded.")
            )
            return redirect("campaigns:my_initiatives")
    return render(
        request, "campaigns/cancel.html", {"campaign": campaign, "form": form}, status=status
    )


@login_required
@rate_limited("edits")
def initiative_delete(request, page_id):
    """Confirm, then delete a draft: a GET asks, only a POST deletes.

    Only the initiators may; others get 404 for a draft (they cannot know it exists) and
    403 otherwise. An initiative past the draft stage is refused with a message.
    """
    campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
    if not is_initiator(request.user, campaign):
        if campaign.page.live:
            raise PermissionDenied(_("Only the initiators can delete this initiative."))
        raise Http404
    if not campaign.is_draft:
        messages.error(
            request,
            _("Only a draft can be deleted. An initiative in review, live or closed stays."),
        )
        return redirect("campaigns:my_initiatives")
    if request.method == "POST":
        title = campaign.page.draft_title
        try:
            services.delete_draft(campaign=campaign, user=request.user)
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": title})
        return redirect("campaigns:my_initiatives")
    return render(request, "campaigns/delete_draft.html", {"campaign": campaign})


@login_required
def initiative_preview(request, page_id):
    campaign = _editable_campaign(request, page_id)
    page = campaign.page.get_latest_revision_as_object()
    request.is_preview = True  # as Wagtail marks its own previews
    context = page.get_context(request)
    return TemplateResponse(request, page.get_template(request), context)


MY_INITIATIVES_PER_PAGE = 25


@login_required
def my_initiatives(request):
    campaigns = (
        Campaign.objects.filter(initiators=request.user)
        .select_related("page")
        .defer("page__story")
        .order_by("-created_at", "-id")
    )
    page_obj = Paginator(campaigns, MY_INITIATIVES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/my_initiatives.html",
        {"campaigns": page_obj.object_list, "page_obj": page_obj},
    )
