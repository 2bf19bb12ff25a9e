"""A guest gives money through the demo's test checkout, in a real browser.

The guest browses the English UI (``/en/...``) without an account. With no Stripe key the
platform uses its own labelled test checkout, whose buttons send signed Stripe-shaped events
into the real webhook path; Celery runs eagerly in the tests, so the event is processed before
the return page loads. The return page still polls with htmx, so the steps wait with expect().
"""

import re

import pytest
from playwright.sync_api import expect

from cms.money import format_money

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INITIATIVE_PATH = "/en/gouda/goverwelle/repair-cafe-goverwelle/"
INITIATIVE_TITLE = "Repair Café Goverwelle"
GUEST_EMAIL = "gast.donateur@example.nl"
PUBLIC_NAME = "Buurman Bram"
MESSAGE = "Veel succes met het repareren!"
AMOUNT_EUROS = 25


def campaign_of_initiative():
    from campaigns.models import Campaign

    return Campaign.objects.select_related("page").get(page__slug="repair-cafe-goverwelle")


def shown_total(page):
    """The raised amount in the progress figures of the initiative's side column."""
    return page.locator(".initiative-side .progress-figures strong")


def supporters_count(page):
    facts = page.locator(
        ".initiative-side > dl.facts > div", has=page.locator("dt:text-is('Supporters')")
    )
    return facts.locator("dd")


def open_initiative(page, base_url, campaign, screenshot, step):
    response = page.goto(f"{base_url}{INITIATIVE_PATH}")
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text(INITIATIVE_TITLE)
    # The shown total is the cached Campaign.raised_cents, in English money format.
    expect(shown_total(page)).to_have_text(format_money(campaign.raised_cents, "EUR", "en"))
    expect(supporters_count(page)).to_have_text(str(campaign.supporter_count))
    screenshot(page, step)


