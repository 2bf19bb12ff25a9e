"""Cancelling a live initiative: its money goes back, its page says why.

Only a live campaign can be cancelled. A draft needs no cancelling (it is not public and
can simply be left), and one in review is withdrawn from review instead; a settled
campaign has already closed. The initiators and the moderators may cancel.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.audit import Action
from campaigns.events import CampaignCancelled
from campaigns.permissions import can_edit_initiative
from campaigns.services.errors import ServiceError
from campaigns.services.locks import lock_campaign
from campaigns.services.matching import release_campaign_matches
from campaigns.services.settlement import refund_paid_pledges
from campaigns.services.totals import forget_cached_page
from campaigns.state import fire
from core.events import announce

REFUND_REASON = "campaign_cancelled"


class CancelReasonMissing(ServiceError):
    default_message = _("Tell supporters why the initiative is cancelled.")


class NotAllowedToCancel(ServiceError):
    default_message = _("Only the initiators and moderators can cancel this initiative.")


@transaction.atomic
def cancel_campaign(*, campaign, user, reason):
    """Cancel a live campaign with a reason and refund every paid pledge.

    Locks the campaign, then its programmes (releasing their matches), then each paid
    pledge in id order. Each refund is the same as
    for a failed all-or-nothing campaign (one per pledge, idempotency key
    ``refund-<pledge id>``). Tasks, sign-ups and offers stay as they are; helpers,
    donors and followers hear of it through the ``campaign.cancelled`` announcement.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CancelReasonMissing()
    campaign = lock_campaign(campaign.pk)
    if not can_edit_initiative(user, campaign):
        raise NotAllowedToCancel()
    campaign.cancel_reason = reason
    fire(
        campaign,
        "cancel",
        action=Action.CAMPAIGN_CANCELLED,
        actor=user,
        update_fields=["cancel_reason", "closed_at"],
        message=_("Only a live initiative can be cancelled."),
        reason=reason,
        amount_cents=campaign.raised_cents,
    )
    release_campaign_matches(campaign, actor=user)
    forget_cached_page(campaign)
    announce(CampaignCancelled(campaign_id=campaign.pk))
    refund_paid_pledges(campaign, reason=REFUND_REASON, actor=user)
    return campaign
