"""Who receives a message: donors, initiators, supporters, in their own language."""

from campaigns.models import Pledge
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


def initiator_recipients(campaign):
    return [recipient_for_user(user) for user in campaign.initiators.all()]


def supporter_recipients(campaign, *, with_followers=False, updates=False):
    """Donors, helpers, people with an accepted offer (and followers), each address once.

    For ``updates`` (news and milestones, not receipts or refunds) a guest donor is a
    recipient only if they ticked the box for it when donating (``Pledge.wants_updates``);
    people with an account choose in their e-mail preferences.
    """
    recipients = {}

    def add(recipient):
        if recipient.email:
            recipients.setdefault(recipient.email, recipient)

    pledges = Pledge.objects.filter(
        campaign=campaign, status__in=[*Pledge.COUNTED_STATUSES, Pledge.Status.REFUNDED]
    ).select_related("donor")
    if updates:
        pledges = pledges.exclude(donor__isnull=True, wants_updates=False)
    for pledge in pledges:
        add(donor_recipient(pledge))
    for signup in SignUp.objects.filter(
        task__initiative_id=campaign.page_id, status__in=SignUp.ACTIVE_STATUSES
    ).select_related("user"):
        add(recipient_for_user(signup.user))
    for offer in Offer.objects.filter(
        task__initiative_id=campaign.page_id, status=Offer.Status.ACCEPTED
    ).select_related("user"):
        add(recipient_for_user(offer.user))
    if with_followers:
        for follow in campaign.follows.select_related("user"):
            add(recipient_for_user(follow.user))
    return list(recipients.values())
