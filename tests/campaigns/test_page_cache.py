"""Anonymous initiative pages are cached briefly and never carry anything personal."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import Site

from campaigns.models import Campaign, PaymentAttempt
from campaigns.services import pledges as pledge_services
from campaigns.services import recount_totals
from tests.factories import (
    CityPageFactory,
    NeighbourhoodPageFactory,
    PledgeFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 5}


@pytest.fixture
def initiative(db):
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


def test_a_cache_hit_skips_routing_and_the_database(
    client, cached, initiative, django_assert_num_queries
):
    url = "/en" + initiative.page.url
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert initiative.page.title in response.content.decode()


def test_a_paid_pledge_shows_at_once(
    client, cached, initiative, django_capture_on_commit_callbacks
):
    url = "/en" + initiative.page.url
    client.get(url)
    pledge, attempt = pledge_services.create_pledge(
        campaign=initiative,
        amount_cents=250_00,
        guest_email="buur@example.nl",
        public_name="Buur",
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id="cs_1")

    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.mark_paid(pledge_id=pledge.pk, session_id="cs_1")

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "€250" in response.content.decode()


def test_other_changes_show_within_five_seconds(client, cached, initiative):
    url = "/en" + initiative.page.url
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        Campaign.objects.filter(pk=initiative.pk).update(raised_cents=250_00)  # behind our back
        assert "€250" not in client.get(url).content.decode()

        clock.shift(datetime.timedelta(seconds=5.1))
        assert "€250" in client.get(url).content.decode()


def test_logged_in_visitors_always_get_a_fresh_page(client, cached, initiative):
    url = "/en" + initiative.page.url
    client.get(url)
    client.force_login(UserFactory())
    PledgeFactory(campaign=initiative, amount_cents=250_00)
    recount_totals(campaign=initiative)

    response = client.get(url)

    assert "X-Page-Cache" not in response
    assert "€250" in response.content.decode()


def test_a_visitor_with_a_flash_message_is_never_served_or_stored(client, cached, initiative):
    url = "/en" + initiative.page.url
    client.cookies["messages"] = "something-personal"
    first = client.get(url)
    assert "X-Page-Cache" not in first
    del client.cookies["messages"]
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_cache_is_per_language(client, cached, initiative):
    url = initiative.page.url
    client.get(url)
    english = client.get("/en" + url)
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()


def test_query_strings_bypass_the_cache(client, cached, initiative):
    url = initiative.page.url
    client.get(url)
    assert "X-Page-Cache" not in client.get(url + "?utm=x")


# Every public page, and only the listing without a query string


def test_every_public_page_is_served_from_the_cache(client, cached):
    home, city, neighbourhood = site_tree()
    initiative = make_initiative(neighbourhood)
    for url in ("/", city.url, neighbourhood.url, initiative.page.url, "/initiatives/", "/en/"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content, url
    assert "X-Page-Cache" not in client.get("/initiatives/?category=repair")


# A hit is the same response as the miss that stored it, cookies aside


def test_a_hit_carries_the_headers_of_the_response_it_stored(client, cached, initiative):
    url = initiative.page.url

    miss = client.get(url)
    hit = client.get(url)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in ("X-Frame-Options", "Vary", "Content-Security-Policy", "Content-Type"):
        assert miss.has_header(name), name
    assert miss["X-Frame-Options"] == "DENY"
    assert "Accept-Language" in miss["Vary"]

    def headers(response):
        return {name: value for name, value in response.items() if name != "X-Page-Cache"}

    assert headers(hit) == headers(miss)
    assert hit.status_code == 200
    assert not hit.cookies


# Hosts


@pytest.fixture
def two_sites(db):
    home, _city, _neighbourhood = site_tree()
    other_root = CityPageFactory(parent=home, title="Andere Stad")
    Site.objects.create(hostname="ander.example.nl", port=80, root_page=other_root)
    return home, other_root


def test_a_page_of_one_host_is_never_served_for_another(client, cached, two_sites):
    home, other_root = two_sites

    first = client.get("/", HTTP_HOST="localhost")
    assert client.get("/", HTTP_HOST="localhost")["X-Page-Cache"] == "hit"
    other = client.get("/", HTTP_HOST="ander.example.nl")

    assert other["X-Page-Cache"] == "miss"
    assert other.context["page"].pk == other_root.pk
    assert "Andere Stad" in other.content.decode()
    assert first.content != other.content
    assert client.get("/", HTTP_HOST="ander.example.nl")["X-Page-Cache"] == "hit"
    assert client.get("/", HTTP_HOST="localhost").content == first.content


def test_a_change_drops_the_page_on_every_host_and_in_every_language(
    client, cached, two_sites, django_capture_on_commit_callbacks
):
    home, other_root = two_sites

    neighbourhood = NeighbourhoodPageFactory(parent=other_root, slug="centrum")
    initiative = make_initiative(neighbourhood, title="Buurtbank")
    page = initiative.page
    home_path = "/" + page.url_path[len(home.url_path) :]
    local_path = f"/centrum/{page.slug}/"  # the same page under the other site's root
    urls = [
        ("localhost", home_path),
        ("localhost", "/en" + home_path),
        ("ander.example.nl", local_path),
        ("ander.example.nl", "/en" + local_path),
    ]
    for host, url in urls:
        assert client.get(url, HTTP_HOST=host)["X-Page-Cache"] == "miss", (host, url)
        assert client.get(url, HTTP_HOST=host)["X-Page-Cache"] == "hit", (host, url)

    with django_capture_on_commit_callbacks(execute=True):
        PledgeFactory(campaign=initiative, amount_cents=250_00)
        recount_totals(campaign=initiative)

    for host, url in urls:
        assert client.get(url, HTTP_HOST=host)["X-Page-Cache"] == "miss", (host, url)
