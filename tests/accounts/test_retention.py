"""Retention jobs (docs/privacy.md) and the guests' opt-in for update mail."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from campaigns import jobs as campaign_jobs
from campaigns.models import Campaign, Pledge, WebhookEvent
from campaigns.services import ledger_totals
from campaigns.services.totals import recount_totals
from core import jobs as core_jobs
from core.moderation import file_report, hide_reported
from notifications import jobs as notification_jobs
from notifications.models import SentMessage
from notifications.recipients import supporter_recipients
from tests.factories import (
    OrganisationFactory,
    PledgeFactory,
    UserFactory,
    make_initiative,
    moderator,
    site_tree,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)


def closed_campaign(closed_at):
    campaign = make_initiative(site_tree()[2])
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SUCCEEDED, closed_at=closed_at
    )
    return Campaign.objects.get(pk=campaign.pk)


def test_guest_addresses_go_eighteen_months_after_the_campaign_closed():
    with time_machine.travel(START, tick=False):
        campaign = closed_campaign(timezone.now())
        twice = [
            PledgeFactory(campaign=campaign, guest_email="Els@example.nl"),
            PledgeFactory(campaign=campaign, guest_email="els@example.nl"),
        ]
        other = PledgeFactory(campaign=campaign, guest_email="piet@example.nl")
        member = PledgeFactory(campaign=campaign, donor=UserFactory(), guest_email="")
        campaign = recount_totals(campaign=campaign)
        assert campaign.supporter_count == 3

    with time_machine.travel(START + datetime.timedelta(days=540), tick=False):
        assert campaign_jobs.forget_guest_emails.delay().get() == 0
    with time_machine.travel(START + datetime.timedelta(days=550), tick=False):
        assert campaign_jobs.forget_guest_emails.delay().get() == 3
        assert campaign_jobs.forget_guest_emails.delay().get() == 0

    for pledge in [*twice, other]:
        pledge.refresh_from_db()
        assert pledge.guest_email == "" and pledge.supporter_ref
    assert twice[0].supporter_ref == twice[1].supporter_ref != other.supporter_ref
    member.refresh_from_db()
    assert member.donor_id is not None
    assert ledger_totals(campaign) == (campaign.raised_cents, 3)


def test_a_live_campaign_keeps_its_guest_addresses():
    with time_machine.travel(START, tick=False):
        campaign = make_initiative(site_tree()[2])
        pledge = PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    with time_machine.travel(START + datetime.timedelta(days=800), tick=False):
        campaign_jobs.forget_guest_emails.delay().get()
    pledge.refresh_from_db()
    assert pledge.guest_email == "els@example.nl"


def stripe_event(stripe_id, processed=True):
    return WebhookEvent.objects.create(
        stripe_id=stripe_id,
        type="charge.refunded",
        processed_at=timezone.now() if processed else None,
        payload={
            "id": stripe_id,
            "type": "charge.refunded",
            "created": 1700000000,
            "data": {
                "object": {
                    "id": "ch_1",
                    "object": "charge",
                    "amount": 2500,
                    "amount_refunded": 2500,
                    "refunded": True,
                    "payment_intent": {"id": "pi_1", "customer": "cus_1"},
                    "billing_details": {"email": "els@example.nl", "name": "Els"},
                    "metadata": {"pledge_id": "7", "note": "x"},
                    "refunds": {"data": [{"id": "re_1", "status": "succeeded", "charge": "ch"}]},
                }
            },
        },
    )


def test_stripe_payloads_keep_only_what_the_ledger_needs_after_ninety_days():
    with time_machine.travel(START, tick=False):
        old, unprocessed = stripe_event("evt_old"), stripe_event("evt_open", processed=False)
    with time_machine.travel(START + datetime.timedelta(days=89), tick=False):
        recent = stripe_event("evt_recent")
        assert campaign_jobs.prune_webhook_payloads.delay().get() == 0
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        assert campaign_jobs.prune_webhook_payloads.delay().get() == 1

    old.refresh_from_db()
    assert old.payload == {
        "id": "evt_old",
        "type": "charge.refunded",
        "created": 1700000000,
        "data": {
            "object": {
                "id": "ch_1",
                "object": "charge",
                "amount": 2500,
                "amount_refunded": 2500,
                "refunded": True,
                "payment_intent": "pi_1",
                "metadata": {"pledge_id": "7"},
                "refunds": {"data": [{"id": "re_1", "status": "succeeded"}]},
            }
        },
    }
    for kept in (recent, unprocessed):
        kept.refresh_from_db()
        assert "billing_details" in kept.payload["data"]["object"]


def test_the_sent_mail_log_forgets_after_two_years():
    with time_machine.travel(START, tick=False):
        SentMessage.objects.create(
            message="donation_receipt",
            object_key="pledge:1",
            recipient="els@example.nl",
            claim="00000000-0000-0000-0000-000000000001",
            sent_at=timezone.now(),
        )
    with time_machine.travel(START + datetime.timedelta(days=700), tick=False):
        SentMessage.objects.create(
            message="donation_receipt",
            object_key="pledge:2",
            recipient="els@example.nl",
            claim="00000000-0000-0000-0000-000000000002",
            sent_at=timezone.now(),
        )
        assert notification_jobs.prune_sent_messages.delay().get() == 0
    with time_machine.travel(START + datetime.timedelta(days=731), tick=False):
        assert notification_jobs.prune_sent_messages.delay().get() == 1
    assert list(SentMessage.objects.values_list("object_key", flat=True)) == ["pledge:2"]


def test_guests_get_update_mail_only_when_they_ticked_the_box(client):
    campaign = make_initiative(site_tree()[2])
    form = client.get(f"/initiatives/{campaign.page_id}/donate/").content.decode()
    assert 'name="wants_updates"' in form and "checked" not in form.split("wants_updates")[1][:80]
    PledgeFactory(campaign=campaign, guest_email="ja@example.nl", wants_updates=True)
    PledgeFactory(campaign=campaign, guest_email="nee@example.nl")
    member = UserFactory()
    PledgeFactory(campaign=campaign, donor=member, guest_email="")

    updates = {r.email for r in supporter_recipients(campaign, updates=True)}
    everyone = {r.email for r in supporter_recipients(campaign)}

    assert updates == {"ja@example.nl", member.email}
    assert everyone == {"ja@example.nl", "nee@example.nl", member.email}


def test_the_donate_form_stores_the_guests_choice(client):
    campaign = make_initiative(site_tree()[2])
    data = {"amount": "10", "email": "ja@example.nl", "public_name": "Els"}
    client.post(f"/initiatives/{campaign.page_id}/donate/", {**data, "wants_updates": "on"})
    client.post(f"/initiatives/{campaign.page_id}/donate/", {**data, "email": "nee@example.nl"})
    assert dict(Pledge.objects.values_list("guest_email", "wants_updates")) == {
        "ja@example.nl": True,
        "nee@example.nl": False,
    }


def test_a_reporters_address_goes_ninety_days_after_the_report_was_decided():
    organisation = OrganisationFactory()
    staff = moderator()
    with time_machine.travel(START, tick=False):
        decided = file_report(
            key="organisation", object_id=organisation.pk, reason="spam", email="a@example.nl"
        )
        hide_reported(content_type=decided.content_type, object_id=organisation.pk, actor=staff)
        still_open = file_report(
            key="organisation",
            object_id=OrganisationFactory().pk,
            reason="spam",
            email="b@example.nl",
        )
    with time_machine.travel(START + datetime.timedelta(days=89), tick=False):
        assert core_jobs.forget_reporter_emails() == 0
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        assert core_jobs.forget_reporter_emails() == 1
    decided.refresh_from_db()
    still_open.refresh_from_db()
    assert (decided.email, still_open.email) == ("", "b@example.nl")
    assert decided.status == decided.Status.HIDDEN
