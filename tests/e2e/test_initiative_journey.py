"""A newcomer's initiative from sign-up to live page, through a real browser."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "nieuwe.buur@example.nl"
PASSWORD = "Korte-Akkeren-2025!"
DISPLAY_NAME = "Nieuwe Buur"
TITLE = "Buurtmoestuin Korte Akkeren"


def test_explore(live_server, demo_data, page, screenshot):
    base = live_server.url
    page.goto(f"{base}/en/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_display_name").fill(DISPLAY_NAME)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, "after-signup")
    print(page.url)
    print([(m.subject, m.to, m.body) for m in mail.outbox])
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    screenshot(page, "confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    print(page.url)
    screenshot(page, "confirmed")
    page.goto(f"{base}/en/initiatives/new/")
    screenshot(page, "new")
    print(page.locator("main").inner_html())
