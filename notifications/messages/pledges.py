"""Messages about a donation: receipt, failed payment, refund."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Pledge
from cms.money import format_money
from notifications.base import Message, absolute, register
from notifications.recipients import donor_recipient, page_url


class PledgeMessage(Message):
    @classmethod
    def load(cls, object_id):
        return Pledge.objects.select_related("campaign__page", "donor").get(pk=object_id)

    def recipients(self):
        return [donor_recipient(self.obj)]

    def context(self, recipient):
        pledge = self.obj
        page = pledge.campaign.page
        return {
            "pledge": pledge,
            "page": page,
            "amount": format_money(pledge.amount_cents, pledge.currency),
            "page_url": page_url(page),
        }


@register
class DonationReceipt(PledgeMessage):
    key = "donation_receipt"
    template = "donation_receipt"

    def subject(self, recipient):
        return _("Thank you for your donation to %(title)s") % {
            "title": self.obj.campaign.page.title
        }


@register
class PaymentFailed(PledgeMessage):
    key = "payment_failed"
    template = "payment_failed"

    def subject(self, recipient):
        return _("Your donation to %(title)s did not go through") % {
            "title": self.obj.campaign.page.title
        }

    def is_current(self):
        """Only while the pledge is still failed or expired: not if it got paid since."""
        return Pledge.objects.filter(
            pk=self.obj.pk, status__in=[Pledge.Status.FAILED, Pledge.Status.EXPIRED]
        ).exists()

    def context(self, recipient):
        context = super().context(recipient)
        context["retry_url"] = absolute(reverse("payments:return", args=[self.obj.reference]))
        return context


@register
class RefundCompleted(PledgeMessage):
    key = "refund_completed"
    template = "refund_completed"

    def subject(self, recipient):
        return _("Your donation to %(title)s has been refunded") % {
            "title": self.obj.campaign.page.title
        }
