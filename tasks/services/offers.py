"""Offers of space, material or a skill: for a task, or standing in a neighbourhood."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Membership
from accounts.services import is_organisation_admin
from campaigns import audit
from campaigns.audit import Action
from campaigns.models import Campaign, DigestItem
from campaigns.services.totals import add_support, remove_support
from campaigns.services.updates import add_digest_item
from campaigns.state import fire
from core.events import announce
from tasks.events import OfferDecided, OfferRequestAnswered, OfferRequested
from tasks.models import Offer, Task
from tasks.reporting import forget_register_after_commit, public_standing_offers
from tasks.services.common import OfferNotAllowed, lock_task, refresh_fullness, still_needed


def _check_offer_kind(task, kind):
    if task.kind not in (Task.Kind.SPACE, Task.Kind.MATERIAL):
        raise OfferNotAllowed(
            _("This task asks for helpers, not for space or material. Sign up instead.")
        )
    if kind != task.kind:
        raise OfferNotAllowed(
            _("This task needs %(kind)s; your offer is of another kind.")
            % {"kind": task.get_kind_display().lower()}
        )


def _check_quantity(task, quantity):
    """An offer covers at most what the (locked) task still needs."""
    if not isinstance(quantity, int) or quantity < 1:
        raise OfferNotAllowed(_("An offer is for a quantity of at least 1."))
    needed = still_needed(task)
    if needed == 0:
        raise OfferNotAllowed(_("This task already has everything it needs."))
    if quantity > needed:
        raise OfferNotAllowed(
            ngettext(
                "This offer is for %(quantity)s, but only %(needed)s is still needed.",
                "This offer is for %(quantity)s, but only %(needed)s are still needed.",
                needed,
            )
            % {"quantity": quantity, "needed": needed}
        )


@transaction.atomic
def make_offer(
    *,
    task,
    user,
    organisation=None,
    kind,
    description,
    availability="",
    estimated_value_cents=0,
    quantity=1,
):
    """A resident or an organisation offers space or material for a task.

    ``quantity`` is how many of what the task needs the offer covers (6 of 10 planks); it
    may not be more than is still needed when the offer is made, nor when it is accepted.
    """
    campaign, task = lock_task(task.pk)
    if campaign.status != Campaign.Status.LIVE:
        raise OfferNotAllowed(_("This initiative is not looking for offers right now."))
    if task.is_done:
        raise OfferNotAllowed(_("This task is already done."))
    _check_offer_kind(task, kind)
    _check_quantity(task, quantity)
    offer = _create_offer(
        Action.OFFER_MADE,
        task=task,
        user=user,
        organisation=organisation,
        kind=kind,
        description=description,
        availability=availability,
        estimated_value_cents=estimated_value_cents,
        quantity=quantity,
    )
    add_digest_item(
        campaign_id=campaign.pk,
        kind=DigestItem.Kind.OFFER,
        object_id=offer.pk,
        summary=f"{offer.giver_name}: {offer.description}",
    )
    return offer


def _create_offer(action, *, user, organisation, **fields):
    """Validate and store an offer made by ``user``, alone or for their organisation."""
    if organisation is not None and not organisation.members.filter(pk=user.pk).exists():
        raise OfferNotAllowed(_("You can only offer on behalf of your own organisation."))
    offer = Offer(user=user, organisation=organisation, **fields)
    offer.full_clean()
    offer.save()
    audit.record(
        offer, action, actor=user, to_state=offer.status, amount_cents=offer.estimated_value_cents
    )
    return offer


def _lock_offer(offer):
    """Lock an offer after its campaign and task; a standing offer has neither."""
    campaign = task = None
    if offer.task_id is not None:
        campaign, task = lock_task(offer.task_id)
    return campaign, task, Offer.objects.select_for_update().get(pk=offer.pk)


@transaction.atomic
def decide_offer(*, offer, accept, user):
    """The initiator accepts or declines an offer; an accepted offer covers the task."""
    campaign, task, offer = _lock_offer(offer)
    if offer.is_requested:
        raise OfferNotAllowed(_("This offer is waiting for its giver to agree."))
    if not offer.is_offered:
        raise OfferNotAllowed(_("This offer was already answered."))
    if accept:
        _check_quantity(task, offer.quantity)
        _answer(offer, "accept", Action.OFFER_ACCEPTED, user, counts=(campaign, task))
    else:
        _answer(offer, "decline", Action.OFFER_DECLINED, user)
    announce(OfferDecided(offer_id=offer.pk))
    return offer


@transaction.atomic
def withdraw_offer(*, offer, user):
    campaign, task, offer = _lock_offer(offer)
    if offer.user_id != user.pk:
        raise OfferNotAllowed(_("You can only withdraw your own offer."))
    if not offer.is_offered:
        raise OfferNotAllowed(_("An offer that was already answered cannot be withdrawn."))
    fire(offer, "withdraw", action=Action.OFFER_WITHDRAWN, actor=user)
    if offer.neighbourhood_id:
        forget_register_after_commit(offer.neighbourhood)
    return offer


def release_offer(campaign, offer, actor=None):
    """Withdraw a requested, open, paused or accepted offer whose task or giver is deleted.

    An accepted offer is un-counted. The caller holds the campaign and task locks (none
    for a standing offer) and has locked ``offer``.
    """
    if not (offer.is_requested or offer.is_offered or offer.is_accepted or offer.is_paused):
        return
    was_accepted = offer.is_accepted
    fire(offer, "release", action=Action.OFFER_RELEASED, actor=actor)
    if was_accepted:
        remove_support(campaign, offer.supporter_key, ("offer", offer.pk))


@transaction.atomic
def list_standing_offer(
    *,
    neighbourhood,
    user,
    organisation=None,
    kind,
    description,
    availability="",
    estimated_value_cents=0,
    capacity=None,
    step_free=False,
    accessible_toilet=False,
    accessibility_notes="",
):
    """What a neighbourhood has: a space, materials or a skill anyone can ask for.

    Capacity and accessibility describe a space; for other kinds they are not stored.
    """
    if kind != Offer.Kind.SPACE:
        capacity, step_free, accessible_toilet, accessibility_notes = None, False, False, ""
    offer = _create_offer(
        Action.STANDING_OFFER_LISTED,
        neighbourhood=neighbourhood,
        user=user,
        organisation=organisation,
        kind=kind,
        description=description,
        availability=availability,
        estimated_value_cents=estimated_value_cents,
        capacity=capacity,
        step_free=step_free,
        accessible_toilet=accessible_toilet,
        accessibility_notes=accessibility_notes,
    )
    forget_register_after_commit(neighbourhood)
    return offer


def matching_standing_offers(task):
    """Standing offers of the task's kind in its initiative's neighbourhood, available now
    (a paused or withdrawn item is not suggested)."""
    if task.kind not in (Task.Kind.SPACE, Task.Kind.MATERIAL, Task.Kind.SKILL):
        return Offer.objects.none()
    neighbourhood = task.initiative.get_parent()
    return (
        public_standing_offers()
        .filter(neighbourhood_id=neighbourhood.pk, kind=task.kind)
        .select_related("organisation", "user")
    )


def is_offer_owner(user, offer):
    """The giver of an offer: an admin of its organisation, or the person offering alone."""
    if not user.is_authenticated:
        return False
    if offer.organisation_id:
        return is_organisation_admin(user, offer.organisation_id)
    return offer.user_id == user.pk


@transaction.atomic
def request_standing_offer(*, task, standing_offer, user):
    """Ask a standing offer of the initiative's neighbourhood for a task.

    It becomes an offer on the task. Someone else's offer waits for its giver to agree
    (``answer_offer_request``) and counts only then; an initiator asking for their own
    standing offer gets an ordinary offer to accept.
    """
    campaign, task = lock_task(task.pk)
    if campaign.status != Campaign.Status.LIVE:
        raise OfferNotAllowed(_("This initiative is not looking for offers right now."))
    if task.is_done:
        raise OfferNotAllowed(_("This task is already done."))
    standing_offer = Offer.objects.select_for_update().get(pk=standing_offer.pk)
    if standing_offer.task_id is not None or standing_offer.kind != task.kind:
        raise OfferNotAllowed()
    if not public_standing_offers().filter(pk=standing_offer.pk).exists():
        raise OfferNotAllowed(_("This offer is no longer available."))
    if standing_offer.neighbourhood_id != task.initiative.get_parent().pk:
        raise OfferNotAllowed(
            _("You can only ask for offers in the neighbourhood of your initiative.")
        )
    if Offer.objects.filter(task=task, standing_offer=standing_offer).exists():
        raise OfferNotAllowed(_("You already asked for this offer."))
    needs_consent = not is_offer_owner(user, standing_offer)
    offer = Offer.objects.create(
        task=task,
        standing_offer=standing_offer,
        user=standing_offer.user,
        organisation=standing_offer.organisation,
        kind=standing_offer.kind,
        description=standing_offer.description,
        availability=standing_offer.availability,
        estimated_value_cents=standing_offer.estimated_value_cents,
    )
    if needs_consent:
        fire(offer, "await_giver", action=Action.STANDING_OFFER_REQUESTED, actor=user)
        announce(OfferRequested(offer_id=offer.pk))
    else:
        audit.record(offer, Action.STANDING_OFFER_REQUESTED, actor=user, to_state=offer.status)
    return offer


def requests_for_owner(user):
    """Requests waiting for ``user``'s answer, on live initiatives only."""
    personal = Q(organisation__isnull=True, user=user)
    as_admin = Q(
        organisation__membership__user=user,
        organisation__membership__role=Membership.Role.ADMIN,
    )
    return Offer.objects.filter(
        personal | as_admin, status=Offer.Status.REQUESTED, task__initiative__live=True
    ).distinct()


