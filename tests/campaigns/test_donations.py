"""Donating: the form, the Checkout Session at (fake) Stripe, the test checkout, "My donations".

The real ``stripe`` SDK talks to the fake Stripe server of ``tests/stripe_fake.py``.
"""

import datetime
import html

import pytest
import time_machine
from django.utils import timezone, translation

from campaigns.models import AuditEntry, Campaign, PaymentAttempt, Pledge, WebhookEvent
from campaigns.services import ledger_totals
from tests.factories import PledgeFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

GUEST = {
    "amount": "25",
    "email": "gast@example.nl",
    "public_name": "Gast uit de wijk",
    "message": "Succes ermee!",
}


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def campaign(neighbourhood):
    return make_initiative(neighbourhood, title="Buurtmoestuin", goal_cents=1_000_00)


def donate_url(campaign, prefix=""):
    return f"{prefix}/initiatives/{campaign.page_id}/donate/"


def body(response):
    return response.content.decode()


def in_page(message, response):
    """A message as the template renders it (auto-escaped)."""
    return html.escape(str(message)) in body(response)


# --- to Stripe ---------------------------------------------------------------------------------


def test_guest_donation_creates_a_pending_pledge_and_goes_to_stripe(client, campaign, fake_stripe):
    response = client.post(
        donate_url(campaign),
        # Amounts never come from the browser's hidden fields, only from the typed amount.
        {**GUEST, "amount": "25,50", "amount_cents": "1", "unit_amount": "1"},
    )

    pledge = Pledge.objects.get()
    attempt = pledge.attempts.get()
    (request,) = fake_stripe.checkout_requests
    assert response.status_code == 302
    assert (
        response["Location"] == f"https://checkout.stripe.com/c/pay/{attempt.checkout_session_id}"
    )
    assert attempt.checkout_session_id in fake_stripe.sessions
    assert (pledge.status, pledge.amount_cents, pledge.currency) == ("pending", 25_50, "EUR")
    assert (pledge.donor, pledge.guest_email, pledge.language) == (None, "gast@example.nl", "nl")
    assert (pledge.public_name, pledge.message) == ("Gast uit de wijk", "Succes ermee!")
    assert attempt.status == PaymentAttempt.Status.OPEN
    assert attempt.gateway == "stripe"
    assert attempt.amount_cents == 25_50
    assert attempt.checkout_url == response["Location"]
    assert (
        attempt.payment_intent_id
        == fake_stripe.sessions[attempt.checkout_session_id]["payment_intent"]
    )

    params = request.params
    item = params["line_items"][0]
    assert item["price_data"]["unit_amount"] == "2550"
    assert item["price_data"]["currency"] == "eur"
    assert item["quantity"] == "1"
    assert params["mode"] == "payment"
    assert params["metadata"]["pledge_id"] == str(pledge.pk)
    assert params["payment_intent_data"]["metadata"]["pledge_id"] == str(pledge.pk)
    assert params["client_reference_id"] == str(pledge.reference)
    assert params["payment_method_types"] == ["ideal", "card", "bancontact"]
    assert params["locale"] == "nl"
    assert params["customer_email"] == "gast@example.nl"
    assert params["success_url"] == (
        f"http://testserver/donations/return/{pledge.reference}/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert params["cancel_url"].endswith(f"/donations/return/{pledge.reference}/?cancelled=1")
    assert request.header("Idempotency-Key") == f"checkout-{attempt.reference}"
    assert request.header("Authorization") == "Bearer sk_test_wijkkapitaal_fake"

    # Nothing is paid, or counted, until Stripe's verified event arrives.
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (0, 0)
    assert WebhookEvent.objects.count() == 0
    assert AuditEntry.objects.filter(object_id=str(pledge.pk), action="pledge_created").exists()


def test_english_donation_asks_stripe_for_an_english_checkout(client, campaign, fake_stripe):
    response = client.post(donate_url(campaign, "/en"), GUEST)

    assert response.status_code == 302
    pledge = Pledge.objects.get()
    (request,) = fake_stripe.checkout_requests
    assert pledge.language == "en"
    assert request.params["locale"] == "en"
    assert f"/en/donations/return/{pledge.reference}/" in request.params["success_url"]


def test_logged_in_donation_belongs_to_the_user(client, campaign, fake_stripe):
    user = UserFactory(email="jan@example.nl")
    client.force_login(user)

    form_page = client.get(donate_url(campaign, "/en"))
    response = client.post(
        donate_url(campaign, "/en"), {"amount": "10", "is_anonymous": "on", "message": ""}
    )

    assert 'name="email"' not in body(form_page)
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.donor, pledge.guest_email, pledge.is_anonymous) == (user, "", True)
    assert pledge.public_name == ""
    (request,) = fake_stripe.checkout_requests
    assert request.params["customer_email"] == "jan@example.nl"
    assert request.params["line_items"][0]["price_data"]["unit_amount"] == "1000"


