"""The money side's part of a person's data: export, what blocks deletion, erasure.

Registered with ``accounts.personal_data`` in :meth:`CampaignsConfig.ready`.
"""

import uuid

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from accounts.personal_data import Blocker
from campaigns import audit
from campaigns.audit import Action
from campaigns.models import (
    AuditEntry,
    Campaign,
    DigestItem,
    Follow,
    ImpactReport,
    InitiativeUpdate,
    Pledge,
)
from campaigns.services.locks import lock_campaign
from campaigns.services.retention import events_of_pledges, prune_events
from campaigns.services.totals import forget_cached_page
from cms.models import PlatformSettings
from cms.money import format_money

# Statuses in which an initiative still needs its initiator: deleting the account of
# its only initiator waits until it is handed over or cancelled.
NEEDS_INITIATOR = (Campaign.Status.LIVE, Campaign.Status.IN_REVIEW)


def _when(value):
    return value.isoformat() if value else None


class CampaignsPart:
    key = "campaigns"
    label = _("Initiatives and donations")
    order = 20

    def export(self, user):
        pledges = Pledge.objects.filter(donor=user).select_related("campaign__page")
        return {
            "donations": [
                {
                    "initiative": pledge.campaign.page.title,
                    "amount": format_money(pledge.amount_cents, pledge.currency),
                    "status": pledge.status,
                    "public_name": pledge.public_name,
                    "anonymous": pledge.is_anonymous,
                    "message": pledge.message,
                    "created": _when(pledge.created_at),
                    "paid": _when(pledge.paid_at),
                }
                for pledge in pledges
            ],
            "initiatives": [
                {"initiative": campaign.page.title, "status": campaign.status}
                for campaign in Campaign.objects.filter(initiators=user).select_related("page")
            ],
            "updates_written": [
                {"title": update.title, "text": update.body, "posted": _when(update.created_at)}
                for update in InitiativeUpdate.objects.filter(author=user)
            ],
            "impact_reports_written": [
                {
                    "initiative": report.campaign.page.title,
                    "participants": report.participants,
                    "text": report.story,
                    "updated": _when(report.updated_at),
                }
                for report in ImpactReport.objects.filter(author=user).select_related(
                    "campaign__page"
                )
            ],
            "following": [
                {"initiative": follow.campaign.page.title, "since": _when(follow.created_at)}
                for follow in Follow.objects.filter(user=user).select_related("campaign__page")
            ],
            "activity": [
                {
                    "action": entry.action,
                    "object": f"{entry.object_type}#{entry.object_id}",
                    "when": _when(entry.created_at),
                }
                for entry in AuditEntry.objects.filter(actor=user)
            ],
        }

    def blockers(self, user):
        """Initiatives that would be left without anyone to run them."""
        site = Site.objects.filter(is_default_site=True).first()
        contact = PlatformSettings.for_site(site).contact_email if site else ""
        blockers = []
        for campaign in Campaign.objects.filter(
            initiators=user, status__in=NEEDS_INITIATOR
        ).select_related("page"):
            if campaign.initiators.exclude(pk=user.pk).exists():
                continue
            links = []
            if campaign.status == Campaign.Status.LIVE:
                cancel = reverse("campaigns:cancel", args=[campaign.page_id])
                links.append((cancel, _("Cancel this initiative")))
            if contact:
                links.append((f"mailto:{contact}", _("Ask us to hand it over")))
            blockers.append(
                Blocker(
                    _(
                        "You are the only initiator of “%(title)s”. Hand it over to "
                        "someone else or cancel it first."
                    )
                    % {"title": campaign.page.title},
                    tuple(links),
                )
            )
        return blockers

    @transaction.atomic
    def erase(self, user):
        """Anonymise the user's pledges, one campaign at a time in ascending id order."""
        campaign_ids = sorted(
            set(Pledge.objects.filter(donor=user).values_list("campaign_id", flat=True))
        )
        for campaign_id in campaign_ids:
            anonymise_pledges(campaign_id, user)
        initiated = Campaign.objects.filter(initiators=user)
        for campaign in initiated:
            forget_cached_page(campaign)
        initiated.update(cache_version=F("cache_version") + 1)


def anonymise_pledges(campaign_id, user):
    """Keep the user's pledges in the books without anything that points to them.

    The donor, name, message and address go; the amount, status and payments stay. All of
    the user's pledges here share one random ``supporter_ref``, so the campaign's count of
    distinct supporters is unchanged (``ledger_totals`` keys them by it). Stripe events
    about these pledges lose the payer's details now rather than after 90 days.
    """
    campaign = lock_campaign(campaign_id)
    pledges = list(Pledge.objects.select_for_update().filter(campaign=campaign, donor=user))
    now, ref = timezone.now(), uuid.uuid4().hex
    for pledge in pledges:
        pledge.donor = None
        pledge.guest_email = ""
        pledge.public_name = ""
        pledge.message = ""
        pledge.wants_updates = False
        pledge.supporter_ref = ref
        pledge.anonymised_at = now
        audit.record(pledge, Action.PLEDGE_ANONYMISED, amount_cents=pledge.amount_cents)
    Pledge.objects.bulk_update(
        pledges,
        [
            "donor",
            "guest_email",
            "public_name",
            "message",
            "wants_updates",
            "supporter_ref",
            "anonymised_at",
        ],
    )
    for pledge in pledges:
        DigestItem.objects.filter(kind=DigestItem.Kind.DONATION, object_id=pledge.pk).update(
            summary=format_money(pledge.amount_cents, pledge.currency)
        )
    prune_events(events_of_pledges(pledges), now)
    campaign.cache_version += 1
    campaign.save(update_fields=["cache_version"])
    forget_cached_page(campaign)
