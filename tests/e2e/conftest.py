"""Shared fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API.

The tests run against pytest-django's ``live_server`` in this same process. Playwright's sync
API runs an asyncio event loop in the test thread, which makes Django's async-safety check
refuse ORM calls from the test; ``DJANGO_ALLOW_ASYNC_UNSAFE`` switches that check off.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Auto-waiting timeouts: generous enough for a loaded CI machine, short enough to fail fast.
DEFAULT_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000


def pytest_configure(config):
    """Let Django serialize the migrated database for ``serialized_rollback``.

    Wagtail's search app has a SQLite-only full-text table (``wagtailsearch_indexentry_fts``)
    that Django's test serializer tries to read on PostgreSQL too; its rows are a search index,
    not data a test needs restored, so the app is left out of the snapshot.
    """
    from django.conf import settings

    if "wagtail.search" not in settings.TEST_NON_SERIALIZED_APPS:
        settings.TEST_NON_SERIALIZED_APPS = [*settings.TEST_NON_SERIALIZED_APPS, "wagtail.search"]


@pytest.fixture(scope="session")
def chromium_path():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "`playwright install` cannot download browsers here"
        )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(scope="session")
def playwright_instance(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    """One Chromium for the whole run; every test gets its own context (see ``page``)."""
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_context(browser):
    """A fresh context: no cookies or storage shared between tests."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")`` saves test-artifacts/e2e/<test-name>-<step>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, step, *, full_page=True):
        path = ARTIFACTS_DIR / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def demo_data(transactional_db, django_db_serialized_rollback):
    """The demo site (home, Gouda, its neighbourhoods and initiatives, the moderator).

    The live server reads the database over its own connection, so the tests need a
    transactional database; it is flushed after each test. Wagtail's migrations create the
    root page, the "Moderators" group and the moderation workflow, so the flush must be
    followed by a serialized rollback to bring them back for the next test.
    """
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)
