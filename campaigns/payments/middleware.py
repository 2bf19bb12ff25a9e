"""Stripe's webhook, answered before the browser-facing middleware runs."""

from django.urls import reverse

from campaigns.views.webhook import stripe_webhook


class StripeWebhookMiddleware:
    """Serve ``/stripe/webhook/`` right after ``SecurityMiddleware``.

    The webhook is a machine endpoint: it reads no session, language, CSRF token, user,
    flash message or cached page, and during a burst of payments it is the busiest
    request there is, so the rest of the stack would only cost time. The host is still
    checked against ``ALLOWED_HOSTS``, as ``CommonMiddleware`` would do.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._path = None

    def __call__(self, request):
        if self._path is None:
            self._path = reverse("stripe_webhook")
        if request.path != self._path:
            return self.get_response(request)
        request.get_host()  # raises DisallowedHost (answered 400) for a foreign host
        return stripe_webhook(request)
