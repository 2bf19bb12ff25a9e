"""The Django side of the ``match_reservation`` benchmark (run by ``bench.django_jobs``).

Paid checkout events are stored as the webhook stores them and then processed one by one
with ``campaigns.payments.webhooks.process_event``, the function the payments worker runs,
in one process on one connection, alternating between two hot campaigns of the demo:

* plain: ``repair-cafe-goverwelle``, which no programme matches (the bench detaches it
  from the automatic Gouds Wijkfonds in its scratch database), the baseline;
* matched: ``speeltuin-de-wip``, matched by both demo programmes, whose budgets and caps
  the bench raises (through ``save_programme``) so that every event reserves two matches.

The follow-up jobs each payment enqueues go to a Redis broker that no worker reads, as in
``webhook_process``, so both sides measure the payment's own transaction.
"""

import time

PLAIN_SLUG = "repair-cafe-goverwelle"
MATCHED_SLUG = "speeltuin-de-wip"
UNLIMITED_CENTS = 10**12


def _store(events):
    from campaigns.models import WebhookEvent

    rows = WebhookEvent.objects.bulk_create(
        [
            WebhookEvent(
                stripe_id=event["id"],
                type=event["type"],
                payload=event,
                livemode=bool(event.get("livemode")),
            )
            for event in events
        ],
        batch_size=500,
    )
    return [row.pk for row in rows]


def _prepare(count, amount_cents):
    from django.contrib.auth import get_user_model

    from bench.pledge_data import analyze, pending_pledges
    from campaigns.models import Campaign, FundingProgramme, ProgrammeApplication, WebhookEvent
    from campaigns.services.programmes import save_programme

    plain = Campaign.objects.get(page__slug=PLAIN_SLUG)
    matched = Campaign.objects.get(page__slug=MATCHED_SLUG)
    ProgrammeApplication.objects.filter(campaign=plain, matched_cents=0).delete()
    if ProgrammeApplication.objects.filter(campaign=plain).exists():
        raise RuntimeError(f"{PLAIN_SLUG} is matched already: the baseline needs no programme")
    staff = get_user_model().objects.filter(is_superuser=True).first() or (
        get_user_model().objects.get(email="moderator@wijkkapitaal.nl")
    )
    programmes = list(
        FundingProgramme.objects.filter(
            applications__campaign=matched,
            applications__status=ProgrammeApplication.Status.APPROVED,
        )
    )
    if len(programmes) != 2:
        raise RuntimeError(f"{MATCHED_SLUG} should be matched by two programmes: {programmes}")
    for programme in programmes:
        programme.budget_cents = UNLIMITED_CENTS
        programme.cap_per_initiative_cents = UNLIMITED_CENTS
        save_programme(programme=programme, user=staff)
    plain_ids = _store(pending_pledges(plain, count, amount_cents, "plain"))
    matched_ids = _store(pending_pledges(matched, count, amount_cents, "matched"))
    analyze(WebhookEvent)
    return plain, matched, programmes, plain_ids, matched_ids


def _process(ids):
    from campaigns.payments.webhooks import process_event

    started = time.perf_counter()
    for event_id in ids:
        process_event(event_id)
    return time.perf_counter() - started


def match_reservation(count, amount_cents, rounds):
    """``count`` events per campaign, processed in ``rounds`` alternating slices."""
    from collections import Counter

    from campaigns.models import Campaign, FundingProgramme, Match, WebhookEvent
    from campaigns.services.matching import programme_ledger
    from campaigns.services.totals import ledger_totals

    plain, matched, programmes, plain_ids, matched_ids = _prepare(count, amount_cents)
    before = {"plain": plain.raised_cents, "matched": matched.raised_cents}
    matches_before = Match.objects.filter(campaign=matched).count()
    seconds = {"plain": 0.0, "matched": 0.0}
    size = -(-count // rounds)
    _process(plain_ids[:5] + matched_ids[:5])  # warm both paths (counted in the checks)
    for start in range(5, count, size):
        seconds["plain"] += _process(plain_ids[start : start + size])
        seconds["matched"] += _process(matched_ids[start : start + size])
    timed = count - 5
    result = {
        "events": timed,
        "plain_rate": timed / seconds["plain"],
        "matched_rate": timed / seconds["matched"],
        "outcomes": dict(
            Counter(
                WebhookEvent.objects.filter(pk__in=plain_ids + matched_ids).values_list(
                    "outcome", flat=True
                )
            )
        ),
    }
    checks = {}
    for name, campaign in (("plain", plain), ("matched", matched)):
        campaign = Campaign.objects.get(pk=campaign.pk)
        expected = before[name] + count * amount_cents
        checks[name] = campaign.raised_cents == expected == ledger_totals(campaign)[0]
    new_matches = Match.objects.filter(campaign=matched).count() - matches_before
    checks["two_matches_per_event"] = new_matches == 2 * count
    for programme in FundingProgramme.objects.filter(pk__in=[p.pk for p in programmes]):
        ledger = programme_ledger(programme)
        checks[f"programme_{programme.pk}"] = (
            programme.reserved_cents,
            programme.committed_cents,
        ) == (ledger["reserved_cents"], ledger["committed_cents"])
    result["checks"] = checks
    return result
