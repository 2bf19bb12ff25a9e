"""Sites: each host is served the pages of its own Wagtail site, and changes apply at once."""

import pytest
from wagtail.models import Site

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
            hostname=hostname,
            port=port,
            root_page=CityPageFactory(parent=home, title=f"Stad {name}"),
        )
    return made


def shown_page(client, host, port="80", path="/"):
    response = client.get(path, HTTP_HOST=host, SERVER_PORT=port)
    return response.status_code, response.context["page"] if response.status_code == 200 else None


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
    ],
)
def test_each_host_gets_the_root_page_of_its_site(client, sites, host, port, expected):
    status, page = shown_page(client, host, port)
    assert status == 200
    assert page.pk == sites[expected].root_page_id


def test_a_deeper_path_is_found_under_the_sites_own_root(client, sites):
    neighbourhood = NeighbourhoodPageFactory(parent=sites["wijk"].root_page, slug="centrum")

    status, page = shown_page(client, "wijk.example.nl", path="/centrum/")

    assert status == 200
    assert page.pk == neighbourhood.pk
    assert client.get("/centrum/", HTTP_HOST="gouda.example.nl").status_code == 404


def test_a_changed_site_is_used_at_once(client, sites):
    assert shown_page(client, "nieuw.example.nl")[1].pk == sites["default"].root_page_id

    sites["gouda"].hostname = "nieuw.example.nl"
    sites["gouda"].save()
    assert shown_page(client, "nieuw.example.nl")[1].pk == sites["gouda"].root_page_id

    sites["gouda"].delete()
    assert shown_page(client, "nieuw.example.nl")[1].pk == sites["default"].root_page_id


def test_a_published_root_page_shows_at_once(client, sites):
    home = sites["default"].root_page.specific
    assert "Nieuw welkom" not in client.get("/").content.decode()

    home.title = "Nieuw welkom"
    home.save_revision().publish()

    assert "Nieuw welkom" in client.get("/").content.decode()


def test_favicon_ico_points_to_the_icon_every_page_links(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Location"].endswith("favicon.svg")
    site_tree()
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}"' in page


def test_an_unpublished_page_and_an_unknown_path_answer_404(client):
    _home, city, neighbourhood = site_tree()
    assert client.get(neighbourhood.url).status_code == 200

    neighbourhood.unpublish()

    assert client.get(neighbourhood.url).status_code == 404
    assert client.get(city.url + "nergens/").status_code == 404
    assert client.get(city.url).status_code == 200
