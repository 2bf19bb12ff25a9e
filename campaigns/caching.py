"""A short-lived cache of anonymous initiative pages, checked before any routing.

:class:`AnonymousPageCacheMiddleware` sits near the top of the middleware stack. For an
anonymous GET (no session and no flash-message cookie) it answers from the cache before
sessions, authentication or Wagtail's page lookup run. Only responses that a view marked
with :func:`allow_page_cache` are stored, and only when they set no cookies, so nothing
personal is ever shared. Entries live ``PAGE_CACHE_SECONDS`` and are also dropped when an
initiative's totals change (:func:`forget_initiative_page`), so a new pledge shows at once
on a shared cache (Redis) and within the TTL otherwise.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

PERSONAL_COOKIES = ("messages",)
CACHE_PREFIX = "page-cache:"


def _seconds():
    return settings.WIJKKAPITAAL["PAGE_CACHE_SECONDS"]


def _key(path):
    return f"{CACHE_PREFIX}{path}"


def _is_anonymous_get(request):
    if request.method != "GET" or request.GET:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def allow_page_cache(response):
    response.page_cacheable = True
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        cacheable_request = seconds > 0 and _is_anonymous_get(request)
        if cacheable_request:
            cached = cache.get(_key(request.path))
            if cached is not None:
                response = HttpResponse(cached["content"], content_type=cached["content_type"])
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if (
            cacheable_request
            and getattr(response, "page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(
                _key(request.path),
                {"content": response.content, "content_type": response["Content-Type"]},
                seconds,
            )
            response["X-Page-Cache"] = "miss"
        return response


def forget_initiative_page(page_id):
    """Drop the cached copies of an initiative page in every language."""
    from django.urls import translate_url

    from campaigns.models import InitiativePage

    page = InitiativePage.objects.filter(pk=page_id).only("url_path", "path").first()
    url = page.get_url() if page is not None else None
    if not url:
        return
    cache.delete_many([_key(translate_url(url, code)) for code, _name in settings.LANGUAGES])


class _ForgetPageOnCommit:
    def __init__(self, page_id):
        self.page_id = page_id
        self.pending = True

    def pending_for(self, page_id):
        return self.pending and self.page_id == page_id

    def __call__(self):
        self.pending = False
        forget_initiative_page(self.page_id)


def forget_initiative_page_on_commit(page_id):
    """Drop the cached copies once the change that affects the page has committed.

    Once per page per transaction: a batch of webhook events for one campaign drops its
    page once. Django removes the callbacks of a rolled-back savepoint from
    ``run_on_commit``, so a pending callback still listed there will run.
    """
    from django.db import transaction

    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if isinstance(callback, _ForgetPageOnCommit) and callback.pending_for(page_id):
            return
    transaction.on_commit(_ForgetPageOnCommit(page_id), robust=True)
