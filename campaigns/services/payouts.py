"""Payouts: the initiators' account, the amount, approval, the SEPA batch and payment.

Lock order (see ``campaigns.services.locks``): the campaign, then the programmes that
match it, then its payout, then the batch. A service over several payouts locks their campaigns in ascending id order, so
two batch runs at once serialise on the first campaign and the second finds nothing left
to batch.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from sepaxml import SepaTransfer

from campaigns import audit
from campaigns.audit import Action
from campaigns.events import PayoutPaid
from campaigns.models import Campaign, Payout, PayoutAccount, PayoutBatch
from campaigns.permissions import can_approve_payouts, is_initiator
from campaigns.services.errors import ServiceError, TransitionNotAllowed
from campaigns.services.locks import lock_campaign, lock_programmes
from campaigns.services.matching import committed_match_cents, pay_out_campaign_matches
from campaigns.state import fire
from core.events import announce
from core.iban import compact_iban

# The labels of the lines of a payout's breakdown, by key: stored as keys and amounts, so
# the initiator reads them in their own language.
LINE_LABELS = {
    "raised": _("Donations received"),
    "matched": _("Matched by funds"),
    "platform_fee": _("Platform fee"),
    "payment_fees": _("Payment fees"),
}
INCOME_LINES = ("raised", "matched")
SEPA_SCHEMA = "pain.001.001.03"


class NotAllowed(ServiceError):
    default_message = _("You are not allowed to do this.")


class NothingToBatch(ServiceError):
    default_message = _("There are no approved payouts waiting for the bank.")


@dataclass(frozen=True)
class PayoutLine:
    key: str
    amount_cents: int

    @property
    def label(self):
        return LINE_LABELS[self.key]


@dataclass(frozen=True)
class Breakdown:
    lines: list
    total_cents: int

    def as_json(self):
        return [{"key": line.key, "amount_cents": line.amount_cents} for line in self.lines]


def payment_fees_cents(campaign):
    """The payment provider's fees for this campaign's pledges, where the ledger knows them.

    The ledger does not store Stripe's fee per payment (it would take a balance-transaction
    lookup per charge), so none are deducted today: the platform bears them. When it does
    store them, sum them here and every payout shows the line.
    """
    return 0


def payout_breakdown(campaign):
    """The one place a payout's amount is computed, as lines the initiator sees.

    Income first: the counted donations (``Campaign.raised_cents``, equal to the ledger
    under the campaign lock) and the money funds committed by matching. Then the fees:
    ``PAYOUT_PLATFORM_FEE_BASIS_POINTS`` of the income, rounded down, and the payment
    fees where known. Fees are negative lines; the total is their sum.
    """
    lines = [PayoutLine("raised", campaign.raised_cents)]
    matched = committed_match_cents(campaign)
    if matched:
        lines.append(PayoutLine("matched", matched))
    income = sum(line.amount_cents for line in lines if line.key in INCOME_LINES)
    platform_fee = income * settings.PAYOUT_PLATFORM_FEE_BASIS_POINTS // 10_000
    lines.append(PayoutLine("platform_fee", -platform_fee))
    lines.append(PayoutLine("payment_fees", -payment_fees_cents(campaign)))
    return Breakdown(lines=lines, total_cents=sum(line.amount_cents for line in lines))


def stored_breakdown(payout):
    lines = [PayoutLine(line["key"], line["amount_cents"]) for line in payout.lines]
    return Breakdown(lines=lines, total_cents=payout.amount_cents)


def _lock_payout(campaign_id):
    return Payout.objects.select_for_update().filter(campaign_id=campaign_id).first()


@transaction.atomic
def save_payout_account(*, campaign, user, iban, holder_name, holder_kind, kvk_number=""):
    """Initiators enter or change the account until the payout is approved.

    A change while the payout waits for approval drops a first approval already given:
    the approvers approve the account the money goes to.
    """
    campaign = lock_campaign(campaign.pk)
    if not is_initiator(user, campaign):
        raise NotAllowed(_("Only the initiators can enter the bank account of an initiative."))
    if campaign.status != Campaign.Status.SUCCEEDED:
        raise TransitionNotAllowed(
            _("A bank account can be entered once the initiative is funded.")
        )
    payout = _lock_payout(campaign.pk)
    if payout is not None and payout.status != Payout.Status.REQUESTED:
        raise TransitionNotAllowed(
            _("The payout is approved; the bank account can no longer be changed.")
        )
    account = PayoutAccount.objects.filter(campaign=campaign).first() or PayoutAccount(
        campaign=campaign
    )
    account.iban = compact_iban(iban)
    account.holder_name = holder_name
    account.holder_kind = holder_kind
    account.kvk_number = kvk_number if holder_kind == PayoutAccount.HolderKind.ORGANISATION else ""
    account.updated_by = user
    account.full_clean(exclude=["campaign"])
    account.save()
    if payout is not None and payout.first_approver_id:
        payout.first_approver = None
        payout.save(update_fields=["first_approver"])
    audit.record(
        account,
        Action.PAYOUT_ACCOUNT_SAVED,
        actor=user,
        iban=account.masked_iban,
        holder_kind=account.holder_kind,
    )
    return account


@transaction.atomic
def request_payout(*, campaign, user):
    """Ask for the payout of a funded initiative: once, for the amount of the breakdown."""
    campaign = lock_campaign(campaign.pk)
    if not is_initiator(user, campaign):
        raise NotAllowed(_("Only the initiators can ask for the payout."))
    if campaign.status != Campaign.Status.SUCCEEDED:
        raise TransitionNotAllowed(_("A payout can be asked for once the initiative is funded."))
    if not PayoutAccount.objects.filter(campaign=campaign).exists():
        raise ServiceError(_("Enter the bank account first."))
    if Payout.objects.filter(campaign=campaign).exists():
        raise ServiceError(
            _("This initiative has been paid out already, or its payout is on its way.")
        )
    breakdown = payout_breakdown(campaign)
    if breakdown.total_cents <= 0:
        raise ServiceError(_("There is no money to pay out."))
    try:
        with transaction.atomic():
            payout = Payout.objects.create(
                campaign=campaign,
                amount_cents=breakdown.total_cents,
                currency=campaign.currency,
                lines=breakdown.as_json(),
                requested_by=user,
            )
    except IntegrityError:
        raise ServiceError(_("This initiative has been paid out already.")) from None
    audit.record(
        payout,
        Action.PAYOUT_REQUESTED,
        actor=user,
        to_state=payout.status,
        amount_cents=payout.amount_cents,
        lines=payout.lines,
    )
    return payout


SAME_APPROVER = _(
    "You approved this payout already. A second, different staff member must approve it too."
)


@transaction.atomic
def approve_payout(*, payout, user):
    """Staff approve; above ``PAYOUT_SECOND_APPROVAL_CENTS`` a second, different one too."""
    if not can_approve_payouts(user):
        raise NotAllowed(_("Only staff can approve payouts."))
    lock_campaign(payout.campaign_id)
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status != Payout.Status.REQUESTED:
        raise TransitionNotAllowed(_("This payout is not waiting for approval."))
    if payout.needs_second_approval:
        if payout.first_approver_id is None:
            payout.first_approver = user
            payout.save(update_fields=["first_approver"])
            audit.record(
                payout, Action.PAYOUT_FIRST_APPROVAL, actor=user, amount_cents=payout.amount_cents
            )
            return payout
        if payout.first_approver_id == user.pk:
            raise ServiceError(SAME_APPROVER)
        payout.second_approver = user
    else:
        payout.first_approver = user
    payout.approved_at = timezone.now()
    fire(
        payout,
        "approve",
        action=Action.PAYOUT_APPROVED,
        actor=user,
        update_fields=["first_approver", "second_approver", "approved_at"],
        amount_cents=payout.amount_cents,
    )
    return payout


def _sepa_file(payouts, execution_date):
    config = {
        "name": settings.PAYOUT_DEBTOR_NAME,
        "IBAN": compact_iban(settings.PAYOUT_DEBTOR_IBAN),
        "batch": True,
        "currency": "EUR",
    }
    if settings.PAYOUT_DEBTOR_BIC:
        config["BIC"] = settings.PAYOUT_DEBTOR_BIC
    sepa = SepaTransfer(config, schema=SEPA_SCHEMA)
    for payout in payouts:
        account = payout.campaign.payout_account
        sepa.add_payment(
            {
                "name": account.holder_name,
                "IBAN": compact_iban(account.iban),
                "amount": payout.amount_cents,
                "execution_date": execution_date,
                "description": f"Wijkkapitaal {payout.campaign.page.title}"[:140],
                "endtoend_id": f"WK-PAYOUT-{payout.pk}",
            }
        )
    return sepa.msg_id, sepa.export(validate=True).decode()


@transaction.atomic
def create_batch(*, user=None, actor_label="", execution_date=None):
    """Put every approved payout into one SEPA credit-transfer file, marked sent.

    Raises :class:`NothingToBatch` when no approved payout is left (also when a batch run
    at the same moment took them all).
    """
    if user is not None and not can_approve_payouts(user):
        raise NotAllowed(_("Only staff can send payouts to the bank."))
    campaign_ids = sorted(
        Payout.objects.filter(status=Payout.Status.APPROVED).values_list("campaign_id", flat=True)
    )
    for campaign_id in campaign_ids:
        lock_campaign(campaign_id)
    payouts = list(
        Payout.objects.select_for_update(of=("self",))
        .filter(campaign_id__in=campaign_ids, status=Payout.Status.APPROVED)
        .select_related("campaign__page", "campaign__payout_account")
        .order_by("campaign_id")
    )
    if not payouts:
        raise NothingToBatch()
    message_id, xml = _sepa_file(payouts, execution_date or timezone.localdate())
    control_sum = sum(payout.amount_cents for payout in payouts)
    batch = PayoutBatch.objects.create(
        message_id=message_id,
        xml=xml,
        control_sum_cents=control_sum,
        payment_count=len(payouts),
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit.record(
        batch,
        Action.PAYOUT_BATCH_CREATED,
        actor=user,
        actor_label=actor_label,
        to_state=batch.status,
        amount_cents=control_sum,
        payouts=[payout.pk for payout in payouts],
    )
    for payout in payouts:
        payout.batch = batch
        fire(
            payout,
            "add_to_batch",
            action=Action.PAYOUT_BATCHED,
            actor=user,
            actor_label=actor_label,
            update_fields=["batch"],
            amount_cents=payout.amount_cents,
            batch=batch.message_id,
            iban=payout.campaign.payout_account.masked_iban,
        )
    return batch


@transaction.atomic
def mark_batch_paid(*, batch, user):
    """The bank confirmed the transfers: the batch and each of its payouts are paid."""
    if not can_approve_payouts(user):
        raise NotAllowed(_("Only staff can mark payouts paid."))
    campaign_ids = sorted(
        Payout.objects.filter(batch_id=batch.pk).values_list("campaign_id", flat=True)
    )
    for campaign_id in campaign_ids:
        lock_campaign(campaign_id)
    lock_programmes(*campaign_ids)  # their matches are paid out below
    payouts = list(
        Payout.objects.select_for_update().filter(batch_id=batch.pk).order_by("campaign_id")
    )
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    now = timezone.now()
    batch.paid_at, batch.marked_paid_by = now, user
    fire(
        batch,
        "confirm_paid",
        action=Action.PAYOUT_BATCH_PAID,
        actor=user,
        update_fields=["paid_at", "marked_paid_by"],
        amount_cents=batch.control_sum_cents,
        message=_("This batch has been marked paid already."),
    )
    for payout in payouts:
        payout.paid_at = now
        fire(
            payout,
            "pay",
            action=Action.PAYOUT_PAID,
            actor=user,
            update_fields=["paid_at"],
            amount_cents=payout.amount_cents,
        )
        # The funds' committed matches went out in this transfer.
        pay_out_campaign_matches(payout.campaign, actor=user)
        announce(PayoutPaid(payout_id=payout.pk))
    return batch
