"""Proof of spending: private receipts, the public spending per budget line, realised."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, Receipt, SpendingProof
from campaigns.services import ServiceError
from campaigns.services import spending as spending_services
from notifications.jobs import send_spending_proof_reminders
from notifications.models import SentMessage
from tests.factories import UserFactory, moderator
from tests.payouts.conftest import PDF_BYTES, paid_payout, png_bytes, requested_payout, staff

pytestmark = pytest.mark.django_db


def upload(client, campaign, line, *, name="bon.pdf", content=PDF_BYTES, amount="120,50"):
    return client.post(
        f"/initiatives/{campaign.page_id}/spending/",
        {
            "action": "add",
            "budget_line": line.pk,
            "description": "Verf en kwasten",
            "amount": amount,
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.fixture
def paid(funded):
    campaign, initiator = funded
    paid_payout(campaign, initiator)
    return campaign, initiator


def test_initiators_upload_a_pdf_or_an_image_recognised_by_content(client, paid):
    campaign, initiator = paid
    line = campaign.page.budget_lines.first()
    client.force_login(initiator)
    assert upload(client, campaign, line).status_code == 302
    assert upload(client, campaign, line, name="foto.pdf", content=png_bytes()).status_code == 302
    types = list(Receipt.objects.order_by("pk").values_list("content_type", "amount_cents"))
    assert types == [("application/pdf", 120_50), ("image/png", 120_50)]
    assert AuditEntry.objects.filter(action=Action.RECEIPT_ADDED).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bon.pdf", b"just some text, not a pdf", "Een bon moet een pdf of een afbeelding zijn"),
        ("bon.exe", b"MZ\x90\x00\x03", "Een bon moet een pdf of een afbeelding zijn"),
    ],
)
def test_other_files_are_refused(client, paid, name, content, message):
    campaign, initiator = paid
    client.force_login(initiator)
    response = upload(
        client, campaign, campaign.page.budget_lines.first(), name=name, content=content
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Receipt.objects.exists()


def test_too_large_and_too_many_pixels_are_refused(client, paid, settings):
    campaign, initiator = paid
    client.force_login(initiator)
    line = campaign.page.budget_lines.first()
    settings.MAX_RECEIPT_BYTES = 50
    response = upload(client, campaign, line)
    assert "De bon is groter dan" in response.content.decode()
    settings.MAX_RECEIPT_BYTES = 10 * 1024 * 1024
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    response = upload(client, campaign, line, name="a.png", content=png_bytes((20, 10)))
    assert response.status_code == 400 and "megapixel" in response.content.decode()
    assert not Receipt.objects.exists()


def test_no_receipts_before_the_payout_is_paid(client, funded):
    campaign, initiator = funded
    requested_payout(campaign, initiator)
    client.force_login(initiator)
    response = upload(client, campaign, campaign.page.budget_lines.first())
    assert response.status_code == 400
    assert not Receipt.objects.exists()


def _receipt(campaign, initiator, line=None, amount_cents=120_50):
    return spending_services.add_receipt(
        campaign=campaign,
        user=initiator,
        budget_line=line or campaign.page.budget_lines.first(),
        description="Verf",
        amount_cents=amount_cents,
        file=SimpleUploadedFile("bon.pdf", PDF_BYTES),
        content_type="application/pdf",
    )


def test_no_receipt_file_is_reachable_by_the_public(client, paid):
    campaign, initiator = paid
    receipt = _receipt(campaign, initiator)
    url = f"/initiatives/receipts/{receipt.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(initiator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(staff())
    assert client.get(url).status_code == 200


def test_receipts_are_stored_outside_the_public_media_directory():
    from config.settings import base

    private = base.STORAGES["private"]["OPTIONS"]
    assert private["base_url"] is None
    assert not str(private["location"]).startswith(str(base.MEDIA_ROOT))


def test_only_initiators_add_receipts(client, paid):
    campaign, _initiator = paid
    for person in (UserFactory(), moderator()):
        client.force_login(person)
        response = upload(client, campaign, campaign.page.budget_lines.first())
        assert response.status_code == 403
        with pytest.raises(ServiceError):
            _receipt(campaign, person)
    assert not Receipt.objects.exists()


def _approved(campaign, initiator):
    lines = list(campaign.page.budget_lines.all())
    _receipt(campaign, initiator, lines[0], 300_00)
    _receipt(campaign, initiator, lines[0], 150_25)
    _receipt(campaign, initiator, lines[1], 449_00)
    proof = spending_services.submit_spending(campaign=campaign, user=initiator)
    return spending_services.approve_spending(proof=proof, user=moderator())


def test_approval_by_a_moderator_makes_the_campaign_realised(client, paid):
    campaign, initiator = paid
    lines = list(campaign.page.budget_lines.all())
    _receipt(campaign, initiator, lines[0])
    proof = spending_services.submit_spending(campaign=campaign, user=initiator)
    with pytest.raises(ServiceError):
        spending_services.approve_spending(proof=proof, user=initiator)
    client.force_login(moderator())
    listing = client.get("/admin/spending_proofs/")
    assert listing.status_code == 200
    assert f"/admin/money/spending/{proof.pk}/review/" in listing.content.decode()
    review = client.get(f"/admin/money/spending/{proof.pk}/review/").content.decode()
    assert f"/initiatives/receipts/{proof.receipts.get().pk}/" in review
    client.post(f"/admin/money/spending/{proof.pk}/review/", {"decision": "approve"})
    campaign.refresh_from_db()
    proof.refresh_from_db()
    assert proof.status == SpendingProof.Status.APPROVED
    assert campaign.status == Campaign.Status.REALISED
    realised = AuditEntry.objects.get(action=Action.CAMPAIGN_REALISED)
    assert (realised.from_state, realised.to_state) == ("succeeded", "realised")


def test_a_moderator_can_ask_for_changes(client, paid):
    campaign, initiator = paid
    _receipt(campaign, initiator)
    proof = spending_services.submit_spending(campaign=campaign, user=initiator)
    client.force_login(moderator())
    client.post(f"/admin/money/spending/{proof.pk}/review/", {"note": "De bon is onleesbaar."})
    proof.refresh_from_db()
    assert proof.status == SpendingProof.Status.OPEN
    assert proof.moderator_note == "De bon is onleesbaar."
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SUCCEEDED


def test_the_public_page_shows_spending_per_budget_line_and_no_files(client, paid):
    campaign, initiator = paid
    _approved(campaign, initiator)
    page = client.get(campaign.page.url).content.decode()
    assert "Waaraan het geld is uitgegeven" in page
    assert "Dit initiatief is gerealiseerd." in page
    page = page.replace("\xa0", " ")
    assert '<td class="amount">€ 500</td><td class="amount">€ 450,25</td>' in page
    assert "<li>Verf: € 300</li><li>Verf: € 150,25</li>" in page
    assert '<td class="amount">€ 449</td>' in page
    assert "/initiatives/receipts/" not in page and "receipts/" not in page


def test_the_public_page_shows_nothing_of_spending_before_approval(client, paid):
    campaign, initiator = paid
    _receipt(campaign, initiator)
    page = client.get(campaign.page.url).content.decode()
    assert "Waaraan het geld is uitgegeven" not in page


def test_initiators_are_reminded_once_when_no_proof_arrives_in_90_days(paid, mailoutbox):
    campaign, initiator = paid
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(days=89)):
        assert send_spending_proof_reminders() == 0
    with time_machine.travel(start + datetime.timedelta(days=91)):
        assert send_spending_proof_reminders() == 1
        assert send_spending_proof_reminders() == 0
    assert [m.to for m in mailoutbox] == [[initiator.email]]
    assert "Laat zien waaraan" in mailoutbox[0].subject
    assert SentMessage.objects.filter(message="spending_proof_reminder").count() == 1


def test_no_reminder_when_the_proof_was_sent(paid, mailoutbox):
    campaign, initiator = paid
    _receipt(campaign, initiator)
    spending_services.submit_spending(campaign=campaign, user=initiator)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=120)):
        assert send_spending_proof_reminders() == 0
    assert mailoutbox == []


def test_a_removed_receipt_takes_its_file_along(client, paid, django_capture_on_commit_callbacks):
    campaign, initiator = paid
    receipt = _receipt(campaign, initiator)
    storage, name = receipt.file.storage, receipt.file.name
    assert storage.exists(name)
    client.force_login(initiator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/initiatives/{campaign.page_id}/spending/",
            {"action": "remove", "receipt": receipt.pk},
        )
    assert response.status_code == 302
    assert not Receipt.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action=Action.RECEIPT_REMOVED).count() == 1


def test_only_the_initiators_see_the_payout_links_on_the_page(client, paid):
    campaign, initiator = paid
    payout_link = f"/initiatives/{campaign.page_id}/payout/"
    client.force_login(moderator())
    assert payout_link not in client.get(campaign.page.url).content.decode()
    client.force_login(initiator)
    assert payout_link in client.get(campaign.page.url).content.decode()