def donate_until_test_checkout(page, base_url, campaign, screenshot):
    """Open the donation form from the initiative page, fill it in and continue to payment."""
    page.locator(".initiative-side a.donate-button").click()
    expect(page).to_have_url(re.compile(rf"/en/initiatives/{campaign.page_id}/donate/$"))
    expect(page.locator("main h1")).to_have_text(f"Support {INITIATIVE_TITLE}")
    page.locator("#id_amount").fill(str(AMOUNT_EUROS))
    page.locator("#id_email").fill(GUEST_EMAIL)
    page.locator("#id_public_name").fill(PUBLIC_NAME)
    page.locator("#id_message").fill(MESSAGE)
    screenshot(page, "02-donation-form")
    page.locator("main form.initiative-form button[type=submit]").click()

    # The test checkout is clearly labelled: no money moves.
    expect(page).to_have_url(re.compile(r"/en/donations/test-checkout/[0-9a-f-]{36}/$"))
    banner = page.locator("main .test-checkout .test-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("no money moves")
    expect(page.locator("main .test-checkout")).to_contain_text(
        f"You are about to give €{AMOUNT_EUROS} to {INITIATIVE_TITLE}."
    )
    screenshot(page, "03-test-checkout")


def new_pledge(campaign, known_ids):
    from campaigns.models import Pledge

    pledges = list(Pledge.objects.filter(campaign=campaign).exclude(pk__in=known_ids))
    assert len(pledges) == 1, pledges
    return pledges[0]


def test_guest_donates_through_the_test_checkout_and_sees_the_new_total(
    live_server, demo_data, new_page, screenshot
):
    from campaigns.models import Campaign, PaymentAttempt, Pledge, WebhookEvent

    base_url = live_server.url
    campaign = campaign_of_initiative()
    assert campaign.status == Campaign.Status.LIVE
    raised_before = campaign.raised_cents
    supporters_before = campaign.supporter_count
    pledge_ids_before = set(Pledge.objects.filter(campaign=campaign).values_list("pk", flat=True))
    event_ids_before = set(WebhookEvent.objects.values_list("pk", flat=True))

    # a. A guest opens the live initiative and notes the total raised so far.
    guest = new_page()
    open_initiative(guest, base_url, campaign, screenshot, "01-initiative-before")
    shown_before = shown_total(guest).inner_text()
    assert int(re.sub(r"\D", "", shown_before)) * 100 == raised_before, shown_before
    expect(guest.locator(".supporters")).not_to_contain_text(PUBLIC_NAME)

    # b. They fill in the donation form and reach the labelled test checkout.
    donate_until_test_checkout(guest, base_url, campaign, screenshot)
    pledge = new_pledge(campaign, pledge_ids_before)
    assert pledge.status == Pledge.Status.PENDING
    assert (pledge.amount_cents, pledge.guest_email, pledge.donor_id) == (
        AMOUNT_EUROS * 100,
        GUEST_EMAIL,
        None,
    )
    assert (pledge.public_name, pledge.message, pledge.is_anonymous) == (
        PUBLIC_NAME,
        MESSAGE,
        False,
    )
    attempt = pledge.attempts.get()
    assert attempt.status == PaymentAttempt.Status.OPEN
    assert guest.url.endswith(f"/en/donations/test-checkout/{attempt.reference}/")

    # c. "Pay (test)" sends a signed checkout.session.completed event; the return page
    # confirms the payment once the webhook is processed.
    guest.locator("main form button[name=outcome][value=pay]").click()
    expect(guest).to_have_url(re.compile(rf"/en/donations/return/{pledge.reference}/$"))
    status = guest.locator("#payment-status")
    expect(status.locator("h1")).to_have_text("Thank you!")
    expect(status).to_have_class(re.compile(r"\bstatus-paid\b"))
    expect(status).to_contain_text(
        f"Your donation of €{AMOUNT_EUROS} to {INITIATIVE_TITLE} has been received."
    )
    screenshot(guest, "04-thank-you")

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PAID
    assert pledge.paid_at is not None
    attempt.refresh_from_db()
    assert attempt.status == PaymentAttempt.Status.PAID
    event = WebhookEvent.objects.exclude(pk__in=event_ids_before).get()
    assert event.type == "checkout.session.completed"
    assert event.processed_at is not None
    assert event.outcome == WebhookEvent.Outcome.APPLIED
    campaign.refresh_from_db()
    assert campaign.raised_cents == raised_before + AMOUNT_EUROS * 100
    assert campaign.supporter_count == supporters_before + 1
    assert set(Pledge.objects.filter(campaign=campaign).values_list("pk", flat=True)) == (
        pledge_ids_before | {pledge.pk}
    )

    # d. Back on the initiative page: the new total, and the guest among the supporters.
    status.locator("a", has_text="Back to the initiative").click()
    expect(guest).to_have_url(re.compile(rf"{re.escape(INITIATIVE_PATH)}$"))
    expect(shown_total(guest)).to_have_text(
        format_money(raised_before + AMOUNT_EUROS * 100, "EUR", "en")
    )
    shown_after = shown_total(guest).inner_text()
    assert int(re.sub(r"\D", "", shown_after)) == int(re.sub(r"\D", "", shown_before)) + 25
    expect(supporters_count(guest)).to_have_text(str(supporters_before + 1))
    supporter = guest.locator(".supporters li", has_text=PUBLIC_NAME)
    expect(supporter).to_have_count(1)
    expect(supporter.locator("strong")).to_have_text(PUBLIC_NAME)
    expect(supporter).to_have_text(f"{PUBLIC_NAME}: “{MESSAGE}”")
    # The guest's e-mail address is never shown.
    expect(guest.locator("main")).not_to_contain_text(GUEST_EMAIL)
    screenshot(guest, "05-initiative-after")

    # A fresh visitor (no shared cookies or cache) sees the same.
    visitor = new_page()
    open_initiative(visitor, base_url, campaign, screenshot, "06-fresh-visitor")
    expect(visitor.locator(".supporters li", has_text=PUBLIC_NAME)).to_have_count(1)


def test_guest_payment_fails_in_the_test_checkout_and_nothing_is_counted(
    live_server, demo_data, new_page, screenshot
):
    from campaigns.models import PaymentAttempt, Pledge, WebhookEvent

    base_url = live_server.url
    campaign = campaign_of_initiative()
    raised_before = campaign.raised_cents
    supporters_before = campaign.supporter_count
    pledge_ids_before = set(Pledge.objects.filter(campaign=campaign).values_list("pk", flat=True))
    event_ids_before = set(WebhookEvent.objects.values_list("pk", flat=True))

    guest = new_page()
    open_initiative(guest, base_url, campaign, screenshot, "01-initiative-before")
    donate_until_test_checkout(guest, base_url, campaign, screenshot)
    pledge = new_pledge(campaign, pledge_ids_before)

    # "Fail (test)" sends a signed checkout.session.async_payment_failed event.
    guest.locator("main form button[name=outcome][value=fail]").click()
    expect(guest).to_have_url(re.compile(rf"/en/donations/return/{pledge.reference}/"))
    status = guest.locator("#payment-status")
    expect(status.locator("h1")).to_have_text("The payment did not go through")
    expect(status).to_contain_text("No money was taken. You can try again.")
    try_again = status.locator(
        f"form[action$='/donations/retry/{pledge.reference}/'] button[type=submit]"
    )
    expect(try_again).to_have_text("Try again")
    expect(status.locator("h1", has_text="Thank you!")).to_have_count(0)
    screenshot(guest, "04-payment-failed")

    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.FAILED
    assert pledge.paid_at is None
    assert pledge.attempts.get().status == PaymentAttempt.Status.FAILED
    event = WebhookEvent.objects.exclude(pk__in=event_ids_before).get()
    assert event.type == "checkout.session.async_payment_failed"
    assert event.processed_at is not None
    assert event.outcome == WebhookEvent.Outcome.APPLIED
    campaign.refresh_from_db()
    assert campaign.raised_cents == raised_before
    assert campaign.supporter_count == supporters_before

    # No money counted on the initiative page, and the guest is not listed as a supporter.
    visitor = new_page()
    open_initiative(visitor, base_url, campaign, screenshot, "05-initiative-unchanged")
    expect(visitor.locator(".supporters")).not_to_contain_text(PUBLIC_NAME)

    # "Try again" opens a new attempt at the test checkout; still nothing counted.
    try_again.click()
    expect(guest).to_have_url(re.compile(r"/en/donations/test-checkout/[0-9a-f-]{36}/$"))
    expect(guest.locator("main .test-checkout .test-banner")).to_be_visible()
    expect(guest.locator("main .test-checkout .note")).to_have_count(0)
    screenshot(guest, "06-try-again-checkout")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PENDING
    latest = pledge.attempts.order_by("-created_at", "-pk").first()
    assert latest.status == PaymentAttempt.Status.OPEN
    assert guest.url.endswith(f"/en/donations/test-checkout/{latest.reference}/")
    assert pledge.attempts.count() == 2
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (raised_before, supporters_before)
