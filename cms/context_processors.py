from django.conf import settings


def platform(request):
    return {
        "PAYMENT_GATEWAY": settings.PAYMENT_GATEWAY,
        "DEBUG": settings.DEBUG,
    }