@pytest.mark.parametrize("amount", ["5", "5,00", "€ 5000", "5000.00"])
def test_the_limits_themselves_are_accepted(client, campaign, fake_stripe, amount):
    response = client.post(donate_url(campaign), {**GUEST, "amount": amount})

    assert response.status_code == 302
    assert Pledge.objects.get().amount_cents in (5_00, 5_000_00)


# --- refused input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("4.99", "The amount must be at least €5."),
        ("4,99", "The amount must be at least €5."),
        ("5000.01", "The amount can be at most €5,000."),
        ("-10", "The amount must be more than zero."),
        ("0", "The amount must be more than zero."),
        ("abc", "Enter an amount in euros, for example 250 or 12,50."),
        ("10.001", "An amount has at most two decimals (cents)."),
        ("", "This field is required."),
    ],
    ids=[
        "under-min",
        "under-min-comma",
        "over-max",
        "negative",
        "zero",
        "text",
        "3-decimals",
        "empty",
    ],
)
def test_bad_amount_is_refused_with_a_clear_message(client, campaign, fake_stripe, amount, message):
    response = client.post(donate_url(campaign, "/en"), {**GUEST, "amount": amount})

    assert response.status_code == 400
    assert response.context["form"].errors["amount"] == [message]
    assert in_page(message, response)
    assert "Please check the form" in body(response)
    assert Pledge.objects.count() == 0
    assert fake_stripe.requests == []


def test_bad_amount_message_is_dutch_by_default(client, campaign, fake_stripe):
    response = client.post(donate_url(campaign), {**GUEST, "amount": "4,99"})

    assert response.status_code == 400
    assert in_page("Het bedrag moet minstens €\xa05 zijn.", response)
    assert Pledge.objects.count() == 0


def test_configured_maximum_is_enforced(client, campaign, fake_stripe, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "MAX_DONATION_CENTS": 100_00}

    refused = client.post(donate_url(campaign, "/en"), {**GUEST, "amount": "100.01"})
    accepted = client.post(donate_url(campaign, "/en"), {**GUEST, "amount": "100"})

    assert refused.status_code == 400
    assert in_page("The amount can be at most €100.", refused)
    assert accepted.status_code == 302
    assert list(Pledge.objects.values_list("amount_cents", flat=True)) == [100_00]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        (
            {"public_name": ""},
            "public_name",
            "Give a name to show, or choose to donate anonymously.",
        ),
    ],
    ids=["no-email", "bad-email", "no-name"],
)
def test_incomplete_guest_donation_is_refused(
    client, campaign, fake_stripe, changes, field, message
):
    response = client.post(donate_url(campaign, "/en"), {**GUEST, **changes})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert in_page(message, response)
    assert Pledge.objects.count() == 0
    assert fake_stripe.requests == []


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.IN_REVIEW])
def test_campaign_that_is_not_public_has_no_donation_form(
    client, neighbourhood, fake_stripe, status
):
    campaign = make_initiative(neighbourhood, status=status)

    assert client.get(donate_url(campaign)).status_code == 404
    assert client.post(donate_url(campaign), GUEST).status_code == 404
    assert Pledge.objects.count() == 0


@pytest.mark.parametrize(
    "status", [Campaign.Status.FAILED, Campaign.Status.SUCCEEDED, Campaign.Status.CANCELLED]
)
def test_closed_campaign_refuses_donations(client, neighbourhood, fake_stripe, status):
    campaign = make_initiative(neighbourhood, status=status)
    message = "This initiative is not accepting donations right now."

    shown = client.get(donate_url(campaign, "/en"))
    response = client.post(donate_url(campaign, "/en"), GUEST)

    assert shown.status_code == 200
    assert message in body(shown)
    assert response.status_code == 400
    assert message in body(response)
    assert Pledge.objects.count() == 0
    assert fake_stripe.requests == []


