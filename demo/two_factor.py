"""The demo's staff log in with a published authenticator-app secret.

The admin requires two-factor authentication (``WIJKKAPITAAL["ADMIN_REQUIRES_2FA"]``, kept
on in the demo), so the demo moderator and treasurers get a TOTP authenticator with this
secret. Add it to any authenticator app, or print the current code with
``manage.py demo_totp_code``. Demo only: the secret is public, like the demo passwords.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

DEMO_TOTP_SECRET = "WIJKDEMOWIJKDEMOWIJKDEMOWIJKDEMO"


def ensure_totp(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def current_code():
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2]))
