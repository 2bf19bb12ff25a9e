"""Both languages, honestly: translated platform pages, Dutch-only pages under /en/.

The home page and the privacy statement have English translations in Wagtail's English
page tree; cities, neighbourhoods and initiatives exist only in Dutch and are shown under
/en/ with the English interface and their content marked ``lang="nl"``.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from campaigns.caching import forget_initiative_page
from campaigns.models import InitiativePage
from campaigns.queries import matching_initiative_ids
from cms.models import PlatformSettings, StandardPage
from demo.translations import translate_home, translate_standard_page
from tests.campaigns.test_initiative_form import form_data
from tests.factories import UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def trees():
    home, city, neighbourhood = site_tree()
    home.intro = "Bewoners met een idee vinden hier steun."
    home.save_revision().publish()
    english_home = translate_home(
        home, title="Start from what the neighbourhood has", intro="Residents with an idea."
    )
    privacy = StandardPage(
        title="Privacyverklaring",
        slug="privacy",
        body=[("paragraph", "<p>Wij bewaren zo weinig mogelijk.</p>")],
    )
    home.add_child(instance=privacy)
    english_privacy = translate_standard_page(
        privacy,
        title="Privacy statement",
        body=[("paragraph", "<p>We keep as little as we can.</p>")],
        slug="privacy-statement",
    )
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.privacy_page = privacy
    platform.save()
    initiative = make_initiative(neighbourhood, title="Geveltuinen")
    return {
        "home": home,
        "english_home": english_home,
        "city": city,
        "neighbourhood": neighbourhood,
        "privacy": privacy,
        "english_privacy": english_privacy,
        "initiative": InitiativePage.objects.get(pk=initiative.page_id),
    }


def nl(page):
    """The page's URL under the Dutch interface (a request leaves its language active)."""
    with translation.override("nl"):
        return page.url


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _hrefs(html):
    return re.findall(r'href="([^"]+)"', html)


