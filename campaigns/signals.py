"""Connect Wagtail's moderation workflow to campaign transitions."""

from django.dispatch import receiver
from django_fsm import can_proceed
from wagtail.models import TaskState
from wagtail.signals import page_published, workflow_cancelled, workflow_rejected

from campaigns import services
from campaigns.models import Campaign, InitiativePage


def _campaign_for(obj):
    return Campaign.objects.filter(page_id=obj.pk).first()


@receiver(page_published, sender=InitiativePage)
def initiative_published(sender, instance, revision=None, **kwargs):
    campaign = _campaign_for(instance)
    if campaign is not None and can_proceed(campaign.approve):
        user = getattr(revision, "user", None) if revision else None
        services.mark_live(campaign=campaign, user=kwargs.get("user") or user)


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
