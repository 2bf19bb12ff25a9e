"""Funding programmes and the initiatives that join them.

An initiator applies with a draft or live initiative to an open programme; the fund's
members approve or decline (``applied → approved | declined``). An automatic programme
approves every eligible initiative itself when it goes live (``attach_automatic``, called
by ``mark_live``) and, when it is saved, every eligible initiative already live.

Locks: the campaign, then the programme, then the application (the order of
``campaigns.services.locks``). A programme saved by its fund locks only its own row.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Campaign, FundingProgramme, ProgrammeApplication
from campaigns.permissions import can_manage_programmes, can_see_fund, is_initiator
from campaigns.services.errors import ServiceError, TransitionNotAllowed
from campaigns.services.locks import lock_campaign
from campaigns.state import fire

APPLYING_STATUSES = [Campaign.Status.DRAFT, Campaign.Status.IN_REVIEW, Campaign.Status.LIVE]


class NotAllowed(ServiceError):
    default_message = _("You are not allowed to do this.")


class ProgrammeClosed(ServiceError):
    default_message = _("This programme is not open for applications.")


class NotEligible(ServiceError):
    default_message = _("This initiative does not meet the programme's conditions.")


class AlreadyApplied(ServiceError):
    default_message = _("This initiative has already applied to this programme.")


@transaction.atomic
def save_programme(*, programme, user):
    """Create or change a programme; only the organisation's administrators may.

    The budget can never drop below what is already reserved, committed or paid out (a
    check constraint in the database says so too).
    """
    if not can_manage_programmes(user, programme.organisation):
        raise NotAllowed()
    created = programme.pk is None
    if not created:
        locked = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
        for field in ("reserved_cents", "committed_cents", "paid_out_cents"):
            setattr(programme, field, getattr(locked, field))
        if programme.budget_cents < programme.spent_cents:
            raise ServiceError(_("The budget cannot be less than what is already matched."))
    programme.save()
    audit.record(
        programme,
        Action.PROGRAMME_SAVED,
        actor=user,
        amount_cents=programme.budget_cents,
        created=created,
    )
    transaction.on_commit(lambda: attach_to_live_campaigns(programme_id=programme.pk))
    return programme


@transaction.atomic
def apply_to_programme(*, campaign, programme, user, motivation=""):
    campaign = lock_campaign(campaign.pk)
    if not is_initiator(user, campaign):
        raise NotAllowed(_("Only the initiators can apply for this initiative."))
    if campaign.status not in APPLYING_STATUSES:
        raise TransitionNotAllowed(_("Only a draft or live initiative can apply."))
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    if not programme.is_open():
        raise ProgrammeClosed()
    if not programme.accepts(campaign.page):
        raise NotEligible()
    if ProgrammeApplication.objects.filter(programme=programme, campaign=campaign).exists():
        raise AlreadyApplied()
    application = ProgrammeApplication.objects.create(
        programme=programme, campaign=campaign, motivation=motivation
    )
    audit.record(
        application,
        Action.PROGRAMME_APPLIED,
        actor=user,
        to_state=application.status,
        programme=programme.pk,
        campaign=campaign.pk,
    )
    return application


@transaction.atomic
def decide_application(*, application, user, approve, note=""):
    """A fund member (or a moderator) approves or declines an application, with a note."""
    campaign = lock_campaign(application.campaign_id)
    programme = FundingProgramme.objects.select_for_update().get(pk=application.programme_id)
    if not can_see_fund(user, programme.organisation):
        raise NotAllowed(_("Only the fund's members can decide its applications."))
    application = ProgrammeApplication.objects.select_for_update().get(pk=application.pk)
    application.decision_note = note
    fire(
        application,
        "approve" if approve else "decline",
        action=Action.APPLICATION_APPROVED if approve else Action.APPLICATION_DECLINED,
        actor=user,
        update_fields=["decision_note", "decided_at"],
        message=_("This application has already been decided."),
        note=note,
    )
    if approve:
        forget_initiative_page_on_commit(campaign.page_id)
    return application


def _attach(campaign, programme, actor_label):
    """Approve an automatic programme for a locked campaign, unless it already joined."""
    try:
        with transaction.atomic():
            application = ProgrammeApplication.objects.create(
                programme=programme, campaign=campaign
            )
    except IntegrityError:
        return None
    fire(
        application,
        "approve",
        action=Action.APPLICATION_APPROVED,
        actor_label=actor_label,
        update_fields=["decided_at"],
        automatic=True,
    )
    return application


def _automatic_programmes():
    return (
        FundingProgramme.objects.open_on()
        .filter(join_mode=FundingProgramme.JoinMode.AUTOMATIC)
        .prefetch_related("places")
    )


def attach_automatic(campaign):
    """Called by ``mark_live`` with the campaign locked: join every eligible automatic
    programme that is open."""
    attached = [
        _attach(campaign, programme, "automatic")
        for programme in _automatic_programmes().in_match_order()
        if programme.accepts(campaign.page)
    ]
    if any(attached):
        forget_initiative_page_on_commit(campaign.page_id)
    return [application for application in attached if application]


def attach_to_live_campaigns(*, programme_id):
    """An automatic programme joins the eligible initiatives already live, each in its
    own transaction, campaigns in id order. Safe to repeat."""
    programme = _automatic_programmes().filter(pk=programme_id).first()
    if programme is None:
        return 0
    count = 0
    live = Campaign.objects.filter(status=Campaign.Status.LIVE).exclude(
        programme_applications__programme=programme
    )
    for campaign_id in live.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            campaign = lock_campaign(campaign_id)
            if (
                campaign.status == Campaign.Status.LIVE
                and programme.accepts(campaign.page)
                and _attach(campaign, programme, "automatic")
            ):
                forget_initiative_page_on_commit(campaign.page_id)
                count += 1
    return count
