"""What crawlers and shared links see: robots.txt, the sitemap, OpenGraph tags, share links."""

import io
import re
from html import unescape
from urllib.parse import quote

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from campaigns.models import Campaign, InitiativePage
from cms.models import StandardPage
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return site_tree()


def meta(html, prop):
    """The content of ``<meta property=prop>`` (or ``name=prop``), unescaped."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    assert found, f"no {prop} meta tag"
    return unescape(found.group(1))


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_robots_txt_keeps_crawlers_out_of_admin_accounts_and_payments(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in (
        "/admin/",
        "/django-admin/",
        "/accounts/",
        "/en/accounts/",
        "/donations/",
        "/en/donations/",
        "/my-account/",
    ):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the public pages stay open
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_lists_live_public_pages_only(client, tree):
    home, city, neighbourhood = tree
    live = make_initiative(neighbourhood, title="Geveltuinen")
    draft = make_initiative(neighbourhood, title="Buurtkeuken", status=Campaign.Status.DRAFT)
    about = add(home, StandardPage(title="Over ons", slug="over-ons"))
    private = add(home, StandardPage(title="Alleen leden", slug="alleen-leden"))
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    paths = {location.removeprefix("http://localhost") for location in locations}
    assert {"/", city.url, neighbourhood.url, about.url, live.page.url} <= paths
    assert private.url not in paths
    draft_page = InitiativePage.objects.get(pk=draft.page_id)
    assert not draft_page.live
    assert not any(draft_page.slug in path for path in paths)


def test_the_home_page_has_a_description_and_opengraph_tags_with_absolute_urls(client, tree):
    home = tree[0]
    home.search_description = "Geld, handen en ruimte voor plannen in je wijk."
    home.save_revision().publish()

    html = client.get("/").content.decode()

    assert meta(html, "description") == "Geld, handen en ruimte voor plannen in je wijk."
    assert meta(html, "og:description") == meta(html, "description")
    assert meta(html, "og:title") == home.title
    assert meta(html, "og:url") == "http://testserver/"
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:image") == "http://testserver/static/img/og-default.png"
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_standard_page_without_search_description_falls_back_to_the_tagline(client, tree):
    page = add(tree[0], StandardPage(title="Hoe het werkt", slug="hoe-het-werkt"))

    html = client.get(page.url).content.decode()

    assert meta(html, "og:title") == "Hoe het werkt"
    assert meta(html, "og:url") == "http://testserver/hoe-het-werkt/"
    assert meta(html, "description") == "Begin bij wat de wijk al heeft."


def test_a_city_page_is_described_by_its_intro(client, tree):
    city = tree[1]
    city.intro = "Een stad vol mensen met ideeën."
    city.save_revision().publish()

    html = client.get(city.url).content.decode()

    assert meta(html, "description") == "Een stad vol mensen met ideeën."


def cover():
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (40, 120, 60)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="Omslag", file=ImageFile(buffer, name="omslag.png")
    )


@pytest.fixture
def initiative(tree):
    campaign = make_initiative(tree[2], title="Geveltuinen & bankjes")
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.summary = "Twintig geveltuinen in de straat."
    page.cover_image = cover()
    page.save_revision().publish()
    return page


def test_an_initiative_shares_its_cover_image_as_the_card(client, initiative):
    html = client.get(initiative.url).content.decode()

    image = meta(html, "og:image")
    assert image.startswith("http://testserver/")
    assert "omslag" in image and "fill-1200x600" in image
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == f"http://testserver{initiative.url}"
    assert meta(html, "og:description") == "Twintig geveltuinen in de straat."
    assert initiative.cover_image.renditions.filter(filter_spec="fill-1200x600").exists()


def test_an_initiative_has_plain_share_links_with_encoded_urls(client, initiative):
    html = client.get(initiative.url).content.decode()
    url = f"http://testserver{initiative.url}"

    whatsapp = unescape(re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1))
    assert whatsapp == "https://wa.me/?text=" + quote(f"Geveltuinen & bankjes {url}", safe="")
    assert "%26" in whatsapp and "&" not in whatsapp.removeprefix("https://wa.me/?text=")
    mailto = unescape(re.search(r'href="(mailto:[^"]+)"', html).group(1))
    assert mailto == (
        "mailto:?subject="
        + quote("Geveltuinen & bankjes", safe="")
        + "&body="
        + quote(f"Twintig geveltuinen in de straat.\n\n{url}", safe="")
    )
    assert f'value="{url}" readonly' in html  # the link to copy by hand, without script
    assert "<script" not in html.split("<footer")[0]  # no script in the page's body
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts)
    assert any("share" in src for src in scripts)


def test_a_request_for_another_host_path_never_becomes_the_og_url(client, tree):
    html = client.get("//evil.example/").content.decode()

    assert "evil.example" not in html


def test_an_organisation_profile_describes_itself_in_its_tags(client, tree):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Bakkerij De Korst", description="Brood & ruimte.")

    html = client.get(f"/organisations/{organisation.slug}/").content.decode()

    assert meta(html, "og:title") == "Bakkerij De Korst"
    assert meta(html, "description") == "Brood & ruimte."
    assert meta(html, "og:url") == f"http://testserver/organisations/{organisation.slug}/"
