"""Proof of spending: receipts after the payout, a moderator's approval, then realised.

Lock order: the campaign, then its proof. Receipt files go to the private storage; the
public page reads only the amounts (:func:`spending_per_budget_line`).
"""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Payout, Receipt, SpendingProof
from campaigns.permissions import is_initiator, is_moderator
from campaigns.services.errors import ServiceError, TransitionNotAllowed
from campaigns.services.locks import lock_campaign
from campaigns.services.payouts import NotAllowed
from campaigns.state import fire


def _lock_proof(campaign):
    SpendingProof.objects.get_or_create(campaign=campaign)
    return SpendingProof.objects.select_for_update().get(campaign=campaign)


def _check_initiator_may_edit(campaign, user):
    if not is_initiator(user, campaign):
        raise NotAllowed(_("Only the initiators can account for the spending."))
    paid = Payout.objects.filter(campaign=campaign, status=Payout.Status.PAID).exists()
    if not paid:
        raise TransitionNotAllowed(_("Receipts can be added once the payout has been made."))


@transaction.atomic
def add_receipt(*, campaign, user, budget_line, description, amount_cents, file, content_type):
    campaign = lock_campaign(campaign.pk)
    _check_initiator_may_edit(campaign, user)
    if budget_line.page_id != campaign.page_id:
        raise ServiceError(_("Choose one of this initiative's budget lines."))
    proof = _lock_proof(campaign)
    if proof.status != SpendingProof.Status.OPEN:
        raise TransitionNotAllowed(
            _("The account of spending has been sent; it cannot change now.")
        )
    receipt = Receipt.objects.create(
        proof=proof,
        budget_line=budget_line,
        description=description,
        amount_cents=amount_cents,
        file=file,
        content_type=content_type,
        uploaded_by=user,
    )
    audit.record(
        receipt,
        Action.RECEIPT_ADDED,
        actor=user,
        amount_cents=amount_cents,
        budget_line=budget_line.description,
    )
    return receipt


@transaction.atomic
def remove_receipt(*, receipt, user):
    campaign = lock_campaign(receipt.proof.campaign_id)
    _check_initiator_may_edit(campaign, user)
    proof = _lock_proof(campaign)
    if proof.status != SpendingProof.Status.OPEN:
        raise TransitionNotAllowed(
            _("The account of spending has been sent; it cannot change now.")
        )
    audit.record(receipt, Action.RECEIPT_REMOVED, actor=user, amount_cents=receipt.amount_cents)
    storage, name = receipt.file.storage, receipt.file.name
    receipt.delete()
    transaction.on_commit(partial(storage.delete, name))


@transaction.atomic
def submit_spending(*, campaign, user):
    campaign = lock_campaign(campaign.pk)
    _check_initiator_may_edit(campaign, user)
    proof = _lock_proof(campaign)
    if not proof.receipts.exists():
        raise ServiceError(_("Add at least one receipt before sending the account of spending."))
    proof.submitted_at = timezone.now()
    fire(
        proof,
        "submit",
        action=Action.SPENDING_SUBMITTED,
        actor=user,
        update_fields=["submitted_at"],
        message=_("The account of spending has been sent already."),
    )
    return proof


@transaction.atomic
def request_spending_changes(*, proof, user, note):
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can review an account of spending."))
    lock_campaign(proof.campaign_id)
    proof = SpendingProof.objects.select_for_update().get(pk=proof.pk)
    proof.moderator_note = note
    fire(
        proof,
        "request_changes",
        action=Action.SPENDING_CHANGES_REQUESTED,
        actor=user,
        update_fields=["moderator_note"],
        message=_("This account of spending is not waiting for review."),
        note=note,
    )
    return proof


@transaction.atomic
def approve_spending(*, proof, user):
    """A moderator approves the account of spending; the initiative becomes realised."""
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can review an account of spending."))
    campaign = lock_campaign(proof.campaign_id)
    proof = SpendingProof.objects.select_for_update().get(pk=proof.pk)
    proof.approved_at, proof.approved_by = timezone.now(), user
    fire(
        proof,
        "approve",
        action=Action.SPENDING_APPROVED,
        actor=user,
        update_fields=["approved_at", "approved_by"],
        message=_("This account of spending is not waiting for review."),
    )
    fire(
        campaign,
        "realise",
        action=Action.CAMPAIGN_REALISED,
        actor=user,
        message=_("Only a funded initiative can become realised."),
    )
    forget_initiative_page_on_commit(campaign.page_id)
    return proof


@dataclass(frozen=True)
class SpentLine:
    description: str
    budgeted_cents: int
    spent_cents: int
    receipts: list


def spending_per_budget_line(campaign):
    """What an approved account of spending shows the public: per budget line, the amount
    budgeted, the amount spent and each receipt's description and amount (no files)."""
    proof = SpendingProof.objects.filter(
        campaign=campaign, status=SpendingProof.Status.APPROVED
    ).first()
    if proof is None:
        return []
    receipts = list(proof.receipts.all())
    result = []
    for line in campaign.page.budget_lines.all():
        own = [(r.description, r.amount_cents) for r in receipts if r.budget_line_id == line.pk]
        result.append(SpentLine(line.description, line.amount_cents, sum(a for _, a in own), own))
    return result
