"""The privacy statement and terms: demo pages, found through the site setting."""

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Site

from cms.models import PlatformSettings, StandardPage

pytestmark = pytest.mark.django_db


def test_demo_privacy_page_is_linked_from_footer_signup_and_donate_form(client):
    call_command("load_demo_data", verbosity=0)
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    privacy, terms = platform.privacy_page.specific, platform.terms_page.specific
    assert isinstance(privacy, StandardPage) and privacy.live
    body = str(privacy.body)
    assert "18 maanden" in body and "Oud-lid" in body
    assert StandardPage.objects.filter(slug="privacy", locale=privacy.locale).count() == 1
    english = privacy.get_translation(Locale.objects.get(language_code="en")).specific
    assert (
        english.live and "18 months" in str(english.body) and "Former member" in str(english.body)
    )
    assert terms.get_translation(english.locale).title == "Terms of use"

    home = client.get("/").content.decode()
    assert f'href="{privacy.url}"' in home and f'href="{terms.url}"' in home
    signup = client.get("/accounts/signup/").content.decode()
    assert f'href="{privacy.url}"' in signup
    page = client.get(privacy.url)
    assert page.status_code == 200
    english_home = client.get("/en/").content.decode()
    assert 'href="/en/privacy/">Privacy statement</a>' in english_home
    assert 'href="/en/terms/">Terms of use</a>' in english_home
    assert "Start from what the neighbourhood already has" in english_home
    assert "18 months" in client.get("/en/privacy/").content.decode()


def test_the_footer_follows_the_setting_not_a_fixed_path(client):
    from tests.factories import site_tree

    home = site_tree()[0]
    page = StandardPage(title="Onze privacy", slug="onze-privacy")
    home.add_child(instance=page)
    assert 'class="footer-privacy"></p>' in client.get("/").content.decode().replace("\n", "")
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.privacy_page = page
    platform.save()
    assert 'href="/onze-privacy/"' in client.get("/").content.decode()
