"""Content-Security-Policy on every public page (cached or not), none in the admins, no
inline script or style in the templates, and a language switcher that only links here."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


@pytest.fixture
def initiative():
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


def _policy(response):
    return dict(
        (part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )


def test_public_pages_carry_a_strict_policy(client, initiative):
    response = client.get(initiative.page.url)

    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_a_page_cache_hit_carries_the_policy_and_the_other_headers(client, initiative, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 5}

    miss = client.get(initiative.page.url)
    hit = client.get(initiative.page.url)

    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in ("Content-Security-Policy", "X-Frame-Options", "Vary"):
        assert hit[name] == miss[name], name
    assert "script-src 'self'" in hit["Content-Security-Policy"]


def test_the_admins_are_left_out_of_the_policy(client):
    client.force_login(moderator())

    assert "Content-Security-Policy" not in client.get("/admin/")
    assert "Content-Security-Policy" not in client.get("/django-admin/login/")


def test_no_template_has_inline_script_style_or_event_handlers():
    """E-mails and downloaded documents are read outside the site, without its policy or its
    style sheet, so they carry their own styles."""
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if not {"email", "documents"} & set(path.relative_to(TEMPLATES).parts)
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def _switcher_links(html):
    nav = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]*)"', nav)


def test_a_request_for_another_host_never_becomes_a_switcher_link(client, initiative):
    response = client.get("/", PATH_INFO="//evil.example/")

    assert response.status_code == 404
    links = _switcher_links(response.content.decode())
    assert links == ["/", "/en/"]
    assert "evil.example" not in response.content.decode().split("<main", 1)[0]


def test_a_missing_page_links_to_itself_in_the_other_language(client, initiative):
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert _switcher_links(response.content.decode()) == ["/bestaat-niet/", "/en/bestaat-niet/"]


def test_the_switcher_keeps_the_page_and_its_filters(client, initiative):
    response = client.get("/en/initiatives/", {"category": "repair"})

    assert _switcher_links(response.content.decode()) == [
        "/initiatives/?category=repair",
        "/en/initiatives/?category=repair",
    ]
