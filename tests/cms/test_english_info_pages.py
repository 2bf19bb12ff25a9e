"""The information pages in English: how it works, FAQ, about, contact, organisations.

The demo builds the Dutch pages and their translations in Wagtail's English tree; the
footer and every link to a platform page go to the page in the interface language.
"""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale, Site

from cms.models import ContactPage, OrganisationIndexPage, PlatformSettings, StandardPage
from cms.templatetags.i18n_switch import links_in_interface_language
from demo import info_content
from demo.info_content import in_language
from demo.info_pages import ensure_info_pages
from demo.management.commands.load_demo_data import Command
from demo.translations import translate_home, translate_standard_page
from tests.factories import OrganisationFactory, UserFactory, moderator, site_tree

pytestmark = pytest.mark.django_db

PAGES = [
    # (key, Dutch path, English path)
    ("how_it_works", "/hoe-het-werkt/", "/en/how-it-works/"),
    ("faq", "/veelgestelde-vragen/", "/en/faq/"),
    ("about", "/over-ons/", "/en/about/"),
    ("organisations", "/organisaties/", "/en/organisations-list/"),
    ("contact", "/contact/", "/en/contact/"),
]
CONTENT = {
    data["key"]: data
    for data in (*info_content.STANDARD_PAGES, info_content.CONTACT, info_content.ORGANISATIONS)
}


@pytest.fixture
def info():
    home = site_tree()[0]
    translate_home(home, title="Start from what the neighbourhood has", intro="Residents.")
    pages = ensure_info_pages(home, Command().ensure_child)
    return {"home": home, "pages": pages}


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _footer(html):
    return html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]


def _good(**changes):
    return {
        "name": "Sam Miller",
        "email": "sam@example.com",
        "subject": "A question about my donation",
        "message": "I donated twice by mistake. Can one donation be refunded?",
        **changes,
    }


@pytest.mark.parametrize(("key", "dutch_path", "english_path"), PAGES)
def test_each_page_has_an_english_translation_with_english_content(
    client, info, key, dutch_path, english_path
):
    english, dutch = in_language(CONTENT[key], "en"), in_language(CONTENT[key], "nl")
    page = info["pages"][key]
    translated = page.get_translation(Locale.objects.get(language_code="en"))
    assert translated.live and translated.url == english_path
    assert resolve(english_path).view_name == "wagtail_serve"  # no Django route shadows it

    html = _html(client, english_path)

    assert '<html lang="en">' in html
    main = _main(html)
    assert f"<h1>{english['title']}</h1>" in main  # English content, so no lang="nl"
    if english["title"] != dutch["title"]:
        assert dutch["title"] not in main
    assert escape(english["search_description"][:60]) in html
    dutch_html = _html(client, dutch_path)
    assert '<html lang="nl">' in dutch_html and f"<h1>{dutch['title']}</h1>" in dutch_html


def test_the_english_faq_and_how_it_works_show_the_english_body(client, info):
    faq = _main(_html(client, "/en/faq/"))
    assert "<summary>How do I pay?</summary>" in faq
    assert "Hoe betaal ik?" not in faq
    how = _main(_html(client, "/en/how-it-works/"))
    assert "For initiators" in how and "Voor initiatiefnemers" not in how


def test_the_english_pages_switch_to_the_dutch_ones(client, info):
    html = _html(client, "/en/how-it-works/")
    switcher = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/hoe-het-werkt/" hreflang="nl"' in switcher


def test_the_footer_links_the_pages_in_the_interface_language(client, info):
    english = _footer(_html(client, "/en/"))
    dutch = _footer(_html(client, "/"))

    for key, dutch_path, english_path in PAGES:
        english_title = in_language(CONTENT[key], "en")["title"]
        dutch_title = in_language(CONTENT[key], "nl")["title"]
        assert f'<a href="{english_path}">{english_title}</a>' in english
        assert f'<a href="{dutch_path}">{dutch_title}</a>' in dutch
    english_links = re.findall(r'href="([^"]+)"', english.split('class="footer-nav"', 1)[1])
    assert english_links[:5] == [english_path for _key, _nl, english_path in PAGES]
    assert "/en/how-it-works/" not in dutch


def test_a_label_typed_for_the_dutch_page_gives_way_to_the_translations_title(client, info):
    pages = info["pages"]
    untranslated = StandardPage(title="Alleen Nederlands", slug="alleen-nederlands")
    info["home"].add_child(instance=untranslated)
    untranslated.save_revision().publish()
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.footer_links = [
        ("link", {"page": pages["contact"], "label": "Stel een vraag"}),
        ("link", {"page": untranslated, "label": ""}),
    ]
    platform.save()

    english = _footer(_html(client, "/en/"))
    dutch = _footer(_html(client, "/"))

    assert '<a href="/en/contact/">Contact</a>' in english
    assert "Stel een vraag" not in english
    # Served under /en/ from the Dutch tree, its Dutch title marked as Dutch.
    assert '<a href="/alleen-nederlands/" lang="nl">Alleen Nederlands</a>' in english
    assert '<a href="/contact/">Stel een vraag</a>' in dutch
    assert 'href="/alleen-nederlands/">Alleen Nederlands</a>' in dutch


