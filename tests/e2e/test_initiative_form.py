"""The initiative form in a browser: rows added without a round trip, focus on the errors."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe
from tests.e2e.test_mobile_layout import INITIATOR_EMAIL, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_lines_are_added_in_place_and_errors_take_the_focus(live_server, demo_data, page):
    drafts = Campaign.objects.count()
    log_in(page, live_server.url, INITIATOR_EMAIL)
    page.goto(f"{live_server.url}/en/initiatives/new/")
    page.locator("#id_title").fill("Bankje bij de bushalte")
    # The empty form starts with two budget lines (one required, one extra) and one task.
    expect(page.locator("input[name='budget-TOTAL_FORMS']")).to_have_value("2")

    page.locator("#budget-lines [data-add-row]").click()
    page.locator("#tasks [data-add-row]").click()

    expect(page).to_have_url(re.compile(r"/en/initiatives/new/$"))
    expect(page.locator("#id_budget-2-description")).to_be_attached()
    expect(page.locator("#id_tasks-1-title")).to_be_focused()
    expect(page.locator("input[name='budget-TOTAL_FORMS']")).to_have_value("3")
    expect(page.locator("#id_title")).to_have_value("Bankje bij de bushalte")

    page.locator("#id_budget-2-description").fill("Een bankje")
    page.locator("#id_budget-2-amount").fill("250")
    page.locator("form.initiative-form button[type=submit]").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_goal']")).to_be_visible()
    expect(page.locator("#id_goal")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_budget-2-description")).to_have_value("Een bankje")
    assert Campaign.objects.count() == drafts
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)
