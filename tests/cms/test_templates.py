"""The Jinja2 templates: the initiative page, the task card and the shared header partials."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone, translation

from campaigns.models import InitiativeUpdate
from campaigns.services import recount_totals
from tasks.models import Offer
from tests.factories import (
    OrganisationFactory,
    PledgeFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def campaign(neighbourhood):
    return make_initiative(neighbourhood, title="Repair Café", goal_cents=1_000_00)


def dutch_url(page):
    """The page's Dutch URL (a request under /en/ leaves English active in this thread)."""
    with translation.override("nl"):
        return page.url


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Languages and plurals


@pytest.mark.parametrize(
    ("prefix", "expected", "absent"),
    [
        (
            "",
            [
                '<html lang="nl">',
                "1 van 3 taken klaar",
                "0 van 3 helpers",
                "0 van 1 helper<",
                "0 van 4 toegezegd",
                "Het verhaal",
                "Begroting",
                ">Initiatieven<",
                "Wijkkapitaal: begin bij wat de wijk al heeft.",
                "opgehaald (0% van €\xa01.000)",
            ],
            ["tasks done", "The story", ">Initiatives<", "raised ("],
        ),
        (
            "/en",
            [
                '<html lang="en">',
                "1 of 3 tasks done",
                "0 of 3 helpers",
                "0 of 1 helper<",
                "0 of 4 promised",
                "The story",
                "Budget",
                ">Initiatives<",
                "Wijkkapitaal: start from what the neighbourhood already has.",
                "raised (0% of €1,000)",
            ],
            ["taken klaar", "Het verhaal", ">Initiatieven<", "opgehaald"],
        ),
    ],
)
def test_the_initiative_page_speaks_the_language_of_its_url(
    client, campaign, tasks_for_plurals, prefix, expected, absent
):
    html = get_html(client, prefix + dutch_url(campaign.page))

    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


@pytest.fixture
def tasks_for_plurals(campaign):
    TaskFactory(initiative=campaign.page, title="Schilderen", people_needed=3)
    TaskFactory(initiative=campaign.page, title="Opruimen", people_needed=1, status="done")
    TaskFactory(initiative=campaign.page, title="Planken", kind="material", people_needed=4)


def test_singular_forms(client, neighbourhood):
    campaign = make_initiative(neighbourhood, title="Klein plan")
    TaskFactory(initiative=campaign.page, people_needed=1)
    url = dutch_url(campaign.page)

    assert "0 van 1 taak klaar" in get_html(client, url)
    assert "0 of 1 task done" in get_html(client, "/en" + url)


# Escaping user content


def test_user_content_is_escaped(client, neighbourhood):
    campaign = make_initiative(neighbourhood, title="Koffie & <em>taart</em>")
    page = campaign.page
    task = TaskFactory(
        initiative=page,
        kind="space",
        title="<script>alert(1)</script>",
        description='<img src=x onerror="alert(2)">',
        place="<b>Plein</b>",
    )
    PledgeFactory(
        campaign=campaign, public_name="<i>Gever</i>", message="<script>alert(3)</script>"
    )
    InitiativeUpdate.objects.create(
        campaign=campaign, title="<u>Nieuws</u>", body="Regel 1\n<script>alert(4)</script>"
    )
    Offer.objects.create(
        task=task,
        user=UserFactory(),
        organisation=OrganisationFactory(name="<b>Bakkerij</b>"),
        kind="space",
        description="Ruimte",
        status=Offer.Status.ACCEPTED,
    )

    html = get_html(client, dutch_url(page))

    for raw in ("<script>alert", "<em>taart", "<img src=x", "<b>Plein", "<i>Gever", "<u>Nieuws"):
        assert raw not in html, raw
    for escaped in (
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "Koffie &amp; &lt;em&gt;taart&lt;/em&gt;",
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;",
        "&lt;b&gt;Plein&lt;/b&gt;",
        "&lt;i&gt;Gever&lt;/i&gt;",
        "&lt;script&gt;alert(3)&lt;/script&gt;",
        "&lt;u&gt;Nieuws&lt;/u&gt;",
        "Regel 1<br>&lt;script&gt;alert(4)&lt;/script&gt;",
        "&lt;b&gt;Bakkerij&lt;/b&gt;",
    ):
        assert escaped in html, escaped


# The header: logging out with a CSRF token, on Jinja2 and Django pages


def logout_form(html):
    match = re.search(
        r'<form method="post" action="(/(?:en/)?accounts/logout/)".*?</form>', html, re.S
    )
    assert match is not None, "no logout form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', match.group(0))
    assert token is not None, "no CSRF token in the logout form"
    return match.group(1), token.group(1)


