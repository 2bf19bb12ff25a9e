"""Cancelling a live initiative: a reason, every paid pledge refunded once, the page says so."""

from collections import Counter

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.audit import Action
from campaigns.events import CampaignCancelled
from campaigns.models import AuditEntry, Campaign, Pledge, Refund
from campaigns.services import TransitionNotAllowed, ledger_totals
from campaigns.services.cancellation import (
    CancelReasonMissing,
    NotAllowedToCancel,
    cancel_campaign,
)
from core.models import Announcement
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory, make_initiative, moderator, site_tree
from tests.stripe_fake import session_event_for

pytestmark = pytest.mark.django_db

REASON = "De gemeente heeft de locatie ingetrokken."


@pytest.fixture
def initiator():
    return UserFactory()


@pytest.fixture
def campaign(initiator):
    return make_initiative(site_tree()[2], initiator=initiator, goal_cents=1_000_00)


@pytest.fixture
def pay(open_pledge, post_event):
    def make(campaign, amount_cents, **kwargs):
        pledge, attempt = open_pledge(campaign, amount_cents, **kwargs)
        assert post_event(session_event_for(attempt)).status_code == 200
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.PAID
        return pledge

    return make


@pytest.fixture
def announced():
    """The cancellations announced into the outbox, as (name, payload)."""

    def read():
        return list(
            Announcement.objects.filter(name=CampaignCancelled.name).values_list("name", "payload")
        )

    return read


def cancel_url(campaign):
    return f"/en/initiatives/{campaign.page_id}/cancel/"


def assert_totals_match_ledger(campaign, raised, supporters):
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised, supporters)
    assert ledger_totals(campaign) == (raised, supporters)


def test_initiator_cancels_a_live_campaign_and_every_paid_pledge_is_refunded_once(
    client,
    campaign,
    initiator,
    fake_stripe,
    pay,
    open_pledge,
    announced,
    django_capture_on_commit_callbacks,
):
    donor = UserFactory()
    paid = [
        pay(campaign, 25_00, guest_email="an@example.nl"),
        pay(campaign, 40_00, donor=donor),
        pay(campaign, 10_00, donor=donor),
    ]
    unpaid, _attempt = open_pledge(campaign, 50_00)
    task = TaskFactory(initiative=campaign.page, status=Task.Status.OPEN)
    assert_totals_match_ledger(campaign, 75_00, 2)
    client.force_login(initiator)

    confirmation = client.get(cancel_url(campaign))
    assert confirmation.status_code == 200
    assert 'name="reason"' in confirmation.content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirmation.content.decode()

    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(cancel_url(campaign), {"reason": REASON, "confirm": "on"})
    assert response.status_code == 302

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CANCELLED
    assert campaign.cancel_reason == REASON
    assert campaign.closed_at is not None
    for pledge in paid:
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.REFUND_PENDING
    assert Counter(Refund.objects.values_list("pledge_id", flat=True)) == {p.pk: 1 for p in paid}
    assert {r.idempotency_key for r in Refund.objects.all()} == {f"refund-{p.pk}" for p in paid}
    assert set(Refund.objects.values_list("reason", flat=True)) == {"campaign_cancelled"}
    entry = AuditEntry.objects.get(object_id=str(campaign.pk), action=Action.CAMPAIGN_CANCELLED)
    assert (entry.actor, entry.from_state, entry.to_state) == (initiator, "live", "cancelled")
    assert entry.data["reason"] == REASON
    assert announced() == [("campaign.cancelled", {"campaign_id": campaign.pk})]

    for callback in after_commit:  # the refund jobs, as the commit would start them
        callback()

    assert len(fake_stripe.refunds) == len(paid)
    for pledge in paid:
        pledge.refresh_from_db()
        assert pledge.status == Pledge.Status.REFUNDED
    unpaid.refresh_from_db()
    assert unpaid.status == Pledge.Status.PENDING
    assert Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).exists()
    assert_totals_match_ledger(campaign, 0, 0)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Give a reason: supporters will read it."),
        ("nl", "Geef een reden: supporters lezen die."),
    ],
)
def test_a_reason_is_required(client, campaign, initiator, language, message):
    client.force_login(initiator)
    prefix = "/en" if language == "en" else ""
    url = f"{prefix}/initiatives/{campaign.page_id}/cancel/"

    for reason in ("", "   "):
        response = client.post(url, {"reason": reason, "confirm": "on"})
        assert response.status_code == 400
        assert message in response.content.decode()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE
    with pytest.raises(CancelReasonMissing):
        cancel_campaign(campaign=campaign, user=initiator, reason=" ")


def test_the_confirmation_box_must_be_ticked(client, campaign, initiator):
    client.force_login(initiator)

    response = client.post(cancel_url(campaign), {"reason": REASON})

    assert response.status_code == 400
    assert "Tick the box to confirm the cancellation." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE


