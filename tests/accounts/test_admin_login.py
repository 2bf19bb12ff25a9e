"""Staff log in through allauth: its rate limits and its two-factor step guard both admins."""

import time

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD, moderator, totp_code

pytestmark = pytest.mark.django_db

ADMIN_ENTRY_POINTS = ["/admin/", "/django-admin/"]


@pytest.fixture
def staff():
    user = moderator(email="moderator@example.nl")
    user.is_staff = True
    user.save()
    return user


def login_page(client, admin_url):
    """Where an admin sends an anonymous visitor, following its redirects."""
    response = client.get(admin_url, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=/admin/pages/"),
        ("/django-admin/login/?next=/django-admin/", "/accounts/login/?next=/django-admin/"),
        ("/_util/login/?next=/wijk/", "/accounts/login/?next=/wijk/"),
        ("/admin/", "/accounts/login/?next=/admin/"),
    ],
)
def test_every_admin_login_is_allauths_login_and_keeps_next(client, path, target):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("login_url", ["/admin/login/", "/django-admin/login/"])
def test_a_password_posted_to_an_admin_login_view_logs_nobody_in(client, staff, login_url):
    response = client.post(login_url, {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("admin_url", ADMIN_ENTRY_POINTS)
def test_the_right_password_and_code_let_staff_into_the_admin(client, staff, admin_url):
    response = client.post(
        login_page(client, admin_url), {"login": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")

    with time_machine.travel(time.time(), tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response.status_code == 302
    assert response["Location"] == admin_url
    assert client.get(admin_url).status_code == 200


@pytest.mark.parametrize("admin_url", ADMIN_ENTRY_POINTS)
def test_after_five_wrong_passwords_the_right_one_no_longer_logs_in(client, staff, admin_url):
    url = login_page(client, admin_url)
    for attempt in range(5):
        client.post(url, {"login": staff.email, "password": f"wrong-{attempt}"})

    response = client.post("/en" + url, {"login": staff.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(admin_url).status_code == 302
    assert client.get("/django-admin/").status_code == 302


def test_staff_with_two_factor_authentication_must_enter_the_code(client, staff):
    url = login_page(client, "/admin/")

    response = client.post(url, {"login": staff.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302

    with time_machine.travel(time.time(), tick=False):  # the code and its check share a period
        right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_find_two_factor_authentication_on_their_admin_account_page(client, staff):
    client.force_login(staff)

    page = client.get("/admin/account/").content.decode()

    assert reverse("mfa_index") in page


@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "Twee-factor-authenticatie"), ("/en", "Two-Factor Authentication")]
)
def test_two_factor_settings_speak_dutch_and_english(client, staff, prefix, heading):
    client.force_login(staff)

    response = client.get(prefix + "/accounts/2fa/")

    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert 'class="site-header"' in page


def test_wagtails_own_password_reset_is_off(client):
    """Resetting a password is allauth's too, with its limits on mails per address."""
    assert client.get("/admin/password_reset/").status_code == 404