@transaction.atomic
def answer_offer_request(*, offer, consent, user):
    """The giver agrees to (or turns down) an initiator's request for their standing offer.

    Only an agreed offer counts toward the task and the campaign's supporters.
    """
    campaign, task, offer = _lock_offer(offer)
    if not is_offer_owner(user, offer):
        raise OfferNotAllowed(_("Only the giver of this offer can answer the request."))
    if not offer.is_requested:
        raise OfferNotAllowed(_("This request was already answered."))
    if consent and task.is_done:
        raise OfferNotAllowed(_("This task is already done."))
    if consent:
        _check_quantity(task, offer.quantity)
        _answer(offer, "consent", Action.OFFER_CONSENTED, user, counts=(campaign, task))
    else:
        _answer(offer, "refuse", Action.OFFER_REFUSED, user)
    announce(OfferRequestAnswered(offer_id=offer.pk))
    return offer


def _answer(offer, transition, action, user, counts=None):
    """Fire the answer on a locked offer; ``counts=(campaign, task)`` when the offer now
    counts as support and covers its task."""
    fire(
        offer,
        transition,
        action=action,
        actor=user,
        update_fields=["decided_at"],
        amount_cents=offer.estimated_value_cents,
    )
    if counts is not None:
        campaign, task = counts
        add_support(campaign, offer.supporter_key, ("offer", offer.pk))
        refresh_fullness(task, user)
