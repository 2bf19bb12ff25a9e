"""Row locks in one fixed order (campaign, then pledge) so that services never deadlock."""

from campaigns.models import Campaign, Pledge

# What services read of the page: the moderated terms and the title (others load on use).
PAGE_FIELDS = ("goal_cents", "deadline", "funding_model", "title", "draft_title", "url_path")


def lock_campaign(campaign_id):
    """Lock the campaign row (not its page, which editors may be saving) and load the page.

    Only the page fields the services need are selected: the page has some fifty
    columns, and this runs for every pledge, sign-up and webhook event.
    """
    campaign_fields = [field.attname for field in Campaign._meta.concrete_fields]
    return (
        Campaign.objects.select_related("page")
        .only(*campaign_fields, *(f"page__{name}" for name in PAGE_FIELDS))
        .select_for_update(of=("self",))
        .get(pk=campaign_id)
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
