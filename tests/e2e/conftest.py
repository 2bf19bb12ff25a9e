"""Shared fixtures for the browser tests: Debian's Chromium driven by Playwright's sync API.

The tests run against pytest-django's ``live_server`` in this same process. While Playwright's
sync API is started, it keeps an asyncio event loop marked as running in the test thread. That
makes Django's async-safety check refuse ORM calls from the test (``DJANGO_ALLOW_ASYNC_UNSAFE``
switches the check off) and gives the test thread a different store of database connections
(see ``playwright_instance``). Playwright runs per test module, so the rest of the suite runs
without that loop and with the check on.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest

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
# Auto-waiting timeouts (actions and expect()): generous enough for a loaded CI machine.
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


@pytest.fixture(scope="module")
def playwright_instance(chromium_path, django_db_setup):
    """Playwright's sync API for one test module, started after the test database exists.

    Between sync calls Playwright marks its event loop as running in this thread. Django keeps
    database connections in an ``asgiref.local.Local(thread_critical=True)``, which switches to
    a per-context store when a loop runs, so the test would suddenly see fresh connection
    objects: without the snapshot that ``serialized_rollback`` restores from, and apart from
    the ones pytest-django set up. Putting the same connection objects back into that store
    keeps one set of connections for the whole run.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.db import connections

    sync_api.expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    before = {alias: connections[alias] for alias in connections}
    previous_flag = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            for alias, connection in before.items():
                connections[alias] = connection
            yield playwright
    finally:
        if previous_flag is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous_flag


@pytest.fixture(scope="module")
def browser(playwright_instance, chromium_path):
    """One Chromium per test module; every test gets its own contexts (see ``new_page``)."""
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_context(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, request, screenshot):
    """``new_page()`` opens a page in a fresh context: one per actor (own cookies, own login).

    When the test fails, every page it opened is saved as ``<test-name>-failure-<n>.png``.
    """
    contexts = []

    def make():
        context = _new_context(browser)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts, start=1):
        if failed:
            for page in context.pages:
                try:
                    screenshot(page, f"failure-{number}")
                except Exception as error:
                    print(f"could not save the failure screenshot: {error}")
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh browser context: no cookies or storage shared between tests."""
    return new_page()


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

    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
