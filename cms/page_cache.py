"""A short-lived cache of public pages for anonymous visitors, answered before any routing.

:class:`AnonymousPageCacheMiddleware` sits near the top of the middleware stack. For an
anonymous GET without a query string (no session and no flash-message cookie) it answers
from the cache before sessions, authentication or Wagtail's page lookup run. Only
responses that a view marked with :func:`allow_page_cache` (the public pages, through
:class:`CachedPageMixin`, and the initiative listing) are stored, and only when they set
no cookies, so nothing personal is ever shared.

An entry is keyed on the request's host, language and path, so a page of one site is
never served for another. It keeps the response's status, body and every header the
middleware below it set (``X-Frame-Options``, ``Vary``, ``Content-Language``, and the
``Content-Security-Policy`` of django-csp's middleware, which sits below this one), except
cookies, and a hit replays them.

Entries live ``PAGE_CACHE_SECONDS``. :func:`forget_paths` drops the entries of some paths
on every host at once: each path has a generation token, stored beside its entries and
read with them in one round trip; a new token makes the old entries unreachable.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

PERSONAL_COOKIES = ("messages",)
ENTRY_PREFIX = "page-cache:"
GENERATION_PREFIX = "page-cache-generation:"
GENERATION_SECONDS = 24 * 60 * 60
NOT_REPLAYED_HEADERS = {"set-cookie", "x-page-cache"}


def page_cache_seconds():
    return settings.WIJKKAPITAAL["PAGE_CACHE_SECONDS"]


def _digest(*parts):
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def entry_key(host, path):
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    return ENTRY_PREFIX + _digest(host.lower(), language, path)


def generation_key(path):
    return GENERATION_PREFIX + _digest(path)


def _is_anonymous_get(request):
    if request.method != "GET" or request.GET:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def allow_page_cache(response):
    """Let the middleware store this response for anonymous visitors."""
    response.page_cacheable = True
    return response


def forget_paths(paths):
    """Drop the cached copies of these paths, on every host and in one cache call."""
    cache.set_many({generation_key(path): uuid.uuid4().hex for path in paths}, GENERATION_SECONDS)


def _replay(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _generation(path, current):
    if current is not None:
        return current
    cache.add(generation_key(path), uuid.uuid4().hex, GENERATION_SECONDS)
    return cache.get(generation_key(path))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_seconds()
        if seconds <= 0 or not _is_anonymous_get(request):
            return self.get_response(request)
        key, path_generation = (
            entry_key(request.get_host(), request.path),
            generation_key(request.path),
        )
        found = cache.get_many([key, path_generation])
        entry, generation = found.get(key), found.get(path_generation)
        if entry is not None and generation is not None and entry["generation"] == generation:
            return _replay(entry)
        response = self.get_response(request)
        if self._storable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_REPLAYED_HEADERS
            ]
            entry = {
                "generation": _generation(request.path, generation),
                "status": response.status_code,
                "content": response.content,
                "headers": headers,
            }
            cache.set(key, entry, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(response):
        return (
            getattr(response, "page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        )


class CachedPageMixin:
    """A Wagtail page whose public views the page cache may keep for anonymous visitors.

    Wagtail's view restrictions run before ``serve``: a restricted page answers with its
    login redirect or password form instead, which is never marked, and a visitor who
    passed a restriction carries a session cookie, so never reads the cache.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not request.user.is_authenticated and not getattr(request, "is_preview", False):
            allow_page_cache(response)
        return response
