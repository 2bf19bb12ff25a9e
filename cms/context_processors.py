from django.conf import settings


def platform(request):
    return {
        "PAYMENT_GATEWAY": settings.PAYMENT_GATEWAY,
        "DEBUG": settings.DEBUG,
        # The lifetime of cached page fragments ({% cache fragment_seconds ... %}).
        "fragment_seconds": settings.WIJKKAPITAAL["FRAGMENT_CACHE_SECONDS"],
    }
