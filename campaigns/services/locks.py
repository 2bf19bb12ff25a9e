"""Row locks in one fixed order (campaign, then pledge) so that services never deadlock."""

from campaigns.models import Campaign, Pledge


def lock_campaign(campaign_id):
    """Lock the campaign row (not its page, which editors may be saving) and load the page."""
    return (
        Campaign.objects.select_related("page").select_for_update(of=("self",)).get(pk=campaign_id)
    )


def lock_pledge(pledge_id, campaign_id=None):
    """Lock a pledge and its campaign, campaign first.

    A caller that has read the pledge already may pass its ``campaign_id``, which never
    changes, to save a query.
    """
    if campaign_id is None:
        campaign_id = Pledge.objects.values_list("campaign_id", flat=True).get(pk=pledge_id)
    campaign = lock_campaign(campaign_id)
    pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    pledge.campaign = campaign
    return pledge
