from django.http import HttpResponse


def health(request):
    """A trivial view: the liveness probe and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")