def test_the_footer_finds_every_translation_in_one_query(info):
    links = PlatformSettings.for_site(Site.objects.get(is_default_site=True)).footer_links
    list(links)  # the chooser's pages are read once, with the setting
    with translation.override("nl"), CaptureQueriesContext(connection) as dutch:
        shown_nl = links_in_interface_language(links)
    with translation.override("en"), CaptureQueriesContext(connection) as english:
        shown_en = links_in_interface_language(links)

    assert len(dutch) == 0 and len(english) == 1
    assert [link["page"].pk for link in shown_nl] == [
        info["pages"][key].pk for key, _nl, _en in PAGES
    ]
    assert {link["language"] for link in shown_en} == {"en"}


def test_the_privacy_note_on_the_english_contact_form_links_the_english_statement(client, info):
    privacy = StandardPage(title="Privacyverklaring", slug="privacy")
    info["home"].add_child(instance=privacy)
    privacy.save_revision().publish()
    translate_standard_page(privacy, title="Privacy statement", body=[], slug="privacy-statement")
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.privacy_page = privacy
    platform.save()

    english = _main(_html(client, "/en/contact/"))
    dutch = _main(_html(client, "/contact/"))

    assert 'href="/en/privacy-statement/">Privacy statement</a>' in english
    assert 'href="/privacy/">Privacyverklaring</a>' in dutch


def test_bad_input_on_the_english_contact_form_is_answered_in_english(client, info):
    moderator()

    response = client.post("/en/contact/", _good(name="", email="not-an-address"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tell us your name, so that we know whom to answer." in html
    assert "Enter a valid e-mail address, such as name@example.nl." in html
    assert "Vertel ons je naam" not in html and "Vul een geldig" not in html
    assert "A question about my donation" in html  # what was typed is kept
    assert not FormSubmission.objects.exists()


def test_the_english_contact_form_reaches_the_moderators(
    client, info, django_capture_on_commit_callbacks
):
    first, second = moderator(email="mod1@example.nl"), moderator(email="mod2@example.nl")
    UserFactory(email="resident@example.nl")
    english = ContactPage.objects.get(locale__language_code="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/contact/", _good())

    assert response.status_code == 200
    assert "Your message reached the moderators." in response.content.decode()
    submission = FormSubmission.objects.get()
    assert submission.page_id == english.pk
    assert submission.form_data["language"] == "en"
    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]
    assert "I donated twice by mistake" in mail.outbox[0].body
    assert mail.outbox[0].reply_to == ["sam@example.com"]
    assert f"/admin/forms/submissions/{english.pk}/" in mail.outbox[0].body
    client.force_login(first)
    listing = client.get(f"/admin/forms/submissions/{english.pk}/")
    assert listing.status_code == 200 and "sam@example.com" in listing.content.decode()


def test_the_english_organisations_page_lists_the_organisations(client, info):
    OrganisationFactory(name="Bakkerij De Korst", slug="bakkerij-de-korst")

    html = _main(_html(client, "/en/organisations-list/"))

    assert "<h1>Organisations</h1>" in html
    assert '<a href="/en/organisations/bakkerij-de-korst/">Bakkerij De Korst</a>' in html


def test_max_count_leaves_the_admins_translate_action_working(client, info):
    """Only one contact and organisations page may be added, but each may be translated."""
    english = Locale.objects.get(language_code="en")
    ContactPage.objects.filter(locale=english).delete()
    OrganisationIndexPage.objects.filter(locale=english).delete()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    for model in (ContactPage, OrganisationIndexPage):
        source = model.objects.get()
        assert not model.can_create_at(info["home"])
        url = reverse("simple_translation:submit_page_translation", args=[source.pk])
        response = client.post(url, {"locales": [english.pk]})
        assert response.status_code == 302, response.content.decode()[:500]
        assert source.get_translation(english).title == source.title


def test_the_demo_builds_the_english_pages_and_links_them_from_the_english_footer(client):
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)  # and leaves them alone the second time

    assert ContactPage.objects.count() == 2 == OrganisationIndexPage.objects.count()
    footer = _footer(_html(client, "/en/"))
    for _key, _dutch_path, english_path in PAGES:
        assert f'href="{english_path}"' in footer
        assert '<html lang="en">' in _html(client, english_path)
    assert "Bakkerij De Goudse Korst" in _html(client, "/en/organisations-list/")
