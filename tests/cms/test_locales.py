"""Every content language has its Wagtail locale after ``migrate``, without the admin."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def language_codes():
    return sorted(Locale.objects.values_list("language_code", flat=True))


def test_migrate_creates_a_locale_for_every_content_language():
    expected = sorted(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)

    assert expected == ["en", "nl"]
    assert language_codes() == expected
    with translation.override("en"):
        assert Locale.get_active().language_code == "en"


def test_migrating_again_recreates_a_missing_locale_and_duplicates_none():
    Locale.objects.filter(language_code="en").delete()

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)

    assert language_codes() == ["en", "nl"]
    assert Locale.get_default().language_code == "nl"
