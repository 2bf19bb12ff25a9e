"""From a matched donation to a realised initiative, through a real browser.

A fund's programme doubles donations to the initiative; a guest sees that on the page and
the donation form, gives €100 through the labelled test checkout and sees it doubled. The
deadline passes and the initiative is funded. The initiator enters the bank account, staff approve the payout and export it as a SEPA
file in the Wagtail admin (which speaks Dutch here, so admin steps select by markup), the
bank's confirmation is recorded, the initiator uploads a receipt and sends the account of
spending, a moderator approves it, and the public page shows "realised" with the spending
per budget line.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Campaign, InitiativePage, Payout, PayoutBatch, SpendingProof
from campaigns.services import recount_totals
from campaigns.services.settlement import settle_campaign
from tests.factories import (
    PASSWORD,
    FundingProgrammeFactory,
    PledgeFactory,
    UserFactory,
    approve_programme,
    make_initiative,
    site_tree,
    totp_code,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n% receipt\n%%EOF\n"


def log_in(page, base_url, email, next_path):
    page.goto(f"{base_url}/en/accounts/login/?next={next_path}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[action$='/login/'] button[type=submit]").click()
    if "/admin/" in next_path:  # staff have an authenticator app, as the admin requires
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.locator("#id_code").fill(totp_code())
        page.locator("form[action$='/2fa/authenticate/'] button[type=submit]:not([form])").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(next_path)}$"))


def matched_campaign():
    """A live initiative with €900 given so far, and a programme that doubles donations."""
    _home, _city, neighbourhood = site_tree()
    initiator = UserFactory(email="initiatiefnemer@example.nl")
    campaign = make_initiative(
        neighbourhood,
        initiator=initiator,
        title="Buurtbankjes",
        goal_cents=1_000_00,
        budget_lines=2,
    )
    PledgeFactory(campaign=campaign, amount_cents=900_00)
    recount_totals(campaign=campaign)
    programme = FundingProgrammeFactory(name="Gouds Wijkfonds")
    approve_programme(campaign, programme)
    campaign.refresh_from_db()
    return campaign, initiator


def give_doubled_donation(visitor, base, campaign, screenshot):
    visitor.goto(f"{base}/en{campaign.page.url}")
    expect(visitor.locator(".match-offers")).to_contain_text(
        "Gouds Wijkfonds doubles your donation: €10 becomes €20"
    )
    visitor.locator(".initiative-side a.donate-button").click()
    expect(visitor.locator(".match-offers")).to_contain_text("doubles your donation")
    visitor.locator("#id_amount").fill("100")
    visitor.locator("#id_email").fill("gever@example.nl")
    visitor.locator("#id_public_name").fill("Buurvrouw Fien")
    visitor.locator("main form.initiative-form button[type=submit]").click()
    visitor.locator("main form button[name=outcome][value=pay]").click()
    expect(visitor.locator("#payment-status")).to_have_class(re.compile(r"\bstatus-paid\b"))
    visitor.goto(f"{base}/en{campaign.page.url}")
    expect(visitor.locator(".match-split")).to_contain_text(
        "€1,000 from 2 neighbours + €100 doubled by Gouds Wijkfonds"
    )
    screenshot(visitor, "00-donation-doubled")


def deadline_passes(campaign):
    InitiativePage.objects.filter(pk=campaign.page_id).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    settle_campaign(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUCCEEDED


def test_a_matched_initiative_is_paid_out_accounts_for_its_spending_and_is_realised(
    live_server, new_page, screenshot
):
    base = live_server.url
    campaign, initiator = matched_campaign()
    give_doubled_donation(new_page(), base, campaign, screenshot)
    deadline_passes(campaign)
    staff = UserFactory(email="penningmeester@example.nl", is_staff=True, is_superuser=True)
    payout_path = f"/en/initiatives/{campaign.page_id}/payout/"

    # The initiator enters the bank account; the payout is requested. €1,000 from
    # neighbours and the fund's €100.
    owner = new_page()
    log_in(owner, base, initiator.email, payout_path)
    expect(owner.locator(".payout-total")).to_have_text(re.compile(r"1,100"))
    owner.locator("#id_iban").fill("NL91 ABNA 0417 1643 01")
    owner.locator("#id_holder_name").fill("Stichting Buurtbankjes")
    owner.locator("input[name=holder_kind][value=person]").check()
    owner.locator("main form.initiative-form button[type=submit]").click()
    expect(owner.locator("#id_iban_error")).to_contain_text("check digits do not match")
    owner.locator("#id_iban").fill("NL91 ABNA 0417 1643 00")
    owner.locator("main form.initiative-form button[type=submit]").click()
    expect(owner.locator(".status-payout-requested")).to_be_visible()
    screenshot(owner, "01-payout-requested")
    payout = Payout.objects.get(campaign=campaign)

    # Staff approve it and export the SEPA file in the Wagtail admin.
    admin = new_page()
    log_in(admin, base, staff.email, "/admin/payouts/")
    expect(admin.locator("body")).to_contain_text("NL** **** **** **** 4300")
    admin.locator(f"a[href$='/money/payouts/{payout.pk}/approve/']").first.click()
    admin.locator("main form button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/admin/payouts/$"))
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.APPROVED
    admin.locator("a[href$='/money/payout-batches/new/']").first.click()
    admin.locator("main form button[type=submit]").click()
    batch = PayoutBatch.objects.get()
    with admin.expect_download() as download:
        admin.locator(f"a[href$='/money/payout-batches/{batch.pk}/file/']").first.click()
    assert "<CtrlSum>1100.00</CtrlSum>" in Path(download.value.path()).read_text()
    screenshot(admin, "02-batch-sent")
    admin.locator(f"a[href$='/money/payout-batches/{batch.pk}/paid/']").first.click()
    admin.locator("main form button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/admin/payout_batches/$|/admin/payout-batches/$"))
    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.PAID

    # The initiator uploads a receipt and sends the account of spending.
    owner.goto(f"{base}/en/initiatives/{campaign.page_id}/spending/")
    line = campaign.page.budget_lines.order_by("sort_order").first()
    owner.locator("#id_budget_line").select_option(value=str(line.pk))
    owner.locator("#id_description").fill("Hout voor twee bankjes")
    owner.locator("#id_amount").fill("480.50")
    owner.locator("#id_file").set_input_files(
        {"name": "bon.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    owner.locator("main form.initiative-form button[type=submit]").click()
    expect(owner.locator("table.receipts")).to_contain_text("Hout voor twee bankjes")
    owner.locator("main form:has(input[value=submit]) button[type=submit]").click()
    expect(owner.locator(".status-spending-submitted")).to_be_visible()
    screenshot(owner, "03-spending-sent")

    # A moderator approves it: the initiative is realised.
    proof = SpendingProof.objects.get(campaign=campaign)
    admin.goto(f"{base}/admin/spending_proofs/")
    admin.locator(f"a[href$='/money/spending/{proof.pk}/review/']").first.click()
    admin.locator("main form:has(input[name=decision]) button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/admin/spending_proofs/$"))

    visitor = new_page()
    visitor.goto(f"{base}/en{campaign.page.url}")
    expect(visitor.locator(".status-notice-realised")).to_be_visible()
    spending = visitor.locator("table.spending-lines")
    expect(spending).to_contain_text(line.description)
    expect(spending).to_contain_text("480.50")
    expect(visitor.locator("a[href*='/receipts/']")).to_have_count(0)
    screenshot(visitor, "04-realised")
