"""Messages to the initiators about their payout and their account of spending."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Payout, SpendingProof
from campaigns.services.payouts import stored_breakdown
from cms.money import format_money
from notifications.base import Message, absolute, register
from notifications.recipients import initiator_recipients, page_url


class PayoutMessage(Message):
    @classmethod
    def load(cls, object_id):
        return Payout.objects.select_related("campaign__page", "campaign__payout_account").get(
            pk=object_id
        )

    def recipients(self):
        return initiator_recipients(self.obj.campaign)

    def context(self, recipient):
        payout = self.obj
        page = payout.campaign.page
        return {
            "payout": payout,
            "page": page,
            "page_url": page_url(page),
            "amount": format_money(payout.amount_cents, payout.currency),
            "lines": [
                (line.label, format_money(line.amount_cents, payout.currency))
                for line in stored_breakdown(payout).lines
            ],
            "masked_iban": payout.masked_iban,
            "spending_url": absolute(reverse("campaigns:spending", args=[page.pk])),
        }


@register
class PayoutPaid(PayoutMessage):
    key = "payout_paid"
    template = "payout_paid"

    def subject(self, recipient):
        return _("The money for %(title)s is on its way") % {"title": self.obj.campaign.page.title}


@register
class SpendingProofReminder(PayoutMessage):
    """Once, when no account of spending was sent some time after the payout."""

    key = "spending_proof_reminder"
    template = "spending_proof_reminder"
    category = "reminders"

    def is_current(self):
        return not SpendingProof.objects.filter(
            campaign_id=self.obj.campaign_id,
            status__in=[SpendingProof.Status.SUBMITTED, SpendingProof.Status.APPROVED],
        ).exists()

    def subject(self, recipient):
        return _("Show what %(title)s spent its money on") % {"title": self.obj.campaign.page.title}
