"""The sitemap names each page's other language: hreflang alternates under /en/."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import InitiativePage
from cms.models import StandardPage
from demo.translations import translate_home, translate_standard_page
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOST = "http://localhost"


@pytest.fixture
def pages():
    home, city, neighbourhood = site_tree()
    translate_home(home, title="Start from what the neighbourhood has", intro="Residents.")
    privacy = StandardPage(title="Privacyverklaring", slug="privacy")
    home.add_child(instance=privacy)
    privacy.save_revision().publish()
    translate_standard_page(privacy, title="Privacy statement", body=[], slug="privacy-statement")
    about = StandardPage(title="Over ons", slug="over-ons")
    home.add_child(instance=about)
    about.save_revision().publish()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    initiative = InitiativePage.objects.get(pk=campaign.page_id)
    return {"city": city, "neighbourhood": neighbourhood, "initiative": initiative}


def parse_sitemap(client):
    """``{loc: {hreflang: href}}``, checking the document's structure on the way."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        [loc] = url.findall(f"{SITEMAP}loc")
        assert loc.text.startswith(f"{HOST}/") and loc.text not in entries
        alternates = {}
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate"
            assert link.get("hreflang") in {"nl", "en", "x-default"}
            assert link.get("href").startswith(f"{HOST}/")
            alternates[link.get("hreflang")] = link.get("href")
        entries[loc.text] = alternates
    return entries


def test_translated_and_dutch_only_pages_list_their_english_alternates(client, pages):
    entries = parse_sitemap(client)

    def both(dutch, english):
        return {"nl": HOST + dutch, "en": HOST + english, "x-default": HOST + dutch}

    expected = {
        "/": both("/", "/en/"),
        "/privacy/": both("/privacy/", "/en/privacy-statement/"),
    }
    for name in ("city", "neighbourhood", "initiative"):
        path = pages[name].url
        expected[path] = both(path, "/en" + path)
    for dutch, alternates in expected.items():
        assert entries[HOST + dutch] == alternates
        assert entries[alternates["en"]] == alternates
    assert entries[f"{HOST}/over-ons/"] == {}


def test_every_alternate_is_listed_back_and_served(client, pages):
    entries = parse_sitemap(client)

    for loc, alternates in entries.items():
        for language, href in alternates.items():
            if language != "x-default":
                assert entries[href] == alternates
        response = client.get(urlsplit(loc).path)
        assert response.status_code == 200, loc
        expected_lang = "en" if urlsplit(loc).path.startswith("/en/") else "nl"
        assert f'<html lang="{expected_lang}"' in response.content.decode()


def test_more_initiatives_cost_the_sitemap_no_more_queries(client, pages):
    parse_sitemap(client)
    with CaptureQueriesContext(connection) as few:
        parse_sitemap(client)
    for title in ("Bankjes", "Moestuin", "Speeltuin"):
        make_initiative(pages["neighbourhood"], title=title)
    parse_sitemap(client)
    with CaptureQueriesContext(connection) as more:
        entries = parse_sitemap(client)

    assert len(entries) == 2 * 8 + 1  # home, privacy, city, wijk, 4 initiatives; over-ons
    assert len(more) == len(few)
