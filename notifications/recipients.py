"""Who receives a message: donors, initiators, supporters, in their own language.

The audiences of messages sent to many people are named parts
(:class:`notifications.audience.AudiencePart`), so that they can be sent in chunks.
"""

from campaigns.models import Follow, Pledge
from notifications.audience import AudiencePart, audience_recipients
from notifications.base import Recipient, absolute, recipient_for_user
from tasks.models import Offer, SignUp


def page_url(page):
    return absolute(page.url or "/") if page is not None else absolute("/")


def donor_recipient(pledge):
    if pledge.donor_id:
        return recipient_for_user(pledge.donor)
    return Recipient(
        email=pledge.guest_email.lower(), language=pledge.language, name=pledge.public_name
    )


def user_recipient(row):
    """The recipient of a row that belongs to a user (a sign-up, an offer, a follow)."""
    return recipient_for_user(row.user)


def initiator_recipients(campaign):
    return [recipient_for_user(user) for user in campaign.initiators.all()]


def initiator_audience(campaign):
    return {"initiators": AudiencePart(campaign.initiators.all(), recipient_for_user)}


def supporter_audience(campaign, *, with_followers=False, updates=False):
    """Donors, helpers, people with an accepted offer (and followers).

    For ``updates`` (news and milestones, not receipts or refunds) a guest donor is a
    recipient only if they ticked the box for it when donating (``Pledge.wants_updates``);
    people with an account choose in their e-mail preferences.
    """
    pledges = Pledge.objects.filter(
        campaign=campaign, status__in=[*Pledge.COUNTED_STATUSES, Pledge.Status.REFUNDED]
    )
    if updates:
        pledges = pledges.exclude(donor__isnull=True, wants_updates=False)
    audience = {
        "donors": AudiencePart(pledges, donor_recipient, ("donor",)),
        "helpers": AudiencePart(
            SignUp.objects.filter(
                task__initiative_id=campaign.page_id, status__in=SignUp.ACTIVE_STATUSES
            ),
            user_recipient,
            ("user",),
        ),
        "offerers": AudiencePart(
            Offer.objects.filter(
                task__initiative_id=campaign.page_id, status=Offer.Status.ACCEPTED
            ),
            user_recipient,
            ("user",),
        ),
    }
    if with_followers:
        audience["followers"] = AudiencePart(
            Follow.objects.filter(campaign=campaign), user_recipient, ("user",)
        )
    return audience


def supporter_recipients(campaign, *, with_followers=False, updates=False):
    """Everyone in :func:`supporter_audience`, each address once."""
    return audience_recipients(
        supporter_audience(campaign, with_followers=with_followers, updates=updates)
    )
