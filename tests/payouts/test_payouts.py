"""Payouts: the amount and its parts, once per campaign, approval, the SEPA batch, paid."""

import io
import os
import xml.etree.ElementTree as ET

import pytest
import sepaxml
import xmlschema
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, Payout, PayoutBatch
from campaigns.services import ServiceError
from campaigns.services import payouts as payout_services
from tests.factories import UserFactory, moderator
from tests.payouts.conftest import (
    OTHER_IBAN,
    approved_payout,
    funded_campaign,
    requested_payout,
    staff,
)

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
XSD = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.001.001.03.xsd")


def test_the_amount_is_the_donations_minus_the_fees_in_labelled_lines(funded, settings):
    settings.PAYOUT_PLATFORM_FEE_BASIS_POINTS = 250  # 2.5%
    campaign, _initiator = funded
    breakdown = payout_services.payout_breakdown(campaign)
    assert [(line.key, line.amount_cents) for line in breakdown.lines] == [
        ("raised", 1_200_00),
        ("platform_fee", -30_00),
        ("payment_fees", 0),
    ]
    assert breakdown.total_cents == 1_170_00
    assert str(breakdown.lines[0].label) == "Ontvangen donaties"


def test_the_default_platform_fee_is_nothing(funded):
    campaign, initiator = funded
    payout = requested_payout(campaign, initiator)
    assert payout.amount_cents == campaign.raised_cents == 1_200_00
    assert payout.lines[0] == {"key": "raised", "amount_cents": 1_200_00}


def test_the_initiator_sees_every_part_of_the_amount(client, funded, settings):
    settings.PAYOUT_PLATFORM_FEE_BASIS_POINTS = 100
    campaign, initiator = funded
    requested_payout(campaign, initiator)
    client.force_login(initiator)
    page = client.get(f"/en/initiatives/{campaign.page_id}/payout/").content.decode()
    for text in ("Donations received", "Platform fee", "Payment fees", "To be paid out"):
        assert text in page
    assert '<td class="amount">-€12</td>' in page
    assert '<td class="amount payout-total">€1,188</td>' in page


def test_a_campaign_is_paid_out_at_most_once(funded):
    campaign, initiator = funded
    requested_payout(campaign, initiator)
    with pytest.raises(ServiceError, match="al uitbetaald"):
        payout_services.request_payout(campaign=campaign, user=initiator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(campaign=campaign, amount_cents=1)
    assert Payout.objects.count() == 1


def test_no_payout_before_the_campaign_is_funded(neighbourhood):
    campaign, initiator = funded_campaign(neighbourhood)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.LIVE)
    with pytest.raises(ServiceError):
        requested_payout(campaign, initiator)


def test_only_staff_approve_payouts(client, funded):
    campaign, initiator = funded
    payout = requested_payout(campaign, initiator)
    for person in (initiator, moderator(), UserFactory(is_staff=True)):
        with pytest.raises(ServiceError, match="Alleen medewerkers"):
            payout_services.approve_payout(payout=payout, user=person)
    client.force_login(moderator())
    response = client.post(f"/admin/money/payouts/{payout.pk}/approve/")
    assert response.status_code in (302, 403)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED and payout.first_approver is None


def test_below_the_threshold_one_staff_member_approves(funded, settings):
    settings.PAYOUT_SECOND_APPROVAL_CENTS = 2_500_00
    campaign, initiator = funded
    payout = requested_payout(campaign, initiator)
    payout = payout_services.approve_payout(payout=payout, user=staff())
    assert payout.status == Payout.Status.APPROVED
    entry = AuditEntry.objects.get(action=Action.PAYOUT_APPROVED)
    assert (entry.from_state, entry.to_state) == ("requested", "approved")


def test_above_the_threshold_a_second_different_person_must_approve(client, funded, settings):
    settings.PAYOUT_SECOND_APPROVAL_CENTS = 1_000_00
    campaign, initiator = funded
    payout = requested_payout(campaign, initiator)
    first, second = staff(), staff()
    client.force_login(first)
    client.post(f"/admin/money/payouts/{payout.pk}/approve/")
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED and payout.first_approver == first

    response = client.post(f"/admin/money/payouts/{payout.pk}/approve/", follow=True)
    assert "Een tweede, andere medewerker moet haar ook goedkeuren." in response.content.decode()
    with pytest.raises(ServiceError, match="tweede, andere medewerker"):
        payout_services.approve_payout(payout=payout, user=first)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        payout_services.approve_payout(payout=payout, user=first)
    assert "A second, different staff member must approve it too." in str(refused.value)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED

    client.force_login(second)
    client.post(f"/admin/money/payouts/{payout.pk}/approve/")
    payout.refresh_from_db()
    assert payout.status == Payout.Status.APPROVED
    assert (payout.first_approver, payout.second_approver) == (first, second)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.filter(pk=payout.pk).update(second_approver=first)


