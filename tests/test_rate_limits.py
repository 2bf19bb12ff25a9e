"""What creates rows or sends mail is limited per client IP and per account.

Every test sets each limit to two in the hour: the third POST is answered with 429 in the
visitor's language, before anything is written.
"""

import html

import pytest
import redis
from django.core import mail

from accounts.models import Invitation, Membership, Organisation
from campaigns.models import Campaign, Follow, InitiativeUpdate, Pledge
from tasks.models import Offer, SignUp, Task
from tests.campaigns.test_initiative_form import form_data
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db

LIMIT = 2
DUTCH = "Je hebt dit formulier in korte tijd te vaak verstuurd"
ENGLISH = "You sent this form too often in a short time"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def tight_limits(settings):
    groups = settings.WIJKKAPITAAL["RATE_LIMITS"]
    settings.WIJKKAPITAAL = {
        **settings.WIJKKAPITAAL,
        "RATE_LIMITS": {group: {"ip": f"{LIMIT}/h", "user": f"{LIMIT}/h"} for group in groups},
    }


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def campaign(neighbourhood):
    return make_initiative(neighbourhood, title="Buurtmoestuin")


@pytest.fixture
def resident(client):
    user = UserFactory()
    client.force_login(user)
    return user


def guest(n):
    return {"amount": "25", "email": f"gast{n}@example.nl", "public_name": "Buur", "message": ""}


def assert_refused_in_both_languages(client, path, data, count, **headers):
    """The next POST to ``path`` (Dutch, then English) is a 429 and ``count()`` stays put."""
    before, mails = count(), len(mail.outbox)

    dutch = client.post(path, data, **headers)
    english = client.post("/en" + path, data, **headers)

    assert (dutch.status_code, english.status_code) == (429, 429)
    assert DUTCH in html.unescape(dutch.content.decode())
    assert ENGLISH in html.unescape(english.content.decode())
    assert "Probeer het over" in dutch.content.decode()
    assert "Please try again in" in english.content.decode()
    assert int(dutch["Retry-After"]) > 0
    assert count() == before
    assert len(mail.outbox) == mails
    return dutch


def test_donations_are_limited_per_address(client, campaign):
    path = f"/initiatives/{campaign.page_id}/donate/"
    for n in range(LIMIT):
        assert client.post(path, guest(n)).status_code == 302
    assert Pledge.objects.count() == LIMIT

    refused = assert_refused_in_both_languages(client, path, guest(9), Pledge.objects.count)

    assert "<html" in refused.content.decode()
    assert "knop Vorige" in refused.content.decode()  # the form is still there, one step back
    assert client.get(path).status_code == 200  # reading the form is not limited


def test_starting_initiatives_is_limited_per_account(client, resident, neighbourhood):
    for _ in range(LIMIT):
        assert client.post("/initiatives/new/", form_data(neighbourhood)).status_code == 302

    assert_refused_in_both_languages(
        client, "/initiatives/new/", form_data(neighbourhood), Campaign.objects.count
    )


def test_posting_updates_is_limited(client, neighbourhood):
    initiator = UserFactory()
    campaign = make_initiative(neighbourhood, initiator=initiator)
    client.force_login(initiator)
    path = f"/initiatives/{campaign.page_id}/updates/new/"
    for n in range(LIMIT):
        client.post(path, {"title": f"Nieuws {n}", "body": "De tuin bloeit."})
    assert InitiativeUpdate.objects.count() == LIMIT

    assert_refused_in_both_languages(
        client, path, {"title": "Nog meer", "body": "Echt."}, InitiativeUpdate.objects.count
    )


def test_following_is_limited(client, resident, neighbourhood):
    campaigns = [make_initiative(neighbourhood, title=f"Plan {n}") for n in range(LIMIT + 1)]
    for campaign in campaigns[:LIMIT]:
        client.post(f"/initiatives/{campaign.page_id}/follow/")
    assert Follow.objects.count() == LIMIT

    assert_refused_in_both_languages(
        client, f"/initiatives/{campaigns[-1].page_id}/follow/", {}, Follow.objects.count
    )


def test_signing_up_with_htmx_gets_a_short_notice_above_the_card(client, resident, campaign):
    tasks = [TaskFactory(initiative=campaign.page, people_needed=3) for _ in range(LIMIT + 1)]
    for task in tasks[:LIMIT]:
        client.post(f"/tasks/{task.pk}/sign-up/", HTTP_HX_REQUEST="true")
    assert SignUp.objects.count() == LIMIT

    refused = assert_refused_in_both_languages(
        client,
        f"/tasks/{tasks[-1].pk}/sign-up/",
        {"note": "Ik neem een ladder mee"},
        SignUp.objects.count,
        HTTP_HX_REQUEST="true",
    )

    assert "<html" not in refused.content.decode()
    assert refused["HX-Reswap"] == "beforebegin"


