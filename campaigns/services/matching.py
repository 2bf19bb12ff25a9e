"""Matches: a programme's money beside each paid pledge, reserved, committed or released.

Lock order: the campaign, then its programmes in ascending id order, then the pledge
(``campaigns.services.locks.lock_pledge`` takes all three). Every function here runs inside
the caller's transaction with those locks held, so:

- a programme's ``reserved_cents + committed_cents + paid_out_cents`` moves only under its
  row lock, and never passes its budget (a check constraint refuses it too);
- an application's ``matched_cents`` (against the cap per initiative) moves only under the
  campaign lock.

Reserving: when a pledge of a live campaign is paid, each approved programme, in the
programmes' defined order (``priority``, then id), reserves ratio × amount (rounded down
to the cent), cut to what is left of its cap for this initiative and of its budget. A
programme with a minimum number of distinct donors starts matching with the pledge that
reaches it; pledges paid before are not matched afterwards.

Releasing: a refunded pledge releases its reserved or committed match; a failed or
cancelled campaign releases all of them. Committing: a campaign that succeeds (also a
keep-what-you-raise campaign that missed its goal) commits what was matched.
"""

from collections import defaultdict

from django.db.models import F, Sum
from django.utils import timezone

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, FundingProgramme, Match, ProgrammeApplication
from campaigns.services.locks import lock_programmes
from campaigns.services.totals import PledgeSupport
from campaigns.state import fire


def distinct_donors(campaign):
    """Distinct people who gave to the campaign (paid pledges), each counted once."""
    return PledgeSupport().keys([campaign]).distinct().count()


def _audit_rows(matches, action, from_state, actor_label):
    return [
        AuditEntry(
            actor_label=actor_label,
            action=action,
            object_type=Match._meta.label_lower,
            object_id=str(match.pk),
            from_state=from_state,
            to_state=match.status,
            amount_cents=match.amount_cents,
            data={"programme": match.programme_id, "pledge": match.pledge_id},
        )
        for match in matches
    ]


def reserve_matches(pledge):
    """Reserve each approved programme's match of a pledge that has just been paid.

    The pledge comes from ``lock_pledge`` (its campaign, locked, carries the locked
    programmes). Returns the new matches; none when the campaign is not live.
    """
    campaign = pledge.campaign
    programmes = getattr(campaign, "locked_programmes", None)
    if programmes is None:
        programmes = lock_programmes(campaign.pk)
    if not programmes or campaign.status != Campaign.Status.LIVE:
        return []
    applications = {
        application.programme_id: application
        for application in ProgrammeApplication.objects.filter(
            campaign=campaign, status=ProgrammeApplication.Status.APPROVED
        )
    }
    now = timezone.now()
    donors = None
    matches, changed_programmes, changed_applications = [], [], []
    for programme in sorted(programmes, key=lambda p: (p.priority, p.pk)):
        application = applications.get(programme.pk)
        if application is None or not programme.is_active or programme.currency != pledge.currency:
            continue
        if application.matching_from is None:
            if programme.min_donors:
                donors = distinct_donors(campaign) if donors is None else donors
                if donors < programme.min_donors:
                    continue
            application.matching_from = now
            changed_applications.append(application)
        amount = min(
            programme.match_for(pledge.amount_cents),
            programme.cap_per_initiative_cents - application.matched_cents,
            programme.remaining_cents,
        )
        if amount <= 0:
            continue
        programme.reserved_cents += amount
        application.matched_cents += amount
        changed_programmes.append(programme)
        if application not in changed_applications:
            changed_applications.append(application)
        matches.append(
            Match(
                programme=programme,
                campaign=campaign,
                pledge=pledge,
                amount_cents=amount,
                currency=pledge.currency,
            )
        )
    if changed_programmes:
        FundingProgramme.objects.bulk_update(changed_programmes, ["reserved_cents"])
    if changed_applications:
        ProgrammeApplication.objects.bulk_update(
            changed_applications, ["matched_cents", "matching_from"]
        )
    if matches:
        Match.objects.bulk_create(matches)
        AuditEntry.objects.bulk_create(
            _audit_rows(matches, Action.MATCH_RESERVED, "", actor_label="stripe")
        )
    return matches


_COUNTER = {
    Match.Status.RESERVED: "reserved_cents",
    Match.Status.COMMITTED: "committed_cents",
    Match.Status.PAID_OUT: "paid_out_cents",
}


