"""A guest who later has an account sees the donations made with their address.

Only an address the person verified counts (allauth's ``email_confirmed``, see
``campaigns.signals``): otherwise anyone could sign up with someone else's address and
read, or act on, that person's donations.
"""

from django.db import transaction

from campaigns import audit
from campaigns.audit import Action
from campaigns.models import Pledge
from campaigns.services.locks import lock_campaign
from campaigns.services.totals import recount_totals
from campaigns.services.updates import set_following


def attach_guest_pledges(*, user, email):
    """Make ``user`` the donor of every guest pledge made with ``email`` (any case).

    One transaction per campaign, in ascending campaign order, with the campaign locked
    before its pledges: the donor becomes ``user:<id>`` instead of ``email:<address>``, so
    the count of distinct supporters may drop (a guest who also helped with an account) and
    is recounted under the same lock. A pledge whose address the retention job forgot, or
    that was anonymised, no longer carries the address and is never attached. A guest who
    ticked "keep me informed" follows the initiative from now on, which is how a person with
    an account gets its news. Running it again attaches nothing and writes nothing.

    Returns the number of pledges attached.
    """
    email = (email or "").strip()
    if not email or not getattr(user, "pk", None):
        return 0
    campaign_ids = _guest_pledges(email).values_list("campaign_id", flat=True).distinct().order_by()
    return sum(_attach_in(campaign_id, user, email) for campaign_id in sorted(set(campaign_ids)))


def _guest_pledges(email):
    return Pledge.objects.filter(
        donor__isnull=True, anonymised_at__isnull=True, supporter_ref="", guest_email__iexact=email
    )


@transaction.atomic
def _attach_in(campaign_id, user, email):
    campaign = lock_campaign(campaign_id)
    pledges = list(
        _guest_pledges(email).filter(campaign=campaign).order_by("pk").select_for_update()
    )
    if not pledges:
        return 0
    for pledge in pledges:
        audit.record(
            pledge,
            Action.PLEDGE_ATTACHED_TO_ACCOUNT,
            actor=user,
            amount_cents=pledge.amount_cents,
            to_state=pledge.status,
            user_id=user.pk,
        )
        pledge.donor = user
        pledge.guest_email = ""
    Pledge.objects.bulk_update(pledges, ["donor", "guest_email"])
    if any(pledge.wants_updates for pledge in pledges):
        set_following(campaign=campaign, user=user, follow=True)
    recount_totals(campaign=campaign)
    return len(pledges)
