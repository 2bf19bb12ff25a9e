from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def health(request):
    """A trivial view: the liveness probe and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers and crawlers that ignore the pages' ``<link rel="icon">`` still ask here."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, max_age=24 * 60 * 60)  # a day: the target's name is hashed
    return response


class NotFoundWithMessage(Http404):
    """A 404 whose message is written for the visitor (and translated), not for developers."""


def page_not_found(request, exception):
    message = str(exception) if isinstance(exception, NotFoundWithMessage) else ""
    return render(request, "404.html", {"message": message}, status=404)
