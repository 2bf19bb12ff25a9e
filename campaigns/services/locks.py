"""Row locks in one fixed order, so that services never deadlock.

Lock order
----------
Every service that changes running state takes its row locks at its start, before its
first write, and always in this order:

1. the campaign (:func:`lock_campaign`; never its Wagtail page, which editors save);
2. then, on the money side, the funding programmes that match the campaign, in ascending
   id order (:func:`lock_programmes`), then the pledge (:func:`lock_pledge` takes all
   three), its refund and its matches;
3. or, on the time-and-kind side, the task (``tasks.services.lock_task``), then its
   sign-ups or offers.

A service that touches several campaigns (releasing a person's support before their
account is deleted) visits them in ascending initiative order; a standing offer belongs
to no campaign, so only the offer is locked. The campaign lock is what
serialises the cached totals (``raised_cents``, ``supporter_count``) with the ledger:
whoever counts or un-counts support holds it. Reads that decide a write (is the task
full? was this pledge already paid?) happen after the locks, never before.
"""

from campaigns.models import Campaign, FundingProgramme, Pledge, ProgrammeApplication

# What services read of the page: the moderated terms and the title (others load on use).
PAGE_FIELDS = (
    "goal_cents",
    "deadline",
    "funding_model",
    "title",
    "draft_title",
    "url_path",
    "path",
    "category",
)


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


def lock_programmes(*campaign_ids):
    """Lock the programmes with an approved application of the campaigns, in id order.

    The caller holds the campaigns' locks. A programme's running totals (reserved, committed,
    paid out) change only under its lock, and its lock comes after the campaign's and
    before any pledge's, so two campaigns matched by one programme wait for each other only
    on the programme row. One indexed query, also for a campaign that no programme matches.
    """
    approved = ProgrammeApplication.objects.filter(
        campaign_id__in=campaign_ids, status=ProgrammeApplication.Status.APPROVED
    ).values("programme_id")
    return list(FundingProgramme.objects.filter(pk__in=approved).order_by("pk").select_for_update())


def lock_pledge(pledge_id, campaign_id=None):
    """Lock a pledge with its campaign and the campaign's programmes, in that order.

    The locked programmes are on ``pledge.campaign.locked_programmes`` for the matching
    services (``campaigns.services.matching``).

    A caller that has read the pledge already may pass its ``campaign_id``, which never
    changes, to save a query.
    """
    if campaign_id is None:
        campaign_id = Pledge.objects.values_list("campaign_id", flat=True).get(pk=pledge_id)
    campaign = lock_campaign(campaign_id)
    campaign.locked_programmes = lock_programmes(campaign_id)
    pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
    pledge.campaign = campaign
    return pledge
