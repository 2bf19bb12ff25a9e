"""The demo's staff log in with a published authenticator-app secret.

The admin requires two-factor authentication (``WIJKKAPITAAL["ADMIN_REQUIRES_2FA"]``, kept
on in the demo), so the demo moderator and treasurers get a TOTP authenticator with this
secret. Add it to any authenticator app, or print the current code with
``manage.py demo_totp_code``. Demo only: the secret is public, like the demo passwords.
"""

import pyotp
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator

DEMO_TOTP_SECRET = "WIJKDEMOWIJKDEMOWIJKDEMOWIJKDEMO"


def ensure_totp(user, secret=DEMO_TOTP_SECRET):
    """Give ``user`` an authenticator app with ``secret``: the row allauth's own set-up
    writes (the secret encrypted by the MFA adapter), through public names only."""
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": get_adapter().encrypt(secret)}},
    )


def current_code(secret=DEMO_TOTP_SECRET):
    """The app's code for now (RFC 6238, 6 digits every 30 s: allauth's defaults)."""
    return pyotp.TOTP(secret).now()
