"""The admin's "Translate" refuses Dutch-only pages: their running state hangs off the id."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from campaigns.models import InitiativePage
from cms.i18n import UntranslatablePageError
from cms.models import HomePage, StandardPage
from demo.translations import translate_home
from tests.factories import UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home, city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    return {
        "home": home,
        "city": city,
        "neighbourhood": neighbourhood,
        "initiative": InitiativePage.objects.get(pk=campaign.page_id),
    }


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def translate_url(page):
    return reverse("simple_translation:submit_page_translation", args=[page.pk])


def messages_of(response):
    """The flashed texts (Wagtail's admin messages end in blank lines for their buttons)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("name", ["initiative", "neighbourhood", "city"])
def test_translating_a_dutch_only_page_is_refused_with_a_message(admin_client, tree, english, name):
    translate_home(tree["home"], title="Home", intro="Residents.")
    page = tree[name]

    shown = admin_client.get(translate_url(page))
    posted = admin_client.post(translate_url(page), {"locales": [english.pk]})

    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert shown.status_code == posted.status_code == 302
    assert shown["Location"] == posted["Location"] == edit_url
    assert "Steden, wijken en initiatieven worden niet vertaald" in messages_of(posted)[0]
    assert not Page.objects.filter(translation_key=page.translation_key, locale=english).exists()


def test_the_refusal_speaks_english_to_an_english_admin(admin_client, tree, english):
    translate_home(tree["home"], title="Home", intro="Residents.")
    user = admin_client.session["_auth_user_id"]
    UserProfile.objects.update_or_create(user_id=user, defaults={"preferred_language": "en"})

    response = admin_client.post(translate_url(tree["initiative"]), {"locales": [english.pk]})

    assert response.status_code == 302
    assert messages_of(response) == [
        "Cities, neighbourhoods and initiatives are not translated: their donations and tasks "
        "belong to the one Dutch page, which the English site shows as it is."
    ]


def test_translating_the_home_page_with_its_subtree_is_refused(admin_client, tree, english):
    response = admin_client.post(
        translate_url(tree["home"]), {"locales": [english.pk], "include_subtree": "on"}
    )

    assert response.status_code == 400
    assert "Vertaal deze pagina zonder de pagina&#x27;s eronder" in response.content.decode()
    assert not HomePage.objects.filter(locale=english).exists()
    assert not InitiativePage.objects.filter(locale=english).exists()


def test_translating_an_info_page_still_works(admin_client, tree, english):
    translate_home(tree["home"], title="Home", intro="Residents.")
    page = StandardPage(title="Zo werkt het", slug="zo-werkt-het")
    tree["home"].add_child(instance=page)

    assert admin_client.get(translate_url(page)).status_code == 200
    response = admin_client.post(translate_url(page), {"locales": [english.pk]})

    translated = page.get_translation(english)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[translated.pk])


def test_copy_for_translation_refuses_a_dutch_only_page(tree, english):
    translate_home(tree["home"], title="Home", intro="Residents.")

    with pytest.raises(UntranslatablePageError):
        tree["city"].copy_for_translation(english)

    assert not Page.objects.filter(locale=english).exclude(depth=2).exists()
