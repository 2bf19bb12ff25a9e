"""A short-lived cache of anonymous initiative pages.

Pages are cached per URL and language for ``PAGE_CACHE_SECONDS`` (5 s in production),
so a new pledge shows within that time without invalidation plumbing, while bursts of
anonymous traffic on a popular initiative are served from the cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language


def _cache_key(request):
    return f"initiative-page:{get_language()}:{request.get_full_path()}"


def serve_with_page_cache(page, request, serve, *args, **kwargs):
    seconds = settings.WIJKKAPITAAL["PAGE_CACHE_SECONDS"]
    cacheable = (
        seconds > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    )
    if not cacheable:
        return serve(request, *args, **kwargs)
    key = _cache_key(request)
    cached = cache.get(key)
    if cached is not None:
        response = HttpResponse(cached["content"], content_type=cached["content_type"])
        response["X-Page-Cache"] = "hit"
        return response
    response = serve(request, *args, **kwargs)
    if hasattr(response, "render"):
        response = response.render()
    if response.status_code == 200:
        cache.set(
            key,
            {"content": response.content, "content_type": response["Content-Type"]},
            seconds,
        )
        response["X-Page-Cache"] = "miss"
    return response
