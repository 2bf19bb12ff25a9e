"""Support besides money: hands, hours and space for a live initiative, in a real browser.

A neighbour signs up for a task (htmx swaps the task card in place), the initiator marks the
task done and confirms the helper's hours, adds a task that needs space, a local business
offers its space and the initiator accepts. Everyone browses the English UI (``/en/...``) in
their own browser context; the initiative page then shows the new progress to any visitor.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INITIATIVE_SLUG = "geveltuinen-korte-akkeren"
INITIATIVE_PATH = f"/en/gouda/korte-akkeren/{INITIATIVE_SLUG}/"
INITIATIVE_TITLE = "Geveltuinen in Korte Akkeren"
PASSWORD = "wijkdemo"  # every demo resident's password (demo/management/commands/load_demo_data.py)
NEIGHBOUR_EMAIL = "anouk@example.nl"
NOTE = "Ik neem een kwast mee."
HOURS = 3
SPACE_TASK_TITLE = "Ruimte om de plantenbakken te vullen"
OFFER_DESCRIPTION = "De ruimte achter onze winkel, met een grote tafel"
OFFER_AVAILABILITY = "Zaterdagochtend"
OFFER_VALUE_EUROS = 150


def log_in(page, base_url, email, next_path):
    page.goto(f"{base_url}/en/accounts/login/?next={next_path}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[action$='/login/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(next_path)}$"))
    expect(page.locator("form[action$='/logout/']")).to_be_attached()


def supporters_count(page):
    facts = page.locator(
        ".initiative-side > dl.facts > div", has=page.locator("dt:text-is('Supporters')")
    )
    return facts.locator("dd")


def success_message(page):
    return page.locator("main .messages .message.success")


def neighbour_signs_up(page, base_url, task, screenshot):
    log_in(page, base_url, NEIGHBOUR_EMAIL, INITIATIVE_PATH)
    card = page.locator(f"#task-{task.pk}")
    expect(card.locator("h3")).to_have_text(task.title)
    expect(card).to_contain_text(f"0 of {task.people_needed} helpers")
    screenshot(page, "01-neighbour-on-initiative")

    # htmx is loaded for logged-in visitors; the sign-up then replaces only this card.
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__sameDocument = true; }")
    card.locator(f"#note-{task.pk}").fill(NOTE)
    card.locator("form.signup-form button[type=submit]").click()
    expect(card.locator(".signed-up")).to_have_text("You are signed up.")
    expect(card).to_contain_text(f"1 of {task.people_needed} helpers")
    expect(card.locator(f"form[action$='/tasks/{task.pk}/withdraw/'] button")).to_have_text(
        "Withdraw"
    )
    expect(card.locator("form.signup-form")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert page.url.endswith(INITIATIVE_PATH)
    screenshot(page, "02-neighbour-signed-up")


def initiator_finishes_the_task(page, base_url, task, signup, screenshot):
    page.locator(f".initiative-side a[href$='/tasks/initiative/{task.initiative_id}/']").click()
    expect(page).to_have_url(re.compile(rf"/en/tasks/initiative/{task.initiative_id}/$"))
    expect(page.locator("main h1")).to_have_text("Tasks and offers")
    section = page.locator(f"section#task-{task.pk}")
    helper = section.locator("table.overview tbody tr", has_text=signup.user.public_name)
    expect(helper).to_contain_text(NOTE)
    expect(helper).to_contain_text("Signed up")
    screenshot(page, "03-manage-tasks")

    section.locator(f"form[action$='/tasks/{task.pk}/done/'] button[type=submit]").click()
    expect(success_message(page)).to_have_text("The task is marked as done.")
    expect(section.locator("h2 .status-done")).to_be_visible()
    expect(section.locator(f"form[action$='/tasks/{task.pk}/done/']")).to_have_count(0)

    hours = section.locator(f"#hours-{signup.pk}")
    hours.fill(str(HOURS))
    section.locator(
        f"form[action$='/tasks/sign-ups/{signup.pk}/hours/'] button[type=submit]"
    ).click()
    expect(success_message(page)).to_have_text("The hours are confirmed.")
    expect(helper).to_contain_text("Done")
    expect(section.locator(f"#hours-{signup.pk}")).to_have_value(re.compile(rf"^{HOURS}(\.0)?$"))
    screenshot(page, "04-task-done-hours-confirmed")


def initiator_adds_a_space_task(page, base_url, page_id, screenshot):
    page.locator(f"main a[href$='/tasks/initiative/{page_id}/new/']").click()
    expect(page).to_have_url(re.compile(rf"/en/tasks/initiative/{page_id}/new/$"))
    page.locator("#id_title").fill(SPACE_TASK_TITLE)
    page.locator("#id_kind").select_option("space")
    page.locator("#id_description").fill("Een droge plek om zakken aarde en planten te stallen.")
    page.locator("#id_people_needed").fill("1")
    page.locator("#id_place").fill("Graaf Florisweg, Gouda")
    screenshot(page, "05-add-space-task")
    page.locator("main form.initiative-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/en/tasks/initiative/{page_id}/$"))
    expect(success_message(page)).to_have_text("The task is saved.")
    expect(page.locator("section.manage-task h2", has_text=SPACE_TASK_TITLE)).to_be_visible()


def business_offers_space(page, base_url, task, organisation, email, screenshot):
    log_in(page, base_url, email, INITIATIVE_PATH)
    card = page.locator(f"#task-{task.pk}")
    expect(card.locator("h3")).to_have_text(SPACE_TASK_TITLE)
    expect(card.locator(".task-kind")).to_have_text("Space")
    offer_link = card.locator(f"a[href$='/tasks/{task.pk}/offer/']")
    expect(offer_link).to_have_text("Offer this")
    offer_link.click()

    expect(page).to_have_url(re.compile(rf"/en/tasks/{task.pk}/offer/$"))
    expect(page.locator("main h1")).to_have_text(f"Offer for “{SPACE_TASK_TITLE}”")
    page.locator("#id_organisation").select_option(label=organisation.name)
    page.locator("#id_description").fill(OFFER_DESCRIPTION)
    page.locator("#id_availability").fill(OFFER_AVAILABILITY)
    page.locator("#id_estimated_value").fill(str(OFFER_VALUE_EUROS))
    screenshot(page, "06-offer-form")
    page.locator("main form.initiative-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(INITIATIVE_PATH)}#task-{task.pk}$"))
    expect(success_message(page)).to_have_text("Thank you! The initiators will answer your offer.")
    screenshot(page, "07-offer-sent")


def initiator_accepts_the_offer(page, base_url, task, organisation, screenshot):
    page.goto(f"{base_url}/en/tasks/initiative/{task.initiative_id}/")
    section = page.locator(f"section#task-{task.pk}")
    offer = section.locator("ul.offers li", has_text=organisation.name)
    expect(offer).to_contain_text(OFFER_DESCRIPTION)
    expect(offer).to_contain_text(f"({OFFER_AVAILABILITY})")
    expect(offer).to_contain_text(f"€{OFFER_VALUE_EUROS}")
    expect(offer.locator(".status")).to_have_text("Offered")
    screenshot(page, "08-offer-to-decide")
    offer.locator("button[name=decision][value=accept]").click()
    expect(success_message(page)).to_have_text("Offer accepted.")
    expect(offer.locator(".status")).to_have_text("Accepted")
    expect(offer.locator("button[name=decision]")).to_have_count(0)
    expect(section.locator("h2 .status-full")).to_be_visible()
    screenshot(page, "09-offer-accepted")


def test_neighbour_helps_business_offers_space_and_the_page_shows_progress(
    live_server, demo_data, new_page, screenshot
):
    from accounts.models import Organisation, User
    from campaigns.models import Campaign
    from tasks.models import Offer, SignUp, Task

    base_url = live_server.url
    campaign = Campaign.objects.select_related("page").get(page__slug=INITIATIVE_SLUG)
    assert campaign.status == Campaign.Status.LIVE
    page_id = campaign.page_id
    initiator = campaign.initiators.get()
    neighbour = User.objects.get(email=NEIGHBOUR_EMAIL)
    assert neighbour != initiator
    business = Organisation.objects.get(kind=Organisation.Kind.BUSINESS)
    business_member = business.members.get()
    tasks_before = list(Task.objects.filter(initiative_id=page_id))
    done_before = sum(1 for task in tasks_before if task.status == Task.Status.DONE)
    supporters_before = campaign.supporter_count
    assert not Task.objects.filter(initiative_id=page_id, kind=Task.Kind.SPACE).exists()
    assert not SignUp.objects.filter(task__initiative_id=page_id, user=neighbour).exists()
    task = (
        Task.objects.filter(
            initiative_id=page_id,
            kind=Task.Kind.HANDS,
            status=Task.Status.OPEN,
            people_needed__gt=1,
        )
        .order_by("position", "pk")
        .first()
    )
    assert task is not None and not task.signups.exists()

    # Before: no support in kind or hours yet.
    visitor = new_page()
    visitor.goto(f"{base_url}{INITIATIVE_PATH}")
    expect(visitor.locator("main h1")).to_have_text(INITIATIVE_TITLE)
    expect(visitor.locator(".tasks-summary")).to_have_text(
        f"{done_before} of {len(tasks_before)} tasks done"
    )
    expect(visitor.locator(".initiative-side .in-kind")).to_have_count(0)
    expect(supporters_count(visitor)).to_have_text(str(supporters_before))
    screenshot(visitor, "00-initiative-before")

    # a. A neighbour signs up for an open hands task; the card updates in place.
    neighbour_page = new_page()
    neighbour_signs_up(neighbour_page, base_url, task, screenshot)
    signup = SignUp.objects.get(task=task, user=neighbour)
    assert (signup.status, signup.note, signup.hours_confirmed) == (
        SignUp.Status.SIGNED_UP,
        NOTE,
        None,
    )
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    campaign.refresh_from_db()
    assert campaign.supporter_count == supporters_before + 1

    # b. The initiator marks the task done and confirms the helper's hours.
    initiator_page = new_page()
    log_in(initiator_page, base_url, initiator.email, INITIATIVE_PATH)
    initiator_finishes_the_task(initiator_page, base_url, task, signup, screenshot)
    task.refresh_from_db()
    signup.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert (signup.status, signup.hours_confirmed) == (SignUp.Status.DONE, Decimal(HOURS))
    campaign.refresh_from_db()
    assert campaign.supporter_count == supporters_before + 1

    # c. The initiator asks for space; a local business offers theirs and it is accepted.
    initiator_adds_a_space_task(initiator_page, base_url, page_id, screenshot)
    space_task = Task.objects.get(initiative_id=page_id, title=SPACE_TASK_TITLE)
    assert (space_task.kind, space_task.people_needed, space_task.status) == (
        Task.Kind.SPACE,
        1,
        Task.Status.OPEN,
    )

    business_page = new_page()
    business_offers_space(
        business_page, base_url, space_task, business, business_member.email, screenshot
    )
    offer = Offer.objects.get(task=space_task)
    assert (offer.user_id, offer.organisation_id, offer.kind, offer.status) == (
        business_member.pk,
        business.pk,
        Offer.Kind.SPACE,
        Offer.Status.OFFERED,
    )
    assert (offer.description, offer.availability, offer.estimated_value_cents) == (
        OFFER_DESCRIPTION,
        OFFER_AVAILABILITY,
        OFFER_VALUE_EUROS * 100,
    )
    campaign.refresh_from_db()
    assert campaign.supporter_count == supporters_before + 1

    initiator_accepts_the_offer(initiator_page, base_url, space_task, business, screenshot)
    offer.refresh_from_db()
    space_task.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.decided_at is not None
    assert space_task.status == Task.Status.FULL
    campaign.refresh_from_db()
    assert campaign.supporter_count == supporters_before + 2

    # d. Any visitor sees the new progress on the initiative page.
    visitor.reload()
    expect(visitor.locator(".tasks-summary")).to_have_text(
        f"{done_before + 1} of {len(tasks_before) + 1} tasks done"
    )
    expect(visitor.locator(".initiative-side .in-kind")).to_have_text(
        f"€{OFFER_VALUE_EUROS} in kind, {HOURS} hours"
    )
    expect(supporters_count(visitor)).to_have_text(str(supporters_before + 2))
    done_card = visitor.locator(f"#task-{task.pk}")
    expect(done_card.locator(".status")).to_have_text("Done")
    expect(done_card).to_contain_text(f"1 of {task.people_needed} helpers")
    expect(done_card.locator(".task-actions")).to_have_count(0)
    space_card = visitor.locator(f"#task-{space_task.pk}")
    expect(space_card.locator(".status")).to_have_text("Full")
    expect(space_card.locator("a[href$='/offer/']")).to_have_count(0)
    screenshot(visitor, "10-initiative-after")


def test_over_the_sign_up_limit_the_card_stays_and_a_notice_says_when_to_retry(
    live_server, demo_data, new_page, settings, screenshot
):
    from campaigns.models import Campaign
    from tasks.models import SignUp, Task

    limits = settings.WIJKKAPITAAL["RATE_LIMITS"]
    settings.WIJKKAPITAAL = {
        **settings.WIJKKAPITAAL,
        "RATE_LIMITS": {**limits, "signups": {"ip": "0/h", "user": "0/h"}},
    }
    campaign = Campaign.objects.get(page__slug=INITIATIVE_SLUG)
    task = (
        Task.objects.filter(initiative_id=campaign.page_id, status=Task.Status.OPEN)
        .order_by("position", "pk")
        .first()
    )
    page = new_page()
    log_in(page, live_server.url, NEIGHBOUR_EMAIL, INITIATIVE_PATH)
    page.wait_for_function("() => window.htmx !== undefined")
    card = page.locator(f"#task-{task.pk}")
    card.locator(f"#note-{task.pk}").fill(NOTE)
    card.locator("form.signup-form button[type=submit]").click()

    notice = page.locator(f".messages[role=alert]:has(+ #task-{task.pk})")
    expect(notice).to_contain_text("You sent this form too often in a short time.")
    expect(notice).to_contain_text("Please try again in")
    expect(card.locator(f"#note-{task.pk}")).to_have_value(NOTE)
    screenshot(page, "10-sign-up-rate-limited")
    assert not SignUp.objects.filter(task=task, user__email=NEIGHBOUR_EMAIL).exists()
