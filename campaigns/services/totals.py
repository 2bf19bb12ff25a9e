"""Keep ``Campaign.raised_cents`` and ``supporter_count`` equal to the ledger.

A supporter is a person or organisation that donated, helped with a task or had an offer
accepted, counted once however many ways they support. Services call :func:`add_support`
and :func:`remove_support` inside the transaction that changes a pledge, sign-up or
offer, with the campaign row locked, so the cached totals always move with the ledger.
:func:`ledger_totals` recomputes both from scratch, for reconciliation and for tests.
"""

from django.db import transaction

from campaigns.caching import (
    forget_initiative_page_after_commit,
    forget_initiative_page_on_commit,
)
from campaigns.events import CampaignMilestoneReached
from campaigns.models import Pledge
from campaigns.models.ledger import pledge_supporter_key, pledge_supporter_key_sql
from campaigns.services.locks import lock_campaign
from core.events import announce


def _counted_pledges(campaign):
    return Pledge.objects.filter(campaign=campaign, status__in=Pledge.COUNTED_STATUSES)


class PledgeSupport:
    """The built-in source of support: donors of counted (paid) pledges."""

    kind = "pledge"

    def keys(self, campaigns):
        return support_keys(
            Pledge.objects.filter(campaign__in=campaigns, status__in=Pledge.COUNTED_STATUSES),
            pledge_supporter_key_sql(),
        )

    def has_key(self, campaign, key, exclude):
        kind, _, value = key.partition(":")
        if kind == "org":
            return False
        pledges = _counted_pledges(campaign)
        if exclude[0] == self.kind:
            pledges = pledges.exclude(pk=exclude[1])
        if kind == "email":
            return pledges.filter(
                donor__isnull=True, supporter_ref="", guest_email__iexact=value
            ).exists()
        if kind == "ref":
            return pledges.filter(donor__isnull=True, supporter_ref=value).exists()
        return pledges.filter(donor_id=int(value)).exists()


_SOURCES = [PledgeSupport()]


def support_keys(queryset, key):
    """The flat list of supporter keys a source's ``keys`` returns: ``key`` (an SQL
    expression) for each row of ``queryset``, unordered, ready to be combined with the
    other sources' in one ``UNION``."""
    return queryset.order_by().annotate(support_key=key).values_list("support_key", flat=True)


def register_support_source(source):
    """Count another kind of support (help, offers ...) toward ``supporter_count``.

    Higher apps register their sources at start-up (``AppConfig.ready``), so that this
    module never imports them. A source has a ``kind`` (the first item of the
    ``(kind, pk)`` pairs passed to :func:`add_support` and :func:`remove_support`) and
    answers two questions about active support only:

    - ``keys(campaigns)``: a queryset (:func:`support_keys`) of the supporter keys
      (``user:<id>``, ``org:<id>``, ``email:<address>``, ``ref:<token>`` for a donor whose
      data was erased) behind the support of any of these campaigns (a queryset or a
      list), one per item;
    - ``has_key(campaign, key, exclude)``: does ``key`` support the campaign through this
      source, leaving out the item ``exclude`` (a ``(kind, pk)`` pair)?
    """
    _SOURCES[:] = [existing for existing in _SOURCES if existing.kind != source.kind]
    _SOURCES.append(source)


def support_sources():
    return tuple(_SOURCES)


def _has_other_support(campaign, key, exclude):
    """Does ``key`` support the campaign in a way other than ``exclude`` (kind, pk)?"""
    return any(source.has_key(campaign, key, exclude) for source in _SOURCES)


def forget_cached_page(campaign):
    forget_initiative_page_on_commit(campaign.page_id)


def _save_counts(campaign):
    """Save the locked campaign's totals, with its fragments made stale in the same UPDATE."""
    campaign.cache_version += 1
    campaign.save(update_fields=["raised_cents", "supporter_count", "cache_version"])
    forget_initiative_page_after_commit(campaign.page_id)


def add_support(campaign, key, source, *, raised_cents=0):
    """Count a new source of support (``source`` is (kind, pk)); the campaign is locked."""
    campaign.raised_cents += raised_cents
    if not _has_other_support(campaign, key, source):
        campaign.supporter_count += 1
    _save_counts(campaign)


def remove_support(campaign, key, source, *, raised_cents=0):
    """Uncount a source of support that no longer counts; the campaign is locked."""
    campaign.raised_cents -= raised_cents
    if not _has_other_support(campaign, key, source):
        campaign.supporter_count -= 1
    _save_counts(campaign)


MILESTONES = (50, 100)


def count_pledge(campaign, pledge):
    """Count a newly paid pledge, and announce the 50% and 100% milestones it crosses."""
    before = campaign.percentage
    add_support(
        campaign, pledge.supporter_key, ("pledge", pledge.pk), raised_cents=pledge.amount_cents
    )
    for milestone in MILESTONES:
        if before < milestone <= campaign.percentage:
            announce(CampaignMilestoneReached(campaign_id=campaign.pk, percent=milestone))


def uncount_pledge(campaign, pledge):
    remove_support(
        campaign, pledge.supporter_key, ("pledge", pledge.pk), raised_cents=pledge.amount_cents
    )


def distinct_supporters(campaigns):
    """People and organisations supporting any of these campaigns (a queryset or a list),
    each counted once: one query, a ``UNION`` of every source's keys counted in the
    database, so a city's or the platform's count never loads its supporters."""
    first, *others = (source.keys(campaigns) for source in _SOURCES)
    return first.union(*others).count()


def ledger_totals(campaign):
    """Raised cents and distinct supporters, computed from the ledger itself."""
    raised = 0
    supporters = set()
    for amount, donor_id, email, ref in _counted_pledges(campaign).values_list(
        "amount_cents", "donor_id", "guest_email", "supporter_ref"
    ):
        raised += amount
        supporters.add(pledge_supporter_key(donor_id, email, ref))
    for source in _SOURCES:
        if not isinstance(source, PledgeSupport):
            supporters.update(source.keys([campaign]))
    return raised, len(supporters)


@transaction.atomic
def recount_totals(*, campaign):
    """Set the cached totals to what the ledger says, under the campaign lock."""
    campaign = lock_campaign(campaign.pk)
    campaign.raised_cents, campaign.supporter_count = ledger_totals(campaign)
    _save_counts(campaign)
    return campaign