def test_changing_the_account_drops_a_first_approval(funded, settings):
    settings.PAYOUT_SECOND_APPROVAL_CENTS = 1_000_00
    campaign, initiator = funded
    payout = requested_payout(campaign, initiator)
    payout_services.approve_payout(payout=payout, user=staff())
    requested_payout_account_change = payout_services.save_payout_account(
        campaign=campaign, user=initiator, iban=OTHER_IBAN, holder_name="B", holder_kind="person"
    )
    payout.refresh_from_db()
    assert requested_payout_account_change.iban == OTHER_IBAN
    assert payout.first_approver is None


def _two_approved(neighbourhood):
    one, one_initiator = funded_campaign(neighbourhood, raised_cents=1_200_00, title="Bankjes")
    two, two_initiator = funded_campaign(neighbourhood, raised_cents=345_67, title="Tuin")
    return [approved_payout(one, one_initiator), approved_payout(two, two_initiator, OTHER_IBAN)]


def test_the_sepa_file_is_valid_pain_001_and_its_control_sum_is_the_payouts(neighbourhood):
    payouts = _two_approved(neighbourhood)
    batch = payout_services.create_batch(user=staff())
    xmlschema.XMLSchema(XSD).validate(batch.xml)
    root = ET.fromstring(batch.xml)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.find("p:CtrlSum", NS).text == "1545.67"
    assert header.find("p:NbOfTxs", NS).text == "2"
    assert header.find("p:MsgId", NS).text == batch.message_id
    assert batch.control_sum_cents == sum(p.amount_cents for p in payouts) == 1_545_67
    creditors = root.findall(".//p:CdtTrfTxInf", NS)
    assert sorted(c.find("p:CdtrAcct/p:Id/p:IBAN", NS).text for c in creditors) == sorted(
        ["NL91ABNA0417164300", OTHER_IBAN]
    )
    debtor = root.find(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", NS).text
    assert debtor == "NL91ABNA0417164300"
    assert set(Payout.objects.values_list("status", "batch")) == {("batched", batch.pk)}
    assert AuditEntry.objects.filter(action=Action.PAYOUT_BATCHED).count() == 2


def test_a_payout_is_never_batched_twice(neighbourhood):
    _two_approved(neighbourhood)
    payout_services.create_batch(user=staff())
    with pytest.raises(payout_services.NothingToBatch):
        payout_services.create_batch(user=staff())
    assert PayoutBatch.objects.count() == 1
    payout = Payout.objects.first()
    with pytest.raises(ServiceError):
        payout_services.approve_payout(payout=payout, user=staff())


def test_the_command_writes_the_file_and_refuses_an_empty_batch(neighbourhood, tmp_path):
    _two_approved(neighbourhood)
    outfile = tmp_path / "batch.xml"
    call_command("payout_batch", str(outfile), stdout=io.StringIO())
    batch = PayoutBatch.objects.get()
    assert outfile.read_text() == batch.xml
    with pytest.raises(CommandError, match="geen goedgekeurde"):
        call_command("payout_batch", str(tmp_path / "again.xml"))
    entry = AuditEntry.objects.get(action=Action.PAYOUT_BATCH_CREATED)
    assert entry.actor_label == "payout_batch"


def test_staff_export_and_mark_paid_in_the_admin_and_the_initiators_get_a_mail(
    client, neighbourhood, mailoutbox, django_capture_on_commit_callbacks
):
    payouts = _two_approved(neighbourhood)
    client.force_login(staff())
    listing = client.get("/admin/payouts/").content.decode()
    assert "NL** **** **** **** 4300" in listing and "NL91ABNA0417164300" not in listing
    client.post("/admin/money/payout-batches/new/")
    batch = PayoutBatch.objects.get()
    download = client.get(f"/admin/money/payout-batches/{batch.pk}/file/")
    assert download.content.decode() == batch.xml
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/money/payout-batches/{batch.pk}/paid/")
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.PAID
    assert set(Payout.objects.values_list("status", flat=True)) == {"paid"}
    initiators = {p.campaign.initiators.get().email for p in payouts}
    assert {m.to[0] for m in mailoutbox} == initiators
    body = mailoutbox[0].body
    assert "**** 4300" in body or "**** 3000" in body
    assert "NL91ABNA0417164300" not in body and OTHER_IBAN not in body
    with pytest.raises(ServiceError):
        payout_services.mark_batch_paid(batch=batch, user=staff())
