"""axe-core accessibility checks of the public pages, in Debian's Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLOCKING_IMPACTS = {"serious", "critical"}

PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/gouda/binnenstad/", id="neighbourhood"),
    pytest.param("/gouda/binnenstad/wat-we-hebben/", id="register"),
    pytest.param("/en/gouda/binnenstad/wat-we-hebben/?kind=space&step_free=on", id="register-en"),
    pytest.param("/gouda/binnenstad/de-bruisplaats/", id="initiative"),
    pytest.param("/gouda/", id="city"),
    pytest.param("/open-data/", id="open-data"),
    pytest.param("/en/open-data/", id="open-data-en"),
    pytest.param("/hoe-het-werkt/", id="how-it-works"),
    pytest.param("/veelgestelde-vragen/", id="faq"),
    pytest.param("/over-ons/", id="about"),
    pytest.param("/contact/", id="contact"),
    pytest.param("/organisaties/", id="organisations"),
    pytest.param("/privacy/", id="privacy"),
    pytest.param("/en/", id="home-en"),
    pytest.param("/en/gouda/binnenstad/de-bruisplaats/", id="initiative-en"),
    pytest.param("/en/privacy/", id="privacy-en"),
    pytest.param("/en/how-it-works/", id="how-it-works-en"),
    pytest.param("/en/faq/", id="faq-en"),
    pytest.param("/en/about/", id="about-en"),
    pytest.param("/en/contact/", id="contact-en"),
    pytest.param("/en/organisations-list/", id="organisations-en"),
]


def describe(violations):
    """One readable block per violation: rule, impact, help and every failing node."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    * {target}")
            lines.append(f"      {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(
    live_server, demo_data, page, screenshot, path
):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("load")
    screenshot(page, "page")

    results = Axe().run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    minor = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if minor:
        print(f"axe: minor/moderate findings on {path}:\n{describe(minor)}")
    assert not blocking, (
        f"axe found {len(blocking)} serious or critical violation(s) on {path}:\n"
        f"{describe(blocking)}"
    )