def test_a_stranger_gets_403(client, campaign):
    client.force_login(UserFactory())

    assert client.get(cancel_url(campaign)).status_code == 403
    assert client.post(cancel_url(campaign), {"reason": REASON, "confirm": "on"}).status_code == 403

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE
    with pytest.raises(NotAllowedToCancel):
        cancel_campaign(campaign=campaign, user=UserFactory(), reason=REASON)


def test_cancelling_is_a_post_after_logging_in(client, campaign):
    response = client.post(cancel_url(campaign), {"reason": REASON, "confirm": "on"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE


def test_a_moderator_cancels_through_the_admin(
    client, campaign, fake_stripe, pay, django_capture_on_commit_callbacks
):
    pledge = pay(campaign, 30_00)
    client.force_login(moderator())
    neighbourhood_listing = client.get(f"/admin/pages/{campaign.page.get_parent().pk}/")
    url = f"/admin/initiatives/{campaign.page_id}/cancel/"
    assert url in neighbourhood_listing.content.decode()

    assert client.get(url).status_code == 200
    missing = client.post(url, {"reason": "", "confirm": "on"})
    assert missing.status_code == 200
    assert "Geef een reden: supporters lezen die." in missing.content.decode()  # admin in Dutch

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": REASON, "confirm": "on"})

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.cancel_reason) == (Campaign.Status.CANCELLED, REASON)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.REFUNDED
    assert_totals_match_ledger(campaign, 0, 0)
    assert url not in client.get(f"/admin/pages/{campaign.page.get_parent().pk}/").content.decode()


def test_residents_cannot_use_the_admin_action(client, campaign, initiator):
    client.force_login(initiator)

    response = client.post(
        f"/admin/initiatives/{campaign.page_id}/cancel/", {"reason": REASON, "confirm": "on"}
    )

    assert response.status_code in (302, 403)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE


def test_cancelling_twice_is_refused(
    client, campaign, initiator, fake_stripe, pay, django_capture_on_commit_callbacks
):
    pay(campaign, 20_00)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_campaign(campaign=campaign, user=initiator, reason=REASON)
    refunds, entries = Refund.objects.count(), AuditEntry.objects.count()

    with pytest.raises(TransitionNotAllowed):
        cancel_campaign(campaign=campaign, user=initiator, reason="Nog een keer")
    client.force_login(initiator)
    response = client.post(cancel_url(campaign), {"reason": "Nog een keer", "confirm": "on"})

    assert response.status_code == 400
    assert "Only a live initiative can be cancelled" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.cancel_reason == REASON
    assert (Refund.objects.count(), AuditEntry.objects.count()) == (refunds, entries)
    assert len(fake_stripe.refunds) == 1


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.IN_REVIEW])
def test_only_a_live_campaign_can_be_cancelled(initiator, status):
    campaign = make_initiative(site_tree()[2], initiator=initiator, status=status)

    with pytest.raises(TransitionNotAllowed):
        cancel_campaign(campaign=campaign, user=initiator, reason=REASON)

    campaign.refresh_from_db()
    assert campaign.status == status


def test_a_late_payment_after_cancelling_is_refunded_at_once(
    campaign,
    initiator,
    fake_stripe,
    pay,
    open_pledge,
    post_event,
    django_capture_on_commit_callbacks,
):
    pay(campaign, 10_00)
    late, attempt = open_pledge(campaign, 15_00)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_campaign(campaign=campaign, user=initiator, reason=REASON)

    post_event(session_event_for(attempt))

    late.refresh_from_db()
    assert late.status == Pledge.Status.REFUNDED
    assert len(fake_stripe.refunds) == 2
    late_refund = Refund.objects.get(pledge=late)
    assert (late_refund.status, late_refund.reason) == (
        Refund.Status.SUCCEEDED,
        "campaign_cancelled",
    )
    assert late_refund.idempotency_key == f"refund-{late.pk}"
    assert_totals_match_ledger(campaign, 0, 0)


def test_the_status_notice_says_the_initiative_was_cancelled_and_why(campaign, initiator):
    cancel_campaign(campaign=campaign, user=initiator, reason=REASON)
    campaign.refresh_from_db()

    with translation.override("en"):
        english = render_to_string("campaigns/_status_notice.html", {"campaign": campaign})
    with translation.override("nl"):
        dutch = render_to_string("campaigns/_status_notice.html", {"campaign": campaign})

    assert "This initiative was cancelled." in english
    assert REASON in english
    assert "Dit initiatief is geannuleerd." in dutch
    assert REASON in dutch


def test_my_initiatives_offers_cancelling_only_for_a_live_initiative(client, campaign, initiator):
    client.force_login(initiator)
    assert cancel_url(campaign) in client.get("/en/initiatives/mine/").content.decode()

    cancel_campaign(campaign=campaign, user=initiator, reason=REASON)

    html = client.get("/en/initiatives/mine/").content.decode()
    assert cancel_url(campaign) not in html
    assert REASON in html