def _switcher(html):
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return {code: url for url, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


def test_the_english_home_is_the_translation_with_lang_en(client, trees):
    english = _html(client, "/en/")
    assert '<html lang="en">' in english
    assert "Start from what the neighbourhood has" in english
    assert "Residents with an idea." in english
    assert "Bewoners met een idee" not in english
    assert '<h1 lang="nl">' not in english and "<h1>Start from" in english

    dutch = _html(client, "/")
    assert '<html lang="nl">' in dutch
    assert "Bewoners met een idee vinden hier steun." in dutch
    assert "Residents with an idea." not in dutch


def test_the_english_home_lists_the_dutch_cities_under_en(client, trees):
    english = _html(client, "/en/")
    city = trees["city"]
    assert f'href="/en{nl(city)}" lang="nl">{city.title}</a>' in english


def test_the_english_privacy_statement_is_english_and_linked_from_the_footer(client, trees):
    english_privacy = trees["english_privacy"]
    assert english_privacy.url == "/en/privacy-statement/"
    page = _html(client, "/en/privacy-statement/")
    assert '<html lang="en">' in page
    assert "We keep as little as we can." in page and "Wij bewaren" not in page
    assert 'href="/en/privacy-statement/">Privacy statement</a>' in _html(client, "/en/")
    assert 'href="/privacy/">Privacyverklaring</a>' in _html(client, "/")
    assert "Wij bewaren zo weinig mogelijk." in _html(client, "/privacy/")


def test_an_english_page_is_not_served_under_the_dutch_prefix(client, trees):
    assert client.get("/privacy-statement/").status_code == 404
    assert client.get("/en/no-such-page/").status_code == 404


def test_a_dutch_only_initiative_under_en_has_the_english_interface(client, trees):
    page = trees["initiative"]
    assert nl(page).startswith("/") and not nl(page).startswith("/en/")
    html = _html(client, "/en" + nl(page))
    assert '<html lang="en">' in html
    assert "Donate" in html
    assert '<h1 lang="nl">Geveltuinen</h1>' in html
    assert '<p class="lead" lang="nl">Geveltuinen: samen maken we het.</p>' in html
    assert '<div class="story" lang="nl">' in html

    dutch = _html(client, nl(page))
    assert '<html lang="nl">' in dutch and "<h1>Geveltuinen</h1>" in dutch
    assert 'lang="nl">' not in dutch.split("<main", 1)[1]


def test_an_english_title_and_summary_show_under_en_only(client, trees):
    page = trees["initiative"]
    page.title_en = "Facade gardens"
    page.summary_en = "Green fronts for the whole street."
    page.save_revision().publish()
    english = _html(client, "/en" + nl(page))
    assert "<h1>Facade gardens</h1>" in english
    assert '<p class="lead">Green fronts for the whole street.</p>' in english
    assert "<title>Facade gardens · Wijkkapitaal</title>" in english
    assert '<div class="story" lang="nl">' in english
    card = _html(client, "/en/")
    assert f'<h3 class="card-title"><a href="/en{nl(page)}">Facade gardens</a></h3>' in card

    dutch = _html(client, nl(page))
    assert "<h1>Geveltuinen</h1>" in dutch and "Facade gardens" not in dutch


def test_links_on_english_pages_stay_under_en(client, trees):
    neighbourhood, initiative = trees["neighbourhood"], trees["initiative"]
    for url in ("/en/", "/en" + nl(trees["city"]), "/en" + nl(neighbourhood)):
        html = _html(client, url)
        page_links = [
            href
            for href in _hrefs(html)
            if href.startswith("/") and not href.startswith(("/static/", "/media/"))
        ]
        switcher = set(_switcher(html).values())
        outside = [href for href in page_links if not href.startswith("/en/")]
        assert set(outside) <= switcher, (url, outside)
    assert f'href="/en{nl(initiative)}"' in _html(client, "/en" + nl(neighbourhood))
    assert f'href="/en{nl(neighbourhood)}"' in _html(client, "/en" + nl(initiative))


def test_the_language_switcher_goes_to_the_translation_and_back(client, trees):
    assert _switcher(_html(client, "/privacy/")) == {
        "nl": "/privacy/",
        "en": "/en/privacy-statement/",
    }
    assert _switcher(_html(client, "/en/privacy-statement/")) == {
        "nl": "/privacy/",
        "en": "/en/privacy-statement/",
    }
    assert _switcher(_html(client, "/en/")) == {"nl": "/", "en": "/en/"}
    url = nl(trees["initiative"])
    assert _switcher(_html(client, url)) == {"nl": url, "en": "/en" + url}
    assert _switcher(_html(client, "/en" + url)) == {"nl": url, "en": "/en" + url}


def test_a_change_drops_the_cached_initiative_page_in_both_languages(client, trees, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 30}
    cache.clear()
    page = trees["initiative"]
    for url in (nl(page), "/en" + nl(page)):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    forget_initiative_page(page.pk)
    for url in (nl(page), "/en" + nl(page)):
        assert client.get(url)["X-Page-Cache"] == "miss"


def test_an_unknown_sub_path_under_en_is_still_not_found(client, trees):
    english_home = trees["english_home"]
    assert english_home.url == "/en/"
    assert client.get("/en" + nl(trees["initiative"]) + "extra/").status_code == 404


def test_the_initiative_form_saves_the_english_title_and_summary(client, trees):
    client.force_login(UserFactory())
    data = form_data(
        trees["neighbourhood"],
        title_en="Community kitchen",
        summary_en="Cooking together every Thursday.",
    )
    assert client.post(reverse("campaigns:create"), data).status_code == 302
    page = InitiativePage.objects.get(title="Buurtkeuken De Pan")
    draft = page.get_latest_revision_as_object()
    assert (draft.title_en, draft.summary_en) == (
        "Community kitchen",
        "Cooking together every Thursday.",
    )
    edit = client.get(reverse("campaigns:edit", args=[page.pk])).content.decode()
    assert 'value="Community kitchen"' in edit and 'lang="en"' in edit


def test_the_admin_still_adds_an_initiative_under_a_neighbourhood(client, trees):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    neighbourhood = trees["neighbourhood"]
    add_url = reverse(
        "wagtailadmin_pages:add", args=("campaigns", "initiativepage", neighbourhood.pk)
    )
    assert 'name="title_en"' in client.get(add_url).content.decode()
    data = nested_form_data(
        {
            "title": "Buurtbank",
            "slug": "buurtbank",
            "summary": "Een bank voor iedereen.",
            "title_en": "A neighbourhood bench",
            "summary_en": "",
            "story": streamfield([]),
            "category": "repair",
            "location": "",
            "goal_cents": "10000",
            "stretch_goal_cents": "",
            "deadline": "2027-06-01",
            "funding_model": "all_or_nothing",
            "budget_lines": inline_formset([{"description": "Hout", "amount_cents": "10000"}]),
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = InitiativePage.objects.get(slug="buurtbank")
    assert page.get_parent().pk == neighbourhood.pk
    assert page.locale_id == neighbourhood.locale_id
    assert page.get_latest_revision_as_object().title_en == "A neighbourhood bench"


def test_the_admin_translate_action_makes_a_draft_that_goes_live_when_published(client, trees):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = StandardPage(title="Zo werkt het", slug="zo-werkt-het")
    trees["home"].add_child(instance=page)
    english = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[page.pk]),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    translated = page.get_translation(english).specific
    assert translated.get_parent().pk == trees["english_home"].pk and not translated.live
    client.logout()
    assert '<h1 lang="nl">Zo werkt het</h1>' in _html(client, "/en/zo-werkt-het/")

    translated.title = "How it works"
    translated.save_revision().publish()
    assert "<h1>How it works</h1>" in _html(client, "/en/zo-werkt-het/")


def test_the_english_title_is_found_by_the_search(trees):
    page = trees["initiative"]
    assert page.pk not in matching_initiative_ids("facade")
    page.title_en = "Facade gardens"
    page.save_revision().publish()
    assert page.pk in matching_initiative_ids("facade")
