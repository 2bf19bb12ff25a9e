"""Stripe's webhook endpoint: an ordinary view behind the project's middleware."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.jobs import enqueue_stripe_event
from campaigns.payments.webhooks import InvalidWebhook, accept_event

MAX_PAYLOAD_BYTES = 512 * 1024


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify and store the event, answer 200, and enqueue its processing on commit.

    Should the broker be down, the publish error is logged and the stored event waits
    for the sweep; Stripe still gets its 200, so it does not keep resending.
    """
    if request.content_type != "application/json":
        return JsonResponse({"error": "expected application/json"}, status=400)
    declared_length = request.META.get("CONTENT_LENGTH") or "0"
    if not declared_length.isdigit() or int(declared_length) > MAX_PAYLOAD_BYTES:
        return JsonResponse({"error": "payload too large"}, status=400)
    try:
        event, created = accept_event(
            request.body,
            request.headers.get("Stripe-Signature"),
            on_commit=enqueue_stripe_event,
        )
    except InvalidWebhook as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"received": True, "duplicate": not created})
