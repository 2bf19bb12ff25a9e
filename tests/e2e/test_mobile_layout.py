"""The public and personal pages on a 390 px phone: nothing wider than the screen, a compact
header with a menu button, and the Donate button near the top of an initiative."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from campaigns.models import InitiativePage
from campaigns.services.pledges import create_pledge, mark_paid
from tasks.models import Task
from tasks.services.signups import sign_up
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
PASSWORD = "wijkdemo"  # every demo resident's password (demo/management/commands/load_demo_data.py)
INITIATOR_EMAIL = "sanne@example.nl"
NEIGHBOUR_EMAIL = "anouk@example.nl"
INITIATIVE_SLUG = "geveltuinen-korte-akkeren"
HEADER_MAX_PX = 80

# Every element whose box reaches past the viewport's right (or left) edge, with a readable name.
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const offenders = [];
  // Visually hidden text (clip: rect(0 0 0 0)) may be wide but is never seen.
  const clipped = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).clip !== 'auto') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.closest('.visually-hidden, .skip-link, [hidden]')) continue;
    if (!el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})) continue;
    if (clipped(el)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const parent = el.parentElement;
      const where = parent ? `${parent.tagName.toLowerCase()}.${(parent.className || '').toString().trim().split(/\\s+/).join('.')} > ` : '';
      offenders.push(`${where}${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} [${Math.round(box.left)}..${Math.round(box.right)}]`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders};
}
"""


@pytest.fixture
def open_page(browser):
    """``open_page(viewport, javascript=True)``: a page in its own browser context."""
    contexts = []

    def make(viewport, javascript=True):
        context = browser.new_context(
            viewport=viewport,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=[PHONE, SMALL_PHONE], ids=["390px", "360px"])
def phone(open_page, request):
    return open_page(request.param)


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[action$='/login/'] button[type=submit]").click()
    expect(page.locator("form[action$='/logout/']")).to_be_attached()


def assert_fits(page, path, screenshot):
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("load")
    screenshot(
        page, re.sub(r"[^a-z0-9]+", "-", path.split("//", 1)[-1].split("/", 1)[-1]) or "home"
    )
    result = page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["innerWidth"], (path, result)
    assert not result["offenders"], (path, result["offenders"][:15])
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= HEADER_MAX_PX, (path, header)


def initiative(slug=INITIATIVE_SLUG):
    return InitiativePage.objects.get(slug=slug)


def test_public_pages_fit_a_phone(live_server, demo_data, phone, screenshot):
    page = initiative()
    base = live_server.url
    paths = ["/", "/initiatives/", page.url, f"/initiatives/{page.pk}/donate/"]
    for path in [*paths, f"/tasks/initiative/{page.pk}/all/"]:
        assert_fits(phone, f"{base}{path}", screenshot)


def test_personal_pages_fit_a_phone(live_server, demo_data, phone, screenshot):
    page = initiative()
    user = get_user_model().objects.get(email=INITIATOR_EMAIL)
    pledge, _attempt = create_pledge(campaign=page.campaign, amount_cents=25_00, donor=user)
    mark_paid(pledge_id=pledge.pk, session_id=f"cs_mobile_{pledge.pk}")
    # A helper on the manage page: a long address and note in the helpers' table.
    helper = get_user_model().objects.get(email=NEIGHBOUR_EMAIL)
    helper.email = "anouk.de.vries.van.de.lange.tiendeweg@voorbeeld-buurtvereniging.nl"
    helper.save(update_fields=["email"])
    task = Task.objects.filter(initiative=page, kind__in=Task.PEOPLE_KINDS).first()
    sign_up(task=task, user=helper, note="Ik neem een kwast, een trapje en twee buren mee.")
    base = live_server.url
    log_in(phone, base, INITIATOR_EMAIL)
    for path in [
        "/initiatives/new/",
        "/initiatives/mine/",
        "/donations/mine/",
        "/tasks/mine/",
        f"/tasks/initiative/{page.pk}/",
        page.url,
    ]:
        assert_fits(phone, f"{base}{path}", screenshot)


def main_link(page):
    return page.locator("header nav.main-nav a", has_text="Initiatieven")


def test_the_menu_button_opens_the_navigation_by_keyboard(live_server, demo_data, open_page):
    phone = open_page(PHONE)
    phone.goto(f"{live_server.url}/")
    toggle = phone.locator("header .menu-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(main_link(phone)).to_be_hidden()

    toggle.focus()
    phone.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(main_link(phone)).to_be_visible()
    for link in phone.locator("header nav.main-nav a").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box

    results = Axe().run(phone)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, describe(blocking)

    phone.keyboard.press("Tab")
    phone.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(main_link(phone)).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_menu_works_without_javascript(live_server, demo_data, open_page):
    page = open_page(PHONE, javascript=False)
    page.goto(f"{live_server.url}/")
    expect(main_link(page)).to_be_hidden()
    page.locator("header .menu-toggle").click()
    expect(main_link(page)).to_be_visible()

    wide = open_page({"width": 1280, "height": 900}, javascript=False)
    wide.goto(f"{live_server.url}/")
    expect(wide.locator("header .menu-toggle")).to_be_hidden()
    expect(main_link(wide)).to_be_visible()


def test_the_navigation_is_open_on_a_wide_screen(live_server, demo_data, open_page):
    page = open_page({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    expect(page.locator("header .menu-toggle")).to_be_hidden()
    expect(main_link(page)).to_be_visible()


@pytest.mark.parametrize(
    ("viewport", "screens"),
    [
        pytest.param(PHONE, 1.5, id="phone"),
        pytest.param({"width": 1280, "height": 900}, 1, id="desktop"),
    ],
)
def test_the_donate_button_and_the_way_to_help_follow_the_title(
    live_server, demo_data, open_page, screenshot, viewport, screens
):
    page = open_page(viewport)
    page.goto(f"{live_server.url}{initiative().url}")
    screenshot(page, "initiative", full_page=False)
    limit = viewport["height"] * screens
    donate = page.locator(".initiative-funding a.donate-button")
    help_entry = page.locator(".initiative-funding .help-entry a[href='#tasks']")
    expect(donate).to_be_visible()
    expect(help_entry).to_be_visible()
    story = page.locator("#story-heading").bounding_box()
    for element in (donate, help_entry):
        box = element.bounding_box()
        assert box["y"] + box["height"] <= limit, (viewport, box)
    if viewport is PHONE:
        # On a phone the funding box comes between the summary and the story.
        assert donate.bounding_box()["y"] < story["y"]
    help_entry.click()
    expect(page.locator("#tasks")).to_be_in_viewport()
