"""Every string the Jinja2 templates translate is one that makemessages extracts.

``makemessages`` reads templates with Django's template lexer (``templatize``). In a
Jinja2 template that lexer only sees ``{{ _("...") }}``, so a string written any other
way (``{{ name or _("...") }}``, ``ngettext`` or ``{% trans %}``) would silently drop out
of the catalogue and show in English on the Dutch site.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils.translation.template import templatize

JINJA_DIR = Path(settings.BASE_DIR) / "templates" / "jinja2"
TEMPLATES = sorted(JINJA_DIR.rglob("*.html"))
EXTRACTED = re.compile(r"""\b_\(\s*(?P<quote>["'])(?P<text>.*?)(?P=quote)\s*\)""", re.S)


def test_there_are_jinja2_templates_to_check():
    assert len(TEMPLATES) >= 7


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(JINJA_DIR)))
def test_jinja2_translations_are_extracted_by_makemessages(path):
    source = path.read_text()
    environment = engines["jinja2"].env
    used = environment.extract_translations(source)
    wanted = {(function, message) for _line, function, message in used}
    assert all(function in ("_", "gettext") for function, _message in wanted), (
        "plurals in Jinja2 templates go through cms/plurals.py"
    )
    extracted = {match["text"] for match in EXTRACTED.finditer(templatize(source, str(path)))}
    missing = {message for _function, message in wanted} - extracted
    assert not missing, f"makemessages would not find {sorted(missing)} in {path.name}"


def test_the_check_catches_a_string_makemessages_misses():
    source = '<b>{{ name or _("Anonymous") }}</b>'
    extracted = {match["text"] for match in EXTRACTED.finditer(templatize(source, "x.html"))}
    used = {message for _l, _f, message in engines["jinja2"].env.extract_translations(source)}
    assert used == {"Anonymous"}
    assert extracted == set()
