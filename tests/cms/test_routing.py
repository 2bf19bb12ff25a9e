"""The cached site lookup picks the same site as Wagtail, and follows changes at once."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.routing import SITES_KEY, find_site
from tests.factories import CityPageFactory, NeighbourhoodPageFactory, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    """The default site on localhost, and three more sites on two other hostnames."""
    home, _city, _neighbourhood = site_tree()
    made = {"default": Site.objects.get(is_default_site=True)}
    for name, hostname, port in [
        ("wijk", "wijk.example.nl", 80),
        ("wijk_8080", "wijk.example.nl", 8080),
        ("gouda", "gouda.example.nl", 443),
    ]:
        made[name] = Site.objects.create(
            hostname=hostname, port=port, root_page=CityPageFactory(parent=home)
        )
    return made


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("wijk.example.nl", "80", "wijk"),  # hostname and port
        ("wijk.example.nl", "8080", "wijk_8080"),
        ("wijk.example.nl", "9000", "default"),  # two sites have the hostname: default
        ("gouda.example.nl", "80", "gouda"),  # the only site with the hostname, other port
        ("gouda.example.nl", "443", "gouda"),
        ("localhost", "80", "default"),
        ("unknown.example.nl", "80", "default"),
        ("WIJK.example.nl", "80", "wijk"),
    ],
)
def test_the_same_site_as_wagtails_own_lookup(sites, host, port, expected):
    request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)
    wagtails_choice = Site._find_for_request(request)
    assert wagtails_choice == sites[expected]
    assert find_site(request) == wagtails_choice


def test_no_site_at_all():
    Site.objects.all().delete()
    assert find_site(RequestFactory().get("/", HTTP_HOST="localhost")) is None


def test_no_default_site_and_the_hostname_only_on_other_ports(sites):
    Site.objects.filter(pk=sites["default"].pk).update(is_default_site=False)
    Site.objects.filter(pk=sites["default"].pk).delete()
    request = RequestFactory().get("/", HTTP_HOST="wijk.example.nl", SERVER_PORT="9000")
    assert Site._find_for_request(request) is None
    assert find_site(request) is None


def test_a_changed_site_is_used_at_once(sites):
    request = RequestFactory().get("/", HTTP_HOST="nieuw.example.nl")
    assert find_site(request) == sites["default"]
    sites["gouda"].hostname = "nieuw.example.nl"
    sites["gouda"].save()
    assert find_site(request) == sites["gouda"]
    sites["gouda"].delete()
    assert find_site(request) == sites["default"]


def test_publishing_a_sites_root_page_drops_the_cached_list(
    sites, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert find_site(request).root_page.title != "Nieuw welkom"
    assert cache.get(SITES_KEY) is not None

    CityPageFactory(parent=sites["default"].root_page).save_revision().publish()
    assert cache.get(SITES_KEY) is not None  # not a site's root: the list stays

    home = sites["default"].root_page.specific
    home.title = "Nieuw welkom"
    home.save_revision().publish()
    assert cache.get(SITES_KEY) is None
    assert find_site(request).root_page.title == "Nieuw welkom"


def test_a_page_request_does_not_look_the_site_up_in_the_database(client, sites):
    neighbourhood = NeighbourhoodPageFactory(parent=sites["wijk"].root_page)
    client.get(f"/{neighbourhood.slug}/", HTTP_HOST="wijk.example.nl")  # fills the list
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{neighbourhood.slug}/", HTTP_HOST="wijk.example.nl")
    assert response.status_code == 200
    assert response.context["page"] == neighbourhood
    assert not [query for query in queries if "wagtailcore_site" in query["sql"]]


def test_the_root_page_is_always_served_fresh(client, sites):
    """The cached list holds the root pages; the root URL must not show that copy."""
    client.get("/", HTTP_HOST="localhost")
    home = sites["default"].root_page.specific
    type(home).objects.filter(pk=home.pk).update(title="Stil gewijzigd")  # no signal
    assert client.get("/", HTTP_HOST="localhost").context["page"].title == "Stil gewijzigd"


def test_favicon_ico_points_to_the_icon_every_page_links(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Location"].endswith("favicon.svg")
    site_tree()
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}"' in page
