"""Payment gateways: real Stripe, or the labelled test checkout of the embedded demo.

Both expose the same small interface, so services never know which one runs. Every
write to Stripe carries an idempotency key; amounts always come from the pledge.
"""

import secrets
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.urls import reverse

PAYMENT_METHOD_TYPES = ["ideal", "card", "bancontact"]
STRIPE_LOCALES = {"nl": "nl", "en": "en"}


@dataclass
class CheckoutSession:
    id: str
    url: str
    payment_intent_id: str = ""


@dataclass
class RefundResult:
    id: str
    status: str


LIVE_KEY_PREFIXES = ("sk_live_", "rk_live_")


def uses_live_key():
    """Whether the configured Stripe key is a live one (secret or restricted key).

    Without a key (the test checkout) or with a test key, the platform is in test mode.
    """
    return settings.STRIPE_SECRET_KEY.startswith(LIVE_KEY_PREFIXES)


class GatewayError(Exception):
    """The gateway could not be reached or refused the request; safe to retry."""


class StripeGateway:
    name = "stripe"

    def __init__(self):
        addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        self.client = stripe.StripeClient(
            settings.STRIPE_SECRET_KEY, base_addresses=addresses, max_network_retries=0
        )

    def create_checkout_session(self, *, attempt, pledge, campaign_title, success_url, cancel_url):
        params = {
            "mode": "payment",
            "payment_method_types": PAYMENT_METHOD_TYPES,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": pledge.currency.lower(),
                        "unit_amount": pledge.amount_cents,
                        "product_data": {"name": campaign_title[:250]},
                    },
                }
            ],
            "locale": STRIPE_LOCALES.get(pledge.language, "auto"),
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(pledge.reference),
            "metadata": {"pledge_id": str(pledge.pk), "attempt": str(attempt.reference)},
            "payment_intent_data": {"metadata": {"pledge_id": str(pledge.pk)}},
        }
        if pledge.email:
            params["customer_email"] = pledge.email
        try:
            session = self.client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": attempt.idempotency_key}
            )
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error
        return CheckoutSession(
            id=session.id, url=session.url or "", payment_intent_id=_id_of(session.payment_intent)
        )

    def create_refund(self, *, payment_intent_id, amount_cents, idempotency_key, pledge_id):
        try:
            refund = self.client.v1.refunds.create(
                params={
                    "payment_intent": payment_intent_id,
                    "amount": amount_cents,
                    "metadata": {"pledge_id": str(pledge_id)},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error
        return RefundResult(id=refund.id, status=refund.status)

    def retrieve_checkout_session(self, session_id):
        try:
            return self.client.v1.checkout.sessions.retrieve(session_id)
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error

    def retrieve_refund(self, refund_id):
        try:
            return self.client.v1.refunds.retrieve(refund_id)
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error


class TestCheckoutGateway:
    """The embedded demo's checkout: no money moves, and the page says so.

    Its pay and fail buttons send signed Stripe-shaped events into the real webhook path.
    """

    name = "test_checkout"

    def create_checkout_session(self, *, attempt, pledge, campaign_title, success_url, cancel_url):
        session_id = f"cs_test_local_{secrets.token_hex(12)}"
        url = reverse("payments:test_checkout", args=[attempt.reference])
        return CheckoutSession(
            id=session_id, url=url, payment_intent_id=f"pi_test_local_{pledge.pk}"
        )

    def create_refund(self, *, payment_intent_id, amount_cents, idempotency_key, pledge_id):
        return RefundResult(id=f"re_test_local_{idempotency_key}", status="succeeded")

    def retrieve_checkout_session(self, session_id):
        return None

    def retrieve_refund(self, refund_id):
        return None


def _id_of(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else getattr(value, "id", "")


def get_gateway():
    if settings.PAYMENT_GATEWAY == "stripe":
        return StripeGateway()
    return TestCheckoutGateway()
