"""Staff use the admins only with an authenticator app (TOTP) set up.

allauth's MFA asks for the second factor at login once a user has an authenticator, but it
has no setting to make one compulsory (its maintainers declined a "require MFA"
middleware, django-allauth#3710), and Wagtail has no hook that runs before every admin
view. So this small middleware, scoped to the two admin path prefixes, sends anyone who may
use an admin (staff, superuser, or Wagtail's ``access_admin`` permission through a group)
and has no TOTP authenticator yet to allauth's own set-up page, with a message saying why.
Logging out stays possible. With an authenticator, allauth's login flow has already asked
for the code before the session was made, so the middleware needs only the authenticator.

``WIJKKAPITAAL["ADMIN_REQUIRES_2FA"]`` turns it off (production settings refuse that).
"""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"
# Wagtail's and Django's admin; their logout views stay open.
ADMIN_URL_NAMES = ("wagtailadmin_home", "admin:index")
ADMIN_LOGOUT_URL_NAMES = ("wagtailadmin_logout", "admin:logout")


def may_use_an_admin(user):
    return user.is_active and (
        user.is_staff or user.is_superuser or user.has_perm(ADMIN_ACCESS_PERMISSION)
    )


def has_totp(user):
    return get_mfa_adapter().is_mfa_enabled(user, types=[Authenticator.Type.TOTP])


class AdminRequiresTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.WIJKKAPITAAL.get("ADMIN_REQUIRES_2FA", True) and self.must_set_up_totp(request):
            return self.to_totp_set_up(request)
        return self.get_response(request)

    def to_totp_set_up(self, request):
        """The set-up page is a page of the site, in the visitor's site language (cookie or
        browser): admin paths carry no language prefix, so the request's own is the default."""
        with translation.override(translation.get_language_from_request(request)):
            messages.warning(
                request,
                _(
                    "The admin holds money and people's data, so it needs two-factor "
                    "authentication. Set up an authenticator app first; then the admin opens."
                ),
            )
            return redirect("mfa_activate_totp")

    def must_set_up_totp(self, request):
        path = request.path_info
        if not path.startswith(tuple(reverse(name) for name in ADMIN_URL_NAMES)):
            return False
        if path in {reverse(name) for name in ADMIN_LOGOUT_URL_NAMES}:
            return False
        user = request.user
        return user.is_authenticated and may_use_an_admin(user) and not has_totp(user)
