"""Whoever may use an admin must set up an authenticator app (TOTP) before it opens."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, moderator, totp_code

pytestmark = pytest.mark.django_db

ADMIN_URLS = ["/admin/", "/admin/pages/", "/django-admin/"]
MESSAGES = {
    "nl": "Stel eerst een authenticator-app in",
    "en": "Set up an authenticator app first",
}


def admin_group_member():
    """Wagtail admin access only through a group, neither staff nor moderator."""
    group = Group.objects.create(name="Editors without staff flag")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(two_factor=False)
    user.groups.add(group)
    return user


@pytest.fixture(
    params=["staff", "superuser", "moderator", "group"],
)
def admin_user_without_totp(request):
    return {
        "staff": lambda: UserFactory(is_staff=True, two_factor=False),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True, two_factor=False),
        "moderator": lambda: moderator(two_factor=False),
        "group": admin_group_member,
    }[request.param]()


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_users_without_totp_are_sent_to_set_it_up(client, admin_user_without_totp, url):
    client.force_login(admin_user_without_totp)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(("language", "prefix"), [("nl", ""), ("en", "/en")])
def test_the_set_up_page_says_why_in_dutch_and_english(client, language, prefix):
    client.force_login(moderator(two_factor=False))
    client.cookies["django_language"] = language

    response = client.get("/admin/pages/", follow=True)

    assert response.redirect_chain[0] == (f"{prefix}/accounts/2fa/totp/activate/", 302)
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGES[language] in page
    # allauth first asks for the password again, then returns to the set-up page.
    assert 'name="password"' in page


def test_setting_up_totp_opens_the_admin(client):
    user = moderator(two_factor=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302

    # allauth asks for the password again before it adds an authenticator.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with time_machine.travel(time.time(), tick=False):
        client.get(reverse("mfa_activate_totp"))  # allauth keeps the new secret in the session
        secret = client.session["mfa.totp.secret"]
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_a_password_login_of_staff_with_totp_waits_for_the_code(client):
    staff = moderator()
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(time.time(), tick=False):
        done = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert done["Location"] == "/admin/"
    methods = [record["method"] for record in client.session["account_authentication_methods"]]
    assert methods == ["password", "mfa"]
    assert client.get("/admin/pages/").status_code == 200


def test_staff_without_totp_can_still_log_out_of_the_admin(client):
    client.force_login(moderator(two_factor=False))

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/", "/en/", "/initiatives/mine/", "/accounts/2fa/", "/health/"])
def test_residents_and_non_admin_urls_are_unaffected(client, url):
    resident = UserFactory()
    client.force_login(resident)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/initiatives/mine/", "/accounts/2fa/"])
def test_staff_without_totp_still_use_the_public_site(client, url):
    client.force_login(moderator(two_factor=False))

    response = client.get(url)

    assert response.status_code in (200, 301, 302)
    assert response.get("Location", "") != reverse("mfa_activate_totp")


def test_the_stripe_webhook_is_unaffected(client):
    client.force_login(UserFactory(is_staff=True, two_factor=False))

    response = client.post("/stripe/webhook/", data="{}", content_type="application/json")

    assert response.status_code == 400


def test_residents_reaching_the_admin_get_wagtails_own_answer(client):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response["Location"] != reverse("mfa_activate_totp")


def test_the_setting_off_lets_staff_in_without_totp(client, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "ADMIN_REQUIRES_2FA": False}
    client.force_login(UserFactory(is_superuser=True, is_staff=True, two_factor=False))

    assert client.get("/admin/").status_code == 200
