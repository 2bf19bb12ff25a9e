from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.payments.webhooks import InvalidWebhook, accept_event

MAX_PAYLOAD_BYTES = 512 * 1024


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify, store and acknowledge; the event is processed afterwards by a Celery job."""
    if request.content_type != "application/json":
        return JsonResponse({"error": "expected application/json"}, status=400)
    if len(request.body) > MAX_PAYLOAD_BYTES:
        return JsonResponse({"error": "payload too large"}, status=400)
    try:
        event, created = accept_event(request.body, request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"received": True, "duplicate": not created})
