"""Residents sign up with e-mail and password and must confirm their address."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_confirm_and_log_in(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "nieuw@example.nl",
            "password1": "Zonnebloem-2026!",
            "password2": "Zonnebloem-2026!",
            "display_name": "Nieuwe Buur",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.nl")
    assert user.display_name == "Nieuwe Buur"
    assert user.preferred_language == "en"

    # Not verified yet: logging in is held back until the address is confirmed.
    client.logout()
    login = client.post(
        "/en/accounts/login/", {"login": "nieuw@example.nl", "password": "Zonnebloem-2026!"}
    )
    assert "confirm" in login["Location"]

    assert len(mail.outbox) >= 1
    link = re.search(
        r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/|/accounts/confirm-email/\S+/)",
        mail.outbox[-1].body,
    ).group(1)
    confirm = client.post(link)
    assert confirm.status_code == 302
    assert user.emailaddress_set.get().verified

    my = client.get("/en/initiatives/mine/")
    assert my.status_code == 200


def test_sign_up_rejects_bad_input_with_messages(client):
    response = client.post(
        "/en/accounts/signup/",
        {"email": "geen-adres", "password1": "kort", "password2": "anders", "display_name": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"email", "display_name", "password1"} <= set(form.errors)
    assert "geen-adres" in response.content.decode()
    assert User.objects.count() == 0


def test_signing_up_with_a_taken_address_creates_no_second_account(client):
    User.objects.create_user(email="bestaat@example.nl", password="x")
    client.post(
        "/en/accounts/signup/",
        {
            "email": "bestaat@example.nl",
            "password1": "Zonnebloem-2026!",
            "password2": "Zonnebloem-2026!",
            "display_name": "Dubbel",
        },
    )
    # allauth does not reveal which addresses exist; it mails the owner instead.
    assert User.objects.count() == 1