def test_campaign_past_its_deadline_refuses_donations(client, campaign, fake_stripe):
    deadline = campaign.page.deadline
    last_minute = timezone.make_aware(
        datetime.datetime.combine(deadline, datetime.time(23, 59)), timezone.get_default_timezone()
    )

    with time_machine.travel(last_minute, tick=False):
        on_time = client.post(donate_url(campaign, "/en"), GUEST)
    with time_machine.travel(last_minute + datetime.timedelta(minutes=2), tick=False):
        late = client.post(donate_url(campaign, "/en"), GUEST)

    assert on_time.status_code == 302
    assert late.status_code == 400
    assert "This initiative is not accepting donations right now." in body(late)
    assert Pledge.objects.count() == 1
    assert len(fake_stripe.checkout_requests) == 1


# --- Stripe unreachable ----------------------------------------------------------------------


def _assert_saved_with_error(response, client):
    pledge = Pledge.objects.get()
    attempt = pledge.attempts.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/donations/return/{pledge.reference}/"
    assert pledge.status == Pledge.Status.PENDING
    assert attempt.status == PaymentAttempt.Status.ERROR
    assert attempt.checkout_session_id == ""
    assert attempt.error
    shown = client.get(response["Location"])
    assert shown.status_code == 200
    assert (
        "The payment provider cannot be reached. Your donation is saved; please try again."
        in body(shown)
    )
    return pledge, attempt, shown


def test_stripe_error_keeps_the_pledge_and_tells_the_donor(client, campaign, fake_stripe):
    fake_stripe.fail_checkouts(1)

    response = client.post(donate_url(campaign, "/en"), GUEST)

    pledge, attempt, _shown = _assert_saved_with_error(response, client)
    assert "fake Stripe outage" in attempt.error
    assert len(fake_stripe.checkout_requests) == 1


def test_stripe_unreachable_keeps_the_pledge_and_tells_the_donor(client, campaign, fake_stripe):
    fake_stripe.stop()

    response = client.post(donate_url(campaign, "/en"), GUEST)

    _pledge, attempt, _shown = _assert_saved_with_error(response, client)
    assert "Connection" in attempt.error or "connect" in attempt.error


def test_donor_can_retry_after_stripe_was_down(client, campaign, fake_stripe):
    fake_stripe.fail_checkouts(1)
    response = client.post(donate_url(campaign, "/en"), GUEST)
    pledge, _attempt, _shown = _assert_saved_with_error(response, client)

    retried = client.post(f"/en/donations/retry/{pledge.reference}/")

    assert retried.status_code == 302
    assert retried["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert Pledge.objects.count() == 1
    statuses = sorted(pledge.attempts.values_list("status", flat=True))
    assert statuses == [PaymentAttempt.Status.ERROR, PaymentAttempt.Status.OPEN]
    keys = [r.header("Idempotency-Key") for r in fake_stripe.checkout_requests]
    assert len(keys) == len(set(keys)) == 2


def test_return_page_offers_a_retry_when_the_checkout_could_not_start(
    client, campaign, fake_stripe
):
    """After a Stripe outage the pledge is pending with only a failed ("error") attempt.
    The return page must not claim it is confirming a payment that never started; it
    should offer the retry that the message ("please try again") asks for."""
    fake_stripe.fail_checkouts(1)
    response = client.post(donate_url(campaign, "/en"), GUEST)
    pledge, _attempt, shown = _assert_saved_with_error(response, client)

    assert f'action="/en/donations/retry/{pledge.reference}/"' in body(shown)
    assert "We are confirming your payment" not in body(shown)


# --- the embedded demo's test checkout ----------------------------------------------------


@pytest.fixture
def test_checkout(settings):
    settings.PAYMENT_GATEWAY = "test_checkout"


def _start_test_checkout(client, campaign):
    response = client.post(donate_url(campaign, "/en"), GUEST)
    attempt = PaymentAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/donations/test-checkout/{attempt.reference}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "TEST CHECKOUT: no money moves." in body(page)
    return response["Location"], attempt


def test_test_checkout_pay_goes_through_a_stored_webhook_event(
    client, campaign, test_checkout, django_capture_on_commit_callbacks
):
    url, attempt = _start_test_checkout(client, campaign)

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(url, {"outcome": "pay"})

    pledge = Pledge.objects.get()
    assert paid.status_code == 302
    assert paid["Location"] == f"/en/donations/return/{pledge.reference}/"
    assert pledge.status == Pledge.Status.PAID
    event = WebhookEvent.objects.get()
    assert event.type == "checkout.session.completed"
    assert event.outcome == WebhookEvent.Outcome.APPLIED
    assert event.payload["data"]["object"]["metadata"]["pledge_id"] == str(pledge.pk)
    assert event.payload["data"]["object"]["amount_total"] == 25_00
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == (25_00, 1)
    assert ledger_totals(campaign) == (25_00, 1)
    assert "Thank you!" in body(client.get(paid["Location"]))

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"outcome": "pay"})

    assert again.status_code == 302
    assert WebhookEvent.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.raised_cents == 25_00


