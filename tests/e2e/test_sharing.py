"""The share links of an initiative in Chromium: the copy button, and axe on a bad contact form."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INITIATIVE = "/gouda/goverwelle/repair-cafe-goverwelle/"


def test_copy_link_copies_the_pages_address(live_server, demo_data, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}{INITIATIVE}")
    field = page.get_by_label("Link naar deze pagina")
    expect(field).to_have_value(f"{live_server.url}{INITIATIVE}")

    page.get_by_role("button", name="Link kopiëren").click()

    expect(page.get_by_role("status").filter(has_text="De link is gekopieerd.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{INITIATIVE}"


def test_a_contact_form_with_mistakes_stays_accessible(live_server, demo_data, page):
    page.goto(f"{live_server.url}/contact/")
    page.get_by_label("Je naam").fill("Anouk")
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.get_by_role("alert")).to_be_visible()

    violations = Axe().run(page).response["violations"]

    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
