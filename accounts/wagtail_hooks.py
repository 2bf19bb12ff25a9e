from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_factor_authentication(request):
    """Staff reach allauth's two-factor settings from their Wagtail account page."""
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication"),
        "help_text": _(
            "Protect your account with a code from an authenticator app and recovery codes."
        ),
    }