def test_test_checkout_fail_fails_the_pledge(
    client, campaign, test_checkout, django_capture_on_commit_callbacks
):
    url, attempt = _start_test_checkout(client, campaign)

    with django_capture_on_commit_callbacks(execute=True):
        failed = client.post(url, {"outcome": "fail"})

    pledge = Pledge.objects.get()
    assert failed["Location"] == f"/en/donations/return/{pledge.reference}/?cancelled=1"
    assert pledge.status == Pledge.Status.FAILED
    assert WebhookEvent.objects.get().type == "checkout.session.async_payment_failed"
    assert "The payment did not go through" in body(client.get(failed["Location"]))
    campaign.refresh_from_db()
    assert campaign.raised_cents == 0


def test_test_checkout_refuses_an_unknown_outcome(client, campaign, test_checkout):
    url, _attempt = _start_test_checkout(client, campaign)

    assert client.post(url, {"outcome": "paid-please"}).status_code == 400
    assert Pledge.objects.get().status == Pledge.Status.PENDING


def test_test_checkout_does_not_exist_with_real_stripe(
    client, campaign, test_checkout, settings, django_capture_on_commit_callbacks
):
    url, attempt = _start_test_checkout(client, campaign)
    settings.PAYMENT_GATEWAY = "stripe"

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(url, {"outcome": "pay"})

    assert client.get(url).status_code == 404
    assert paid.status_code == 404
    assert Pledge.objects.get().status == Pledge.Status.PENDING
    assert WebhookEvent.objects.count() == 0


# --- My donations -----------------------------------------------------------------------------


def test_my_donations_lists_my_pledges_with_their_status_only(client, neighbourhood):
    me, someone = UserFactory(), UserFactory()
    garden = make_initiative(neighbourhood, title="Buurtmoestuin")
    bench = make_initiative(neighbourhood, title="Bankje bij de vijver")
    secret = make_initiative(neighbourhood, title="Geheim project")
    PledgeFactory(campaign=garden, donor=me, guest_email="", amount_cents=12_50)
    PledgeFactory(
        campaign=bench, donor=me, guest_email="", amount_cents=30_00, status="pending", paid_at=None
    )
    PledgeFactory(campaign=secret, donor=someone, guest_email="", amount_cents=99_00)
    PledgeFactory(campaign=secret, guest_email=me.email, amount_cents=7_00)  # not logged in
    client.force_login(me)

    response = client.get("/en/donations/mine/")

    page = body(response)
    assert response.status_code == 200
    assert "Buurtmoestuin" in page and "Bankje bij de vijver" in page
    assert "Geheim project" not in page
    assert "€12.50" in page and "€30" in page
    assert "€99" not in page
    assert 'status status-paid">Paid<' in page
    assert 'status status-pending">Pending<' in page
    assert list(response.context["pledges"]) == list(
        Pledge.objects.filter(donor=me).order_by("-created_at")
    )


def test_my_donations_needs_a_login(client):
    site_tree()

    response = client.get("/en/donations/mine/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_donations_in_dutch_shows_dutch_statuses(client, neighbourhood):
    me = UserFactory()
    PledgeFactory(campaign=make_initiative(neighbourhood), donor=me, guest_email="")
    client.force_login(me)

    response = client.get("/donations/mine/")

    assert 'status status-paid">Betaald<' in body(response)


# --- Dutch by default -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "This initiative is not accepting donations right now.",
        "The payment provider cannot be reached. Your donation is saved; please try again.",
        "We cannot find this donation. Please check the link.",
        "Give a name to show, or choose to donate anonymously.",
        "We are confirming your payment",
        "The payment did not go through",
        "Thank you!",
        "Continue to payment",
        "My donations",
    ],
)
def test_donor_facing_messages_have_a_dutch_translation(message):
    with translation.override("nl"):
        assert translation.gettext(message) != message
