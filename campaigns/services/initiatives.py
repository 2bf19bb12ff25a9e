"""State changes of an initiative's life: draft, review, live.

Realised is not here: an initiative becomes realised only when a moderator approves its
account of spending (:func:`campaigns.services.spending.approve_spending`).

Views, Wagtail hooks, admin actions and Celery jobs all go through these functions.
Each runs in one transaction and locks the campaign row it changes, so that two
requests can never both move a campaign out of the same state.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.delete_page import DeletePageAction

from campaigns import audit
from campaigns.audit import Action
from campaigns.events import CampaignApproved, ChangesRequested
from campaigns.models import Campaign, InitiativePage
from campaigns.models.campaign import listing_keys
from campaigns.services.errors import TransitionNotAllowed
from campaigns.services.locks import lock_campaign as _lock_campaign
from campaigns.services.programmes import attach_automatic
from campaigns.state import fire
from core.events import announce


def _refused(campaign, to_status):
    return _("This initiative cannot go from “%(from)s” to “%(to)s”.") % {
        "from": campaign.get_status_display(),
        "to": Campaign.Status(to_status).label,
    }


@transaction.atomic
def create_initiative(*, user, neighbourhood, page, budget_lines):
    """Save a new initiative as a draft page with its campaign, owned by ``user``."""
    page.owner = user
    page.live = False
    page.budget_lines = budget_lines
    neighbourhood.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    campaign = Campaign.objects.create(page=page, currency=page.currency)
    campaign.initiators.add(user)
    audit.record(campaign, Action.CAMPAIGN_CREATED, actor=user, to_state=campaign.status)
    return campaign


@transaction.atomic
def refresh_listing_keys(*, campaign_id):
    """Recompute the listing's sort keys from the published deadline, under the campaign lock.

    A status change writes them itself (``Campaign.save``); this is for a published edit of
    the page, whose deadline may have moved. Not a state change: no audit entry.
    """
    campaign = _lock_campaign(campaign_id)
    rank, closing = listing_keys(campaign.status, campaign.page.deadline)
    if (rank, closing) != (campaign.listing_rank, campaign.closing_rank):
        Campaign.objects.filter(pk=campaign.pk).update(listing_rank=rank, closing_rank=closing)


@transaction.atomic
def save_initiative_draft(*, campaign, user, page, budget_lines, neighbourhood=None):
    """Store an edit as a new revision. A draft may also move to another neighbourhood."""
    campaign = _lock_campaign(campaign.pk)
    if campaign.status not in Campaign.EDITABLE_STATUSES:
        raise TransitionNotAllowed(_("An initiative that is in review or closed cannot be edited."))
    page.budget_lines = budget_lines
    revision = page.save_revision(user=user, log_action=True)
    if (
        neighbourhood is not None
        and campaign.status == Campaign.Status.DRAFT
        and page.get_parent().pk != neighbourhood.pk
    ):
        InitiativePage.objects.get(pk=page.pk).move(neighbourhood, pos="last-child", user=user)
    if campaign.status == Campaign.Status.LIVE:
        # Changes to a live initiative's terms are moderated too; the live version stays up.
        _start_or_resume_workflow(page, user)
    audit.record(campaign, Action.CAMPAIGN_EDITED, actor=user, revision=revision.pk)
    return revision


def _start_or_resume_workflow(page, user):
    page = InitiativePage.objects.get(pk=page.pk)
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user)
    elif state is None or state.status != state.STATUS_IN_PROGRESS:
        workflow = page.get_workflow()
        if workflow is None:
            raise TransitionNotAllowed(_("No moderation workflow is configured."))
        workflow.start(page, user)


@transaction.atomic
def submit_for_review(*, campaign, user):
    campaign = _lock_campaign(campaign.pk)
    campaign.moderator_note = ""
    fire(
        campaign,
        "submit",
        action=Action.CAMPAIGN_SUBMITTED,
        actor=user,
        update_fields=["submitted_at", "moderator_note"],
        message=_refused(campaign, Campaign.Status.IN_REVIEW),
    )
    _start_or_resume_workflow(campaign.page, user)
    return campaign


@transaction.atomic
def mark_live(*, campaign, user=None):
    """Called when a moderator's approval publishes the page; the initiative joins every
    open automatic programme it is eligible for."""
    campaign = _lock_campaign(campaign.pk)
    if campaign.status == Campaign.Status.LIVE:
        return campaign
    fire(
        campaign,
        "approve",
        action=Action.CAMPAIGN_APPROVED,
        actor=user,
        update_fields=["live_at"],
        message=_refused(campaign, Campaign.Status.LIVE),
    )
    attach_automatic(campaign)
    announce(CampaignApproved(campaign_id=campaign.pk))
    return campaign


@transaction.atomic
def request_changes(*, campaign, user=None, comment=""):
    """A moderator sent the initiative back; the initiator can edit and resubmit it."""
    campaign = _lock_campaign(campaign.pk)
    campaign.moderator_note = comment
    if campaign.status != Campaign.Status.IN_REVIEW:
        # A live initiative whose edit was rejected simply stays live with its old version.
        campaign.save(update_fields=["moderator_note"])
        entry = audit.record(campaign, Action.CAMPAIGN_EDIT_REJECTED, actor=user, comment=comment)
    else:
        entry = fire(
            campaign,
            "request_changes",
            action=Action.CAMPAIGN_CHANGES_REQUESTED,
            actor=user,
            update_fields=["moderator_note"],
            comment=comment,
        )
    announce(ChangesRequested(campaign_id=campaign.pk, version=entry.pk))
    return campaign


@transaction.atomic
def withdraw_from_review(*, campaign, user=None):
    campaign = _lock_campaign(campaign.pk)
    if campaign.status == Campaign.Status.IN_REVIEW:
        fire(
            campaign,
            "withdraw_from_review",
            action=Action.CAMPAIGN_WITHDRAWN_FROM_REVIEW,
            actor=user,
        )
    return campaign


@transaction.atomic
def delete_draft(*, campaign, user):
    """Delete a draft initiative, its page and its campaign, for one of its initiators.

    Only a draft that was never published and never took a donation goes; once it is in
    review, live or closed it stays, so that nothing a moderator or a donor saw disappears.
    The page goes through Wagtail's own delete action (which logs it and removes the
    revisions), taking the campaign, budget lines and tasks with it; the audit entry
    outlives them.
    """
    campaign = _lock_campaign(campaign.pk)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    if not campaign.initiators.filter(pk=user.pk).exists():
        raise TransitionNotAllowed(_("Only the initiators can delete this draft."))
    if (
        campaign.status != Campaign.Status.DRAFT
        or page.live
        or page.first_published_at is not None
        or campaign.pledges.exists()
    ):
        raise TransitionNotAllowed(
            _(
                "Only a draft can be deleted. This initiative is “%(status)s”; "
                "it stays, so that nothing moderators or supporters saw disappears."
            )
            % {"status": campaign.get_status_display()}
        )
    audit.record(
        campaign,
        Action.CAMPAIGN_DELETED,
        actor=user,
        from_state=campaign.status,
        title=page.draft_title,
        page_id=page.pk,
    )
    DeletePageAction(page, user=user).execute(skip_permission_checks=True)
