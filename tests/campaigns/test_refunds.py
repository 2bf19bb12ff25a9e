"""Deadlines: funded campaigns succeed; all-or-nothing campaigns that miss their goal fail
and refund every paid pledge exactly once, through the fake Stripe API, with retries.
"""

import datetime
from collections import Counter

import pytest
import time_machine
from django.utils import timezone, translation

from campaigns import jobs
from campaigns.models import AuditEntry, Campaign, FundingModel, Pledge, Refund
from campaigns.services import ledger_totals
from campaigns.services import settlement as settlement_services
from tests.factories import UserFactory, make_initiative, site_tree
from tests.stripe_fake import event_for, refunded_charge, session_event_for

pytestmark = pytest.mark.django_db


def after_deadline(campaign, days=1):
    """Noon, Dutch time, ``days`` after the campaign's deadline day."""
    day = campaign.page.deadline + datetime.timedelta(days=days)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(12)), timezone.get_default_timezone()
    )


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def pay(open_pledge, post_event):
    """``pay(campaign, cents, ...)``: a pledge paid through a verified Stripe event."""

    def make(campaign, amount_cents, **kwargs):
        pledge, attempt = open_pledge(campaign, amount_cents, **kwargs)
        response = post_event(session_event_for(attempt))
        assert response.status_code == 200
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.PAID
        return pledge, attempt

    return make


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """Run the deadline job as Celery beat would, committing as a worker would."""

    def run(campaign):
        with (
            time_machine.travel(after_deadline(campaign), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            due = jobs.close_due_campaigns()
        campaign.refresh_from_db()
        return due

    return run


def page_html(client, campaign, language):
    """The initiative page as a visitor in ``language`` sees it."""
    with translation.override("nl"):
        path = campaign.page.url  # Dutch has no prefix; English lives under /en/
    response = client.get(path if language == "nl" else f"/en{path}")
    assert response.status_code == 200
    return response.content.decode()


def assert_totals(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def test_failed_campaign_refunds_each_paid_pledge_once_despite_stripe_errors(
    client, neighbourhood, fake_stripe, pay, settle, open_pledge
):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    donor = UserFactory()
    paid = [
        pay(campaign, 25_00, guest_email="an@example.nl"),
        pay(campaign, 40_00, donor=donor),
        pay(campaign, 100_00, donor=donor),
        pay(campaign, 7_50, guest_email="bo@example.nl"),
    ]
    unpaid, _attempt = open_pledge(campaign, 50_00)
    assert_totals(campaign, 172_50, 3)
    fake_stripe.fail_refunds(2)  # every refund call fails twice with HTTP 500 first

    assert settle(campaign) == 1

    assert campaign.status == Campaign.Status.FAILED
    assert campaign.closed_at is not None
    # Exactly one refund object per pledge exists at Stripe ...
    assert len(fake_stripe.refunds) == len(paid)
    by_key = Counter(r.header("Idempotency-Key") for r in fake_stripe.refund_requests)
    # ... and every call (2 failures + 1 success per pledge) carried the pledge's key.
    assert by_key == {f"refund-{pledge.pk}": 3 for pledge, _ in paid}
    remote_by_pledge = {r["metadata"]["pledge_id"]: r for r in fake_stripe.refunds.values()}
    for pledge, attempt in paid:
        remote = remote_by_pledge[str(pledge.pk)]
        assert remote["payment_intent"] == attempt.payment_intent_id
        assert remote["amount"] == pledge.amount_cents
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.REFUNDED
        refund = Refund.objects.get(pledge=pledge)
        assert refund.status == Refund.Status.SUCCEEDED
        assert refund.external_id == remote["id"]
        assert refund.idempotency_key == f"refund-{pledge.pk}"
        assert refund.amount_cents == pledge.amount_cents
        assert refund.attempts == 3
        assert refund.reason == "campaign_not_funded"
        assert refund.completed_at is not None
    unpaid.refresh_from_db()
    assert unpaid.status == Pledge.Status.PENDING
    assert not Refund.objects.filter(pledge=unpaid).exists()
    assert_totals(campaign, 0, 0)

    dutch, english = page_html(client, campaign, "nl"), page_html(client, campaign, "en")
    assert "Niet gefinancierd: alle donaties worden terugbetaald." in dutch
    assert "Not funded: all donations are being refunded." in english


def test_settling_again_does_nothing_more(
    neighbourhood, fake_stripe, pay, settle, django_capture_on_commit_callbacks
):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pledges = [pay(campaign, 30_00)[0], pay(campaign, 20_00)[0]]
    settle(campaign)
    requests, audit, refunds = (
        len(fake_stripe.requests),
        AuditEntry.objects.count(),
        list(Refund.objects.order_by("pk").values_list("pk", "status", "external_id", "attempts")),
    )

    assert settle(campaign) == 0
    with (
        time_machine.travel(after_deadline(campaign, days=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        jobs.settle_campaign.delay(campaign.pk)
        settlement_services.settle_campaign(campaign_id=campaign.pk)
        for refund in Refund.objects.all():
            assert jobs.execute_refund.delay(refund.pk).result == "already refunded"

    assert len(fake_stripe.requests) == requests
    assert AuditEntry.objects.count() == audit
    assert (
        list(Refund.objects.order_by("pk").values_list("pk", "status", "external_id", "attempts"))
        == refunds
    )
    assert [Pledge.objects.get(pk=p.pk).status for p in pledges] == ["refunded", "refunded"]
    assert_totals(campaign, 0, 0)


def test_stripe_refund_events_after_our_refund_change_nothing(
    neighbourhood, fake_stripe, pay, settle, post_event
):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pledge, attempt = pay(campaign, 30_00)
    settle(campaign)
    (remote,) = fake_stripe.refunds.values()

    charge = refunded_charge(
        payment_intent=attempt.payment_intent_id, amount=30_00, refund_id=remote["id"]
    )
    post_event(event_for("charge", charge, "charge.refunded"))
    post_event(event_for("refund", remote, "refund.updated"))

    assert Refund.objects.count() == 1
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUNDED
    assert_totals(campaign, 0, 0)


def test_late_payment_to_a_failed_campaign_is_refunded_at_once(
    neighbourhood, fake_stripe, pay, settle, open_pledge, post_event
):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pay(campaign, 10_00)
    late, attempt = open_pledge(campaign, 15_00)
    settle(campaign)
    assert campaign.status == Campaign.Status.FAILED

    post_event(session_event_for(attempt))

    late.refresh_from_db()
    assert late.status == Pledge.Status.REFUNDED
    assert len(fake_stripe.refunds) == 2
    assert Refund.objects.get(pledge=late).status == Refund.Status.SUCCEEDED
    assert_totals(campaign, 0, 0)


def test_goal_met_campaign_succeeds_without_refunds(
    client, neighbourhood, fake_stripe, pay, settle
):
    campaign = make_initiative(neighbourhood, goal_cents=100_00)
    pay(campaign, 60_00)
    pay(campaign, 55_00)

    assert settle(campaign) == 1

    assert campaign.status == Campaign.Status.SUCCEEDED
    assert fake_stripe.refund_requests == []
    assert Refund.objects.count() == 0
    assert_totals(campaign, 115_00, 2)
    assert "Funded: 115%" in page_html(client, campaign, "en")
    assert "Gefinancierd: 115%" in page_html(client, campaign, "nl")


def test_goal_met_exactly_succeeds(neighbourhood, fake_stripe, pay, settle):
    campaign = make_initiative(neighbourhood, goal_cents=100_00)
    pay(campaign, 100_00)

    settle(campaign)

    assert campaign.status == Campaign.Status.SUCCEEDED
    assert fake_stripe.refund_requests == []


def test_keep_what_you_raise_succeeds_with_what_was_raised(
    client, neighbourhood, fake_stripe, pay, settle
):
    campaign = make_initiative(
        neighbourhood, goal_cents=1_000_00, funding_model=FundingModel.KEEP_WHAT_YOU_RAISE
    )
    pay(campaign, 250_00)

    settle(campaign)

    assert campaign.status == Campaign.Status.SUCCEEDED
    assert fake_stripe.refund_requests == []
    assert Refund.objects.count() == 0
    assert Pledge.objects.get().status == Pledge.Status.PAID
    assert_totals(campaign, 250_00, 1)
    assert "Raised: €250 (25%)" in page_html(client, campaign, "en")


def test_campaign_is_not_settled_before_its_deadline_has_passed(
    neighbourhood, fake_stripe, pay, django_capture_on_commit_callbacks
):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pay(campaign, 10_00)
    deadline_evening = timezone.make_aware(
        datetime.datetime.combine(campaign.page.deadline, datetime.time(23, 59)),
        timezone.get_default_timezone(),
    )

    with (
        time_machine.travel(deadline_evening, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs.close_due_campaigns() == 0
        settlement_services.settle_campaign(campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE
    assert fake_stripe.refund_requests == []


def test_cached_initiative_page_shows_the_outcome_at_once(
    client, settings, neighbourhood, fake_stripe, pay, settle
):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pay(campaign, 10_00)
    assert "Not funded" not in page_html(client, campaign, "en")

    settle(campaign)

    assert "Not funded: all donations are being refunded." in page_html(client, campaign, "en")


def test_services_never_import_the_jobs_that_follow_them_up():
    """The money services announce a refund (``refund_requested``); the jobs module turns
    that into a job. No service reaches ``campaigns.jobs`` or the webhook processor, not
    even through another module, so the three no longer import each other in a circle."""
    import grimp

    graph = grimp.build_graph("campaigns")
    services = [name for name in graph.modules if name.startswith("campaigns.services")]
    for importer in services:
        for imported in ("campaigns.jobs", "campaigns.payments.webhooks"):
            chain = graph.find_shortest_chain(importer=importer, imported=imported)
            assert chain is None, " -> ".join(chain)


@pytest.mark.parametrize("amount_cents", [4_99, 5_000_01])
def test_an_amount_outside_the_limits_is_refused_as_such(neighbourhood, amount_cents):
    from campaigns.services import AmountNotAllowed, CampaignClosed
    from campaigns.services.pledges import create_pledge

    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)

    with translation.override("en"), pytest.raises(AmountNotAllowed) as refused:
        create_pledge(campaign=campaign, amount_cents=amount_cents, guest_email="a@example.nl")

    assert not isinstance(refused.value, CampaignClosed)
    assert str(refused.value) == "This amount cannot be donated."
    assert not Pledge.objects.exists()


def test_only_a_paid_pledge_can_be_refunded(neighbourhood, open_pledge):
    from campaigns.services import PledgeNotRefundable
    from campaigns.services.pledges import request_refund

    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    pending, _attempt = open_pledge(campaign, 10_00)

    with (
        translation.override("en"),
        pytest.raises(PledgeNotRefundable, match="Only a paid donation can be refunded."),
    ):
        request_refund(pledge=pending)

    assert not Refund.objects.exists()
