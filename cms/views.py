from django.http import Http404, HttpResponse
from django.shortcuts import render


def health(request):
    """A trivial view: the liveness probe and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


class NotFoundWithMessage(Http404):
    """A 404 whose message is written for the visitor (and translated), not for developers."""


def page_not_found(request, exception):
    message = str(exception) if isinstance(exception, NotFoundWithMessage) else ""
    return render(request, "404.html", {"message": message}, status=404)
