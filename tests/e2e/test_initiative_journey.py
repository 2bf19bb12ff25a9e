"""A newcomer's initiative from sign-up to live page, through a real browser.

The newcomer browses the English UI (``/en/...``); the moderator uses Wagtail's admin, which
speaks Dutch here, so the admin steps select elements by their markup, never by visible text.
Each actor has their own browser context, as they would have their own browser.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from demo.two_factor import current_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "nieuwe.buur@example.nl"
PASSWORD = "Korte-Akkeren-2025!"
DISPLAY_NAME = "Nieuwe Buur"
TITLE = "Buurtmoestuin aan de Houtsingel"
MODERATOR_EMAIL = "moderator@wijkkapitaal.nl"
MODERATOR_PASSWORD = "wijkdemo-moderator"


def sign_up_and_confirm(page, base_url, screenshot):
    page.goto(f"{base_url}/en/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_display_name").fill(DISPLAY_NAME)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    screenshot(page, "01-signup")
    page.locator("main form[action$='/signup/'] button[type=submit]").click()
    # allauth shows "verification sent" at the confirm-email URL without a key.
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))
    screenshot(page, "02-verification-sent")

    # Only the newcomer's message, whatever else the platform mailed meanwhile.
    messages = [message for message in mail.outbox if EMAIL in message.to]
    assert len(messages) == 1, [message.subject for message in mail.outbox]
    match = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", messages[0].body)
    assert match, f"no confirmation link in the e-mail:\n{messages[0].body}"
    page.goto(match.group(0))
    confirm = page.locator("main form[action*='/confirm-email/'] button[type=submit]")
    expect(confirm).to_be_visible()
    screenshot(page, "03-confirm-email")
    confirm.click()
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION logs them in; LOGIN_REDIRECT_URL is "My initiatives".
    expect(page).to_have_url(re.compile(r"/en/initiatives/mine/$"))
    expect(page.locator("form[action$='/logout/']")).to_be_attached()


def create_initiative(page, base_url, screenshot):
    page.goto(f"{base_url}/en/initiatives/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Samen een moestuin op het braakliggende veldje.")
    page.locator("#id_story").fill(
        "We kopen plantenbakken, potgrond en zaden.\n\nIedereen uit de buurt mag meedoen."
    )
    page.locator("#id_neighbourhood").select_option(label="Korte Akkeren")
    page.locator("#id_category").select_option("green")
    page.locator("#id_location").fill("Veldje aan de Houtsingel")
    page.locator("#id_goal").fill("500")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.locator("#id_funding_model input[value='keep_what_you_raise']").check()
    page.locator("#id_budget-0-description").fill("Plantenbakken en potgrond")
    page.locator("#id_budget-0-amount").fill("500")
    page.locator("#id_tasks-0-title").fill("Plantenbakken in elkaar zetten")
    page.locator("#id_tasks-0-kind").select_option("hands")
    page.locator("#id_tasks-0-people_needed").fill("4")
    screenshot(page, "04-initiative-form")
    page.locator("form.initiative-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/en/initiatives/mine/$"))
    row = page.locator("table.overview tbody tr", has_text=TITLE)
    expect(row.locator(".status-draft")).to_be_visible()
    screenshot(page, "05-draft-saved")
    return row, deadline


def approve_in_wagtail_admin(page, base_url, page_id, screenshot):
    # The admin's login sends staff to the site's own (allauth) login, and back.
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.locator("#id_login").fill(MODERATOR_EMAIL)
    page.locator("#id_password").fill(MODERATOR_PASSWORD)
    page.locator("form:has(#id_login) button[type=submit]").click()
    # The demo moderator has the demo's authenticator app (demo/two_factor.py).
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.locator("#id_code").fill(current_code())
    page.locator("form[action$='/2fa/authenticate/'] button[type=submit]:not([form])").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # The dashboard's "awaiting your review" panel lists the submitted initiative.
    awaiting = page.locator("#awaiting-review-section")
    link = awaiting.locator(f"td.title a[href$='/admin/pages/{page_id}/edit/']")
    expect(link).to_have_text(TITLE)
    screenshot(page, "07-admin-dashboard")
    link.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{page_id}/edit/$"))

    # The footer's action menu holds the workflow actions; "approve" without a modal URL is
    # "Approve and publish" (the one with a modal asks for a comment first).
    page.locator("footer .w-dropdown--dropdown-button .w-dropdown__toggle").click()
    approve = page.locator(
        "footer button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    )
    expect(approve).to_be_visible()
    screenshot(page, "08-admin-action-menu", full_page=False)
    approve.click()
    # Wagtail returns to the parent's page listing, with the initiative marked live.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/$"))
    expect(page.locator(".messages .success")).to_contain_text(TITLE)
    screenshot(page, "09-admin-approved")


def test_newcomer_starts_an_initiative_that_a_moderator_approves(
    live_server, demo_data, new_page, screenshot
):
    from accounts.models import User
    from campaigns.models import Campaign
    from cms.models import NeighbourhoodPage

    base_url = live_server.url

    # a. A newcomer signs up and confirms their e-mail address.
    newcomer = new_page()
    sign_up_and_confirm(newcomer, base_url, screenshot)
    user = User.objects.get(email=EMAIL)
    assert user.display_name == DISPLAY_NAME
    assert user.emailaddress_set.get(email=EMAIL).verified

    # b. They start an initiative, save it as a draft and submit it for review.
    row, deadline = create_initiative(newcomer, base_url, screenshot)
    campaign = Campaign.objects.select_related("page").get(initiators=user)
    initiative = campaign.page.specific
    korte_akkeren = NeighbourhoodPage.objects.get(title="Korte Akkeren")
    assert campaign.status == Campaign.Status.DRAFT
    assert not initiative.live
    assert initiative.get_parent().pk == korte_akkeren.pk
    draft = initiative.get_latest_revision_as_object()
    assert (draft.title, draft.goal_cents, draft.deadline) == (TITLE, 500_00, deadline)
    assert draft.funding_model == "keep_what_you_raise"
    assert [(line.description, line.amount_cents) for line in draft.budget_lines.all()] == [
        ("Plantenbakken en potgrond", 500_00)
    ]
    assert list(initiative.tasks.values_list("title", "kind", "people_needed")) == [
        ("Plantenbakken in elkaar zetten", "hands", 4)
    ]

    row.locator(f"form[action$='/initiatives/{initiative.pk}/submit/'] button").click()
    expect(row.locator(".status-in_review")).to_be_visible()
    expect(row.locator("form[action$='/submit/']")).to_have_count(0)
    screenshot(newcomer, "06-submitted")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.IN_REVIEW
    assert initiative.current_workflow_state is not None

    # c. A moderator approves it through the Wagtail admin.
    moderator = new_page()
    approve_in_wagtail_admin(moderator, base_url, initiative.pk, screenshot)
    campaign.refresh_from_db()
    initiative.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.live_at is not None
    assert initiative.live

    # d. Anyone sees it on the neighbourhood page and can open it.
    visitor = new_page()
    response = visitor.goto(f"{base_url}/gouda/korte-akkeren/")
    assert response.status == 200
    card = visitor.locator("article.card", has=visitor.locator(".card-title", has_text=TITLE))
    expect(card).to_be_visible()
    expect(card.locator(".status-live")).to_be_visible()
    screenshot(visitor, "10-neighbourhood-page")
    card.locator(".card-title a").click()
    expect(visitor).to_have_url(re.compile(rf"/gouda/korte-akkeren/{initiative.slug}/$"))
    expect(visitor.locator("h1")).to_have_text(TITLE)
    screenshot(visitor, "11-initiative-page")
    response = visitor.goto(f"{base_url}{initiative.url}")
    assert response.status == 200

    # The initiator's overview now links to the live page.
    newcomer.reload()
    expect(row.locator(".status-live")).to_be_visible()
    expect(row.locator(f"a[href$='{initiative.slug}/']")).to_be_visible()
