"""One word per action in Dutch: "Registreren" makes an account, "Inloggen" and
"Uitloggen" open and close a session, "Aanmelden" and "Afmelden" are for tasks, and an
offer is withdrawn with "Aanbod intrekken"."""

import re

import pytest
from django.utils.html import strip_tags

from tasks import services
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


def _menu(html):
    return strip_tags(re.search(r'<nav[^>]*id="site-menu-nav".*?</nav>', html, re.S).group(0))


def _words(html):
    return " ".join(strip_tags(html).split())


def _title_and_buttons(html):
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    buttons = re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    return " ".join(strip_tags(part).strip() for part in [title, *headings, *buttons])


def test_the_header_says_inloggen_and_registreren_then_uitloggen(client):
    site_tree()
    menu = _menu(client.get("/initiatives/").content.decode())
    assert "Inloggen" in menu and "Registreren" in menu
    assert "Aanmelden" not in menu

    client.force_login(UserFactory())
    menu = _menu(client.get("/initiatives/").content.decode())
    assert "Uitloggen" in menu
    assert "Afmelden" not in menu and "Registreren" not in menu


def test_the_login_page_says_inloggen_never_aanmelden(client):
    site_tree()
    html = client.get("/accounts/login/").content.decode()
    main = _title_and_buttons(html)
    assert "Inloggen" in main
    assert "aanmeld" not in _words(html).lower()
    assert "registreer" in _words(html).lower()


def test_the_signup_page_says_registreren_and_links_to_inloggen(client):
    site_tree()
    html = client.get("/accounts/signup/").content.decode()
    assert "Registreren" in _title_and_buttons(html)
    words = _words(html)
    assert "Log dan in" in words
    assert "aanmeld" not in words.lower()


def test_the_logout_page_says_uitloggen_never_afmelden(client):
    site_tree()
    client.force_login(UserFactory())
    html = client.get("/accounts/logout/").content.decode()
    assert "Uitloggen" in _title_and_buttons(html)
    assert "Weet je zeker dat je wilt uitloggen?" in _words(html)
    assert "afmeld" not in _words(html).lower()


def test_a_task_is_joined_with_aanmelden_and_left_with_afmelden(client):
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.HANDS)
    helper = UserFactory()

    guest = _words(client.get(campaign.page.url).content.decode())
    assert "Log in om je aan te melden" in guest

    client.force_login(helper)
    card = client.get(campaign.page.url).content.decode()
    assert re.search(r"<button[^>]*>Aanmelden</button>", card)

    services.sign_up(task=task, user=helper)
    card = client.get(campaign.page.url).content.decode()
    assert re.search(r"<button[^>]*>Afmelden</button>", card)
    mine = client.get("/tasks/mine/").content.decode()
    assert re.search(r"<button[^>]*>Afmelden</button>", mine)


def test_an_offer_is_withdrawn_with_aanbod_intrekken(client):
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    giver = UserFactory()
    offer = services.make_offer(task=task, user=giver, kind="space", description="Zaal")
    client.force_login(giver)

    mine = client.get("/tasks/mine/").content.decode()
    assert re.search(r"<button[^>]*>Aanbod intrekken</button>", mine)
    assert not re.search(r"<button[^>]*>Afmelden</button>", mine)

    services.withdraw_offer(offer=offer, user=giver)
    mine = _words(client.get("/tasks/mine/").content.decode())
    assert "Zaal" in mine and "Ingetrokken" in mine and "Afgemeld" not in mine
