"""Connect Wagtail's moderation workflow to campaign transitions, and a verified address
to the donations made with it as a guest."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django_fsm import can_proceed
from wagtail.models import TaskState
from wagtail.signals import (
    page_published,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)
from wagtail.users.models import UserProfile

from campaigns import services
from campaigns.models import Campaign, InitiativePage
from campaigns.services.guest_pledges import attach_guest_pledges
from campaigns.services.initiatives import refresh_listing_keys


def _campaign_for(obj):
    return Campaign.objects.filter(page_id=obj.pk).first()


@receiver(page_published, sender=InitiativePage)
def initiative_published(sender, instance, revision=None, **kwargs):
    campaign = _campaign_for(instance)
    if campaign is not None and can_proceed(campaign.approve):
        user = getattr(revision, "user", None) if revision else None
        services.mark_live(campaign=campaign, user=kwargs.get("user") or user)
    if campaign is not None:
        refresh_listing_keys(campaign_id=campaign.pk)


WAGTAIL_NOTIFICATIONS = (
    "submitted_notifications",
    "approved_notifications",
    "rejected_notifications",
    "updated_comments_notifications",
)


@receiver(workflow_submitted)
def keep_admin_mail_from_residents(sender, instance, user=None, **kwargs):
    """Residents hear about moderation from the platform's own messages, never from Wagtail.

    Wagtail mails the submitter of a workflow when it is approved or rejected, with a link
    into the admin. It sends those only to users whose Wagtail ``UserProfile`` allows that
    kind of notification (the switches of Wagtail's own account settings), so a submitter
    who cannot open the admin gets the switches turned off here, as they submit and before
    any decision. Moderators keep whatever they chose.
    """
    requester = instance.requested_by
    if requester is None or requester.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(requester)
    for name in WAGTAIL_NOTIFICATIONS:
        setattr(profile, name, False)
    profile.save(update_fields=WAGTAIL_NOTIFICATIONS)


@receiver(workflow_rejected)
def initiative_rejected(sender, instance, user=None, **kwargs):
    campaign = _campaign_for(instance.content_object)
    if campaign is None:
        return
    last_task = (
        TaskState.objects.filter(workflow_state=instance, status=TaskState.STATUS_REJECTED)
        .order_by("-finished_at")
        .first()
    )
    services.request_changes(
        campaign=campaign, user=user, comment=last_task.get_comment() if last_task else ""
    )


@receiver(workflow_cancelled)
def initiative_workflow_cancelled(sender, instance, user=None, **kwargs):
    campaign = _campaign_for(instance.content_object)
    if campaign is not None:
        services.withdraw_from_review(campaign=campaign, user=user)


@receiver(email_confirmed)
def guest_donations_follow_the_verified_address(sender, request=None, email_address=None, **kw):
    """Donations made as a guest with an address show in "My donations" once its owner
    verified that address in their account; an unverified address claims nothing."""
    if email_address is not None and email_address.verified and email_address.user_id:
        attach_guest_pledges(user=email_address.user, email=email_address.email)
