"""What donors are told about matching: what a donation is worth now, and the split.

Read-only. The split (donations beside each programme's matched money) changes only in
the campaign's own transactions, which bump ``Campaign.cache_version``, so the page caches
it in a fragment keyed on that version. What a donation is worth now also depends on the
programme's remaining budget, which other campaigns spend: it is read on every request
(one query) and never cached in a fragment; the anonymous page cache keeps it for at most
``PAGE_CACHE_SECONDS``.
"""

from dataclasses import dataclass

from campaigns.models import FundingProgramme, ProgrammeApplication

EXAMPLE_DONATION_CENTS = 10_00


@dataclass
class Offer:
    programme: FundingProgramme
    left_cents: int
    example_cents: int
    example_match_cents: int
    donors_needed: int

    @property
    def has_run_out(self):
        return self.left_cents <= 0

    @property
    def example_total_cents(self):
        return self.example_cents + self.example_match_cents

    @property
    def ratio_cents(self):
        """Cents matched per euro donated (50 for €0.50 per €1)."""
        return self.programme.match_for(100)


def _approved(campaign):
    return (
        ProgrammeApplication.objects.filter(
            campaign=campaign,
            status=ProgrammeApplication.Status.APPROVED,
            programme__is_active=True,
        )
        .select_related("programme__organisation")
        .order_by("programme__priority", "programme_id")
    )


def match_offers(campaign, example_cents=EXAMPLE_DONATION_CENTS):
    """Per programme matching this campaign, in match order: what is left of its match
    for this initiative, and what a donation of ``example_cents`` becomes now."""
    offers = []
    for application in _approved(campaign):
        programme = application.programme
        if programme.currency != campaign.currency:
            continue
        left = max(
            0,
            min(
                programme.cap_per_initiative_cents - application.matched_cents,
                programme.remaining_cents,
            ),
        )
        waiting = application.matching_from is None and programme.min_donors > 0
        offers.append(
            Offer(
                programme=programme,
                left_cents=left,
                example_cents=example_cents,
                example_match_cents=min(left, programme.match_for(example_cents)),
                donors_needed=programme.min_donors if waiting else 0,
            )
        )
    return offers


def example_total_cents(offers, example_cents=EXAMPLE_DONATION_CENTS):
    return example_cents + sum(
        offer.example_match_cents for offer in offers if not offer.donors_needed
    )


def match_split(campaign):
    """The money behind the campaign: ``(programme, matched cents)`` per programme that
    has matched anything, in match order."""
    return [
        (application.programme, application.matched_cents)
        for application in _approved(campaign)
        if application.matched_cents > 0
    ]