def test_offers_are_limited(client, resident, campaign):
    tasks = [
        TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
        for _ in range(LIMIT + 1)
    ]
    offer = {
        "organisation": "",
        "description": "Achterzaal",
        "availability": "",
        "estimated_value": "",
    }
    for task in tasks[:LIMIT]:
        assert client.post(f"/tasks/{task.pk}/offer/", offer).status_code == 302

    assert_refused_in_both_languages(
        client, f"/tasks/{tasks[-1].pk}/offer/", offer, Offer.objects.count
    )


def organisation(name):
    return {"kind": "business", "name": name, "kvk_number": "", "address": "", "description": ""}


def test_creating_organisations_is_limited(client, resident):
    for n in range(LIMIT):
        assert client.post("/organisations/new/", organisation(f"Zaak {n}")).status_code == 302

    assert_refused_in_both_languages(
        client, "/organisations/new/", organisation("Nog een zaak"), Organisation.objects.count
    )


def test_invitations_are_limited(client, resident, django_capture_on_commit_callbacks):
    bakery = OrganisationFactory()
    Membership.objects.create(organisation=bakery, user=resident, role=Membership.Role.ADMIN)
    path = f"/organisations/{bakery.slug}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(LIMIT):
            client.post(path, {"email": f"collega{n}@example.nl"})
    assert Invitation.objects.count() == LIMIT

    with django_capture_on_commit_callbacks(execute=True):
        assert_refused_in_both_languages(
            client, path, {"email": "nog-een@example.nl"}, Invitation.objects.count
        )


def test_edits_are_limited_and_the_refused_one_changes_nothing(client, resident):
    bakery = OrganisationFactory(name="Bakkerij")
    Membership.objects.create(organisation=bakery, user=resident, role=Membership.Role.ADMIN)
    path = f"/organisations/{bakery.slug}/edit/"
    for n in range(LIMIT):
        client.post(path, organisation(f"Bakkerij {n}"))

    assert_refused_in_both_languages(
        client,
        path,
        organisation("Overgenomen"),
        lambda: Organisation.objects.get(pk=bakery.pk).name,
    )


def test_the_account_limit_does_not_stop_another_account_on_the_same_address(
    client, settings, campaign
):
    settings.WIJKKAPITAAL["RATE_LIMITS"]["donations"] = {"ip": "100/h", "user": f"{LIMIT}/h"}
    path = f"/initiatives/{campaign.page_id}/donate/"
    client.force_login(UserFactory())
    for n in range(LIMIT + 1):
        client.post(path, guest(n))
    assert client.post(path, guest(8)).status_code == 429

    client.force_login(UserFactory())

    assert client.post(path, guest(9)).status_code == 302


def donate_from(client, campaign, address, n):
    return client.post(
        f"/initiatives/{campaign.page_id}/donate/",
        guest(n),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_one_abuser_does_not_lock_out_others(client, settings, campaign):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(LIMIT):
        donate_from(client, campaign, "203.0.113.9", n)
    # A made-up address in front is ignored: the proxy appends the one it saw.
    assert donate_from(client, campaign, "1.2.3.4, 203.0.113.9", 5).status_code == 429

    assert donate_from(client, campaign, "198.51.100.7", 6).status_code == 302


def test_without_the_proxy_setting_everyone_behind_it_shares_one_limit(client, campaign):
    for n in range(LIMIT):
        donate_from(client, campaign, "203.0.113.9", n)

    assert donate_from(client, campaign, "198.51.100.7", 6).status_code == 429


def test_behind_the_proxy_failed_logins_of_one_abuser_do_not_lock_out_others(
    client, settings, neighbourhood
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    abuser = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for n in range(10):  # allauth: ten failed logins a minute per address
        client.post(
            "/en/accounts/login/", {"login": f"x{n}@example.nl", "password": "nope"}, **abuser
        )
    locked = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD}, **abuser
    )
    assert "Too many failed login attempts" in locked.content.decode()

    response = client.post(
        "/en/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_allauths_own_429_uses_the_same_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client.post("/accounts/login/", {"login": "a@example.nl", "password": "nope"})

    response = client.post("/accounts/login/", {"login": "a@example.nl", "password": "nope"})

    assert response.status_code == 429
    assert "Probeer het over een paar minuten opnieuw" in response.content.decode()


class UnreachableCache:
    def add(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Redis is down")

    incr = get = add


def test_a_donation_goes_through_when_the_cache_is_down(client, campaign, monkeypatch):
    monkeypatch.setattr("django_ratelimit.core.caches", {"default": UnreachableCache()})

    for n in range(LIMIT + 1):
        assert client.post(f"/initiatives/{campaign.page_id}/donate/", guest(n)).status_code == 302
    assert Pledge.objects.count() == LIMIT + 1