@pytest.mark.parametrize("which", ["initiative page (Jinja2)", "initiative list (Django)"])
def test_a_logged_in_user_can_log_out_from_the_header(campaign, which):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    url = dutch_url(campaign.page) if which.startswith("initiative page") else "/initiatives/"

    html = get_html(client, url)

    action, token = logout_form(html)
    assert action == "/accounts/logout/"
    assert ">Uitloggen<" in html
    assert ">Inloggen<" not in html
    assert client.post(action).status_code == 403  # without the token: refused
    assert client.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    after = get_html(client, url)
    assert ">Inloggen<" in after
    assert "accounts/logout/" not in after


def test_an_anonymous_visitor_gets_log_in_links_and_no_logout_form(client, campaign):
    for url in (dutch_url(campaign.page), "/initiatives/"):
        html = get_html(client, url)
        assert 'href="/accounts/login/"' in html
        assert "accounts/logout/" not in html
        assert "csrfmiddlewaretoken" not in html


# Flash messages on both kinds of page


def messages_shown(html):
    box = re.search(r'<div class="wrap messages" role="status">(.*?)</div>', html, re.S)
    return re.findall(r'<p class="message [^"]*">(.*?)</p>', box.group(1)) if box else []


def test_flash_messages_show_once_on_jinja2_and_django_pages(client, campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=2)
    client.force_login(UserFactory())
    page_url = dutch_url(campaign.page)

    assert client.post(f"/tasks/{task.pk}/sign-up/").status_code == 302
    assert messages_shown(get_html(client, page_url)) == [
        "Je bent aangemeld. Bedankt voor je hulp!"
    ]
    assert messages_shown(get_html(client, page_url)) == []

    assert client.post(f"/tasks/{task.pk}/withdraw/").status_code == 302
    assert messages_shown(get_html(client, "/initiatives/")) == [
        "Je hebt je afgemeld voor deze taak."
    ]
    assert messages_shown(get_html(client, "/initiatives/")) == []


# The htmx task card


def test_signing_up_with_htmx_returns_the_card_with_the_withdraw_form(client, campaign):
    task = TaskFactory(initiative=campaign.page, title="Koffie schenken", people_needed=2)
    client.force_login(UserFactory())

    response = client.post(f"/tasks/{task.pk}/sign-up/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="task task-open" id="task-{task.pk}">')
    assert "<html" not in html and "site-header" not in html
    assert f'action="/tasks/{task.pk}/withdraw/"' in html
    assert f'hx-post="/tasks/{task.pk}/withdraw/"' in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
    assert "Je bent aangemeld." in html and ">Afmelden<" in html
    assert "1 van 2 helpers" in html

    response = client.post(f"/tasks/{task.pk}/withdraw/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert f'action="/tasks/{task.pk}/sign-up/"' in html
    assert "0 van 2 helpers" in html
    assert messages_shown(get_html(client, dutch_url(campaign.page))) == []  # htmx: no flash


# Dates and times


# Django templates turn aware datetimes into local time before the date and time
# filters see them; the Jinja2 filters must do the same (they once showed UTC).
def test_task_times_show_in_dutch_time(client, campaign):
    starts = datetime.datetime(2030, 6, 1, 14, 0, tzinfo=AMSTERDAM)
    TaskFactory(
        initiative=campaign.page,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )

    html = get_html(client, dutch_url(campaign.page))

    assert "1 juni 2030, 14:00–16:00" in html


# Without that conversion an update written at 00:30 Dutch time showed the previous day.
def test_update_dates_are_dutch_dates(client, campaign):
    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuwjaar", body="…")
    written = datetime.datetime(2030, 1, 2, 0, 30, tzinfo=AMSTERDAM)
    InitiativeUpdate.objects.filter(pk=update.pk).update(created_at=written)
    assert timezone.localtime(written).date() == datetime.date(2030, 1, 2)

    html = get_html(client, dutch_url(campaign.page))

    assert '<p class="card-meta">2 januari 2030</p>' in html


def test_the_progress_partial_on_a_django_page_matches_the_jinja2_page(client, campaign):
    PledgeFactory(campaign=campaign, amount_cents=500_00)
    recount_totals(campaign=campaign)

    for url in (dutch_url(campaign.page), "/initiatives/"):
        html = get_html(client, url)
        assert "opgehaald (50% van €\xa01.000)" in html, url
        assert 'aria-valuenow="50"' in html, url
        assert "<strong>€\xa0500</strong>" in html, url
