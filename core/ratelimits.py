"""Rate limits on the views that create rows or send mail, per client IP and per account.

Built on django-ratelimit's counters (``get_usage``). The client's address comes from
allauth's adapter, so ``ALLAUTH_TRUSTED_PROXY_COUNT`` (or ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``)
governs the login limits and these alike. Rates are ``WIJKKAPITAAL["RATE_LIMITS"]``, one
entry per group: ``{"ip": "20/h", "user": "10/h"}``.

``@rate_limited("donations")`` counts every POST and answers the one over the limit with
429 before the view runs, so nothing is written and the browser still holds the form.
"""

import logging
import math
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address by allauth's rule (``RATELIMIT_IP_META_KEY`` points here)."""
    return get_adapter(request).get_client_ip(request)


def _account(group, request):
    return f"user:{request.user.pk}"


def seconds_to_wait(request, group):
    """Count this request in ``group``; the seconds until it may retry, or None when allowed.

    A cache that cannot be reached lets the request through: a rate limit must never be the
    reason a donation or a sign-up is lost.
    """
    rates = settings.WIJKKAPITAAL["RATE_LIMITS"][group]
    keys = {"ip": "ip"}
    if request.user.is_authenticated:
        keys["user"] = _account
    waits = []
    for per, key in keys.items():
        if not rates.get(per):
            continue
        try:
            usage = get_usage(
                request, group=f"{group}:{per}", key=key, rate=rates[per], increment=True
            )
        except Exception:  # the cache backend's own connection errors
            logger.warning("Rate limit %s not checked: the cache is unavailable", group)
            continue
        if usage and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return max(waits) if waits else None


def too_many_requests(request, wait_seconds):
    """The 429 page, or for htmx a short notice placed above the element that asked."""
    context = {"minutes": max(1, math.ceil(wait_seconds / 60))}
    if getattr(request, "htmx", False):
        response = render(request, "includes/429.html", context, status=429)
        response["HX-Reswap"] = "beforebegin"
    else:
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(int(wait_seconds))
    return response


def rate_limited(group):
    """Decorate a view: its POSTs count towards ``group``'s limits (put it under login_required)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                wait = seconds_to_wait(request, group)
                if wait is not None:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