def _move(matches, transition, action, *, actor=None, actor_label="system"):
    """Fire one transition on locked matches and move the programmes' and applications'
    running totals with them. The caller holds the campaign and programme locks."""
    by_programme = defaultdict(lambda: defaultdict(int))
    released = defaultdict(int)
    for match in matches:
        from_state = match.status
        fire(
            match,
            transition,
            action=action,
            actor=actor,
            actor_label=actor_label,
            amount_cents=match.amount_cents,
            programme=match.programme_id,
            pledge=match.pledge_id,
        )
        by_programme[match.programme_id][_COUNTER[from_state]] -= match.amount_cents
        if match.status in _COUNTER:
            by_programme[match.programme_id][_COUNTER[match.status]] += match.amount_cents
        else:
            released[(match.programme_id, match.campaign_id)] += match.amount_cents
    for programme_id, deltas in by_programme.items():
        changes = {field: F(field) + delta for field, delta in deltas.items() if delta}
        if changes:
            FundingProgramme.objects.filter(pk=programme_id).update(**changes)
    for (programme_id, campaign_id), amount in released.items():
        ProgrammeApplication.objects.filter(
            programme_id=programme_id, campaign_id=campaign_id
        ).update(matched_cents=F("matched_cents") - amount)
    return matches


def _locked(matches):
    return list(matches.select_related("programme").select_for_update(of=("self",)).order_by("pk"))


def release_pledge_matches(pledge, *, actor=None, actor_label="stripe"):
    """A pledge went back to its donor: its reserved or committed matches are released."""
    matches = _locked(
        Match.objects.filter(
            pledge=pledge, status__in=[Match.Status.RESERVED, Match.Status.COMMITTED]
        )
    )
    return _move(matches, "release", Action.MATCH_RELEASED, actor=actor, actor_label=actor_label)


def release_campaign_matches(campaign, *, actor=None, actor_label="system"):
    """A failed or cancelled campaign: every reserved or committed match is released.

    The caller holds the campaign lock; the programmes are locked here, in id order,
    before the matches.
    """
    lock_programmes(campaign.pk)
    matches = _locked(
        Match.objects.filter(
            campaign=campaign, status__in=[Match.Status.RESERVED, Match.Status.COMMITTED]
        )
    )
    return _move(matches, "release", Action.MATCH_RELEASED, actor=actor, actor_label=actor_label)


def commit_campaign_matches(campaign, *, actor=None, actor_label="deadline"):
    """A campaign succeeded (or kept what it raised): its reservations become commitments."""
    lock_programmes(campaign.pk)
    matches = _locked(Match.objects.filter(campaign=campaign, status=Match.Status.RESERVED))
    return _move(matches, "commit", Action.MATCH_COMMITTED, actor=actor, actor_label=actor_label)


def pay_out_campaign_matches(campaign, *, actor=None, actor_label="payout"):
    """The campaign was paid out: its committed matches are paid out with it."""
    lock_programmes(campaign.pk)
    matches = _locked(Match.objects.filter(campaign=campaign, status=Match.Status.COMMITTED))
    return _move(matches, "pay_out", Action.MATCH_PAID_OUT, actor=actor, actor_label=actor_label)


def committed_match_cents(campaign):
    """The matched money a settled campaign receives on top of its donations."""
    total = Match.objects.filter(campaign=campaign, status=Match.Status.COMMITTED).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return total or 0


def goal_match_cents(campaign):
    """Matched money (reserved, committed or paid out) of programmes whose match counts
    toward the goal: what settlement adds to the donations to decide whether it was met."""
    total = Match.objects.filter(
        campaign=campaign,
        status__in=Match.ACTIVE_STATUSES,
        programme__counts_toward_goal=True,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return total or 0


def programme_ledger(programme):
    """A programme's reserved, committed and paid-out cents, recomputed from its matches
    (the cached totals must equal these; for reconciliation and tests)."""
    totals = dict.fromkeys(_COUNTER.values(), 0)
    for status, amount in (
        Match.objects.filter(programme=programme, status__in=Match.ACTIVE_STATUSES)
        .values_list("status")
        .annotate(total=Sum("amount_cents"))
    ):
        totals[_COUNTER[status]] = amount
    return totals
