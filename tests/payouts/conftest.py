"""Funded initiatives, initiators and staff for the payout and spending tests."""

import io

import pytest
from PIL import Image

from campaigns.models import Campaign
from campaigns.services import payouts as payout_services
from campaigns.services import recount_totals
from tests.factories import PledgeFactory, UserFactory, make_initiative, site_tree

GOOD_IBAN = "NL91ABNA0417164300"
OTHER_IBAN = "DE89370400440532013000"


def funded_campaign(neighbourhood, *, raised_cents=1_200_00, title="Repair Café", lines=2):
    initiator = UserFactory()
    campaign = make_initiative(
        neighbourhood,
        initiator=initiator,
        status=Campaign.Status.SUCCEEDED,
        title=title,
        goal_cents=1_000_00,
        budget_lines=lines,
    )
    PledgeFactory(campaign=campaign, amount_cents=raised_cents)
    recount_totals(campaign=campaign)
    campaign.refresh_from_db()
    return campaign, initiator


def staff(**kwargs):
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)


def requested_payout(campaign, initiator, iban=GOOD_IBAN):
    payout_services.save_payout_account(
        campaign=campaign,
        user=initiator,
        iban=iban,
        holder_name="Stichting Buurt",
        holder_kind="organisation",
        kvk_number="12345678",
    )
    return payout_services.request_payout(campaign=campaign, user=initiator)


def approved_payout(campaign, initiator, iban=GOOD_IBAN):
    payout = requested_payout(campaign, initiator, iban)
    approver = staff()
    payout = payout_services.approve_payout(payout=payout, user=approver)
    if payout.status != payout.Status.APPROVED:
        payout = payout_services.approve_payout(payout=payout, user=staff())
    return payout


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def funded(neighbourhood):
    return funded_campaign(neighbourhood)


def paid_payout(campaign, initiator):
    payout = approved_payout(campaign, initiator)
    batch = payout_services.create_batch(actor_label="test")
    payout_services.mark_batch_paid(batch=batch, user=staff())
    payout.refresh_from_db()
    return payout


def png_bytes(size=(20, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
