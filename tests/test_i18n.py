"""The Dutch catalogue is complete, compiled, and used by default."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES"


def _catalog():
    with open(LOCALE / "django.po", "rb") as handle:
        return read_po(handle, locale="nl")


def test_every_dutch_message_is_translated_and_not_fuzzy():
    untranslated, fuzzy = [], []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog():
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
            assert compiled.ngettext(message.id[0], message.id[1], 5) == message.string[1]
        elif message.context:
            assert compiled.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


@pytest.mark.django_db
def test_pages_are_dutch_by_default_and_english_under_en(client):
    from tests.factories import site_tree

    site_tree()
    dutch = client.get("/initiatives/").content.decode()
    english = client.get("/en/initiatives/").content.decode()
    assert "Start een initiatief" in dutch or "Initiatief starten" in dutch
    assert "Start an initiative" in english
    assert 'lang="nl"' in dutch and 'lang="en"' in english
