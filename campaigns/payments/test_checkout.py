"""Build the Stripe-shaped, signed events the demo's test checkout sends to the webhook."""

import json
import secrets
import time

import stripe
from django.conf import settings

API_VERSION = "2026-08-27.basil"


def checkout_event(attempt, event_type, payment_status):
    pledge = attempt.pledge
    session = {
        "id": attempt.checkout_session_id,
        "object": "checkout.session",
        "amount_total": attempt.amount_cents,
        "amount_subtotal": attempt.amount_cents,
        "currency": attempt.currency.lower(),
        "client_reference_id": str(pledge.reference),
        "customer_email": pledge.email or None,
        "livemode": False,
        "metadata": {"pledge_id": str(pledge.pk), "attempt": str(attempt.reference)},
        "mode": "payment",
        "payment_intent": attempt.payment_intent_id,
        "payment_method_types": ["ideal", "card", "bancontact"],
        "payment_status": payment_status,
        "status": "complete" if payment_status == "paid" else "expired",
    }
    return {
        "id": f"evt_test_local_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": session},
    }


def signed(event):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, settings.STRIPE_WEBHOOK_SECRET
    )
    return payload, header
