"""The neighbourhood's register in a real browser, from listing to the meter.

A neighbourhood centre lists its hall in Korte Akkeren's register; the initiator of a live
initiative there finds it on the register page (filtered to step-free spaces for 30
people), writes to the owner through the platform, the owner reads the mail and answers
on the platform, the initiator asks for the hall on a space task and the owner agrees:
the initiative's wijkkapitaal meter counts its value in kind. axe checks each new page.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "wijkdemo"
NEIGHBOURHOOD_PATH = "/en/gouda/korte-akkeren/"
INITIATIVE_PATH = f"{NEIGHBOURHOOD_PATH}geveltuinen-korte-akkeren/"
OWNER_EMAIL = "ingrid@example.nl"  # an admin of Buurthuis De Speelwei (demo data)
ORGANISATION = "Buurthuis De Speelwei"
INITIATOR_EMAIL = "sanne@example.nl"
HALL = "De grote zaal van het buurthuis"
HALL_VALUE_EUROS = 200
SPACE_TASK_TITLE = "Een zaal voor de bewonersavond"
QUESTION = "Mogen we de zaal op 14 maart gebruiken voor onze bewonersavond?"
ANSWER = "Ja, dat kan. Vraag hem aan bij je taak, dan stem ik toe."


def log_in(page, base_url, email, next_path):
    page.goto(f"{base_url}/en/accounts/login/?next={next_path}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[action$='/login/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(next_path)}$"))


def success_message(page):
    return page.locator("main .messages .message.success")


def assert_accessible(page):
    page.wait_for_load_state("load")
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n{describe(blocking)}"


def in_kind(page):
    meter = page.locator("section.capital-meter dl.capital-figures > div")
    return meter.filter(has=page.locator("dt", has_text=re.compile(r"^In kind$"))).locator("dd")


def owner_lists_the_hall(page, base_url, neighbourhood, screenshot):
    new_offer = f"/en/tasks/offers/new/?neighbourhood={neighbourhood.pk}"
    log_in(page, base_url, OWNER_EMAIL, new_offer)
    page.locator("#id_kind").select_option("space")
    page.locator("#id_organisation").select_option(label=ORGANISATION)
    page.locator("#id_description").fill(HALL)
    page.locator("#id_availability").fill("Doordeweeks 's avonds")
    page.locator("#id_estimated_value").fill(str(HALL_VALUE_EUROS))
    page.locator("#id_capacity").fill("60")
    page.locator("#id_step_free").check()
    page.locator("#id_accessible_toilet").check()
    screenshot(page, "01-list-the-hall")
    page.locator("main form.initiative-form button[type=submit]").click()
    expect(success_message(page)).to_have_text(
        "Thank you! Your offer is listed in the neighbourhood."
    )


def initiator_adds_a_space_task(page, page_id):
    page.goto(page.url.split("/en/")[0] + f"/en/tasks/initiative/{page_id}/new/")
    page.locator("#id_title").fill(SPACE_TASK_TITLE)
    page.locator("#id_kind").select_option("space")
    page.locator("#id_people_needed").fill("1")
    page.locator("main form.initiative-form button[type=submit]").click()
    expect(success_message(page)).to_have_text("The task is saved.")


def initiator_finds_the_hall(page, base_url, screenshot):
    page.goto(f"{base_url}{NEIGHBOURHOOD_PATH}")
    page.locator("a.register-link").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(NEIGHBOURHOOD_PATH)}wat-we-hebben/$"))
    expect(page.locator("main h1")).to_have_text("What Korte Akkeren has")
    assert_accessible(page)

    page.locator("#id_kind").select_option("space")
    page.locator("#id_min_capacity").fill("30")
    page.locator("#id_step_free").check()
    page.locator("form.register-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"kind=space.*min_capacity=30.*step_free=on"))
    items = page.locator("li.register-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(HALL)
    expect(items.first).to_contain_text("Room for 60 people")
    expect(items.first).to_contain_text("Step-free access")
    screenshot(page, "02-register-filtered")
    assert_accessible(page)
    items.first.locator("h3 a").click()
    expect(page.locator("main h1")).to_have_text(HALL)


def initiator_writes_to_the_owner(page, screenshot):
    assert OWNER_EMAIL not in page.content()
    assert_accessible(page)
    page.locator("#id_body").fill(QUESTION)
    page.locator("form.register-message-form button[type=submit]").click()
    expect(success_message(page)).to_have_text(
        "Your message is sent. The answer comes here and by e-mail."
    )
    expect(page.locator("ol.conversation")).to_contain_text(QUESTION)
    screenshot(page, "03-message-sent")


def owner_answers_through_the_platform(page, conversation_url, screenshot):
    page.goto(conversation_url)
    expect(page.locator("ol.conversation")).to_contain_text(QUESTION)
    assert INITIATOR_EMAIL not in page.content()
    assert_accessible(page)
    page.locator("#id_body").fill(ANSWER)
    page.locator("form.register-message-form button[type=submit]").click()
    expect(success_message(page)).to_have_text("Your answer is sent.")
    screenshot(page, "04-owner-answered")


def initiator_asks_for_the_hall(page, base_url, task, item):
    page.goto(f"{base_url}/en/tasks/initiative/{task.initiative_id}/")
    section = page.locator(f"section#task-{task.pk}")
    suggestion = section.locator("ul.offers li", has_text=HALL)
    expect(suggestion).to_contain_text("Room for 60 people")
    suggestion.locator(f"form[action$='/request/{item.pk}/'] button").click()
    expect(success_message(page)).to_have_text(
        "The offer was added to the task; accept it when agreed."
    )


def owner_agrees(page, base_url, screenshot):
    page.goto(f"{base_url}/en/tasks/mine/")
    request = page.locator("ul.offers li", has_text=HALL).first
    expect(request).to_contain_text(SPACE_TASK_TITLE)
    screenshot(page, "05-request-to-agree")
    request.locator("button[name=decision][value=accept]").click()
    expect(success_message(page)).to_have_text("Thank you! The initiators will contact you.")


def test_a_listed_space_is_found_asked_about_offered_and_moves_the_meter(
    live_server, demo_data, new_page, screenshot
):
    from django.core import mail

    from campaigns.models import Campaign
    from cms.models import NeighbourhoodPage
    from tasks.models import Offer, RegisterMessage, Task

    base_url = live_server.url
    neighbourhood = NeighbourhoodPage.objects.get(slug="korte-akkeren")
    campaign = Campaign.objects.select_related("page").get(page__slug="geveltuinen-korte-akkeren")
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.initiators.get().email == INITIATOR_EMAIL

    visitor = new_page()
    visitor.goto(f"{base_url}{INITIATIVE_PATH}")
    expect(in_kind(visitor)).to_have_text("€0")

    # 1. A standing space is listed.
    owner = new_page()
    owner_lists_the_hall(owner, base_url, neighbourhood, screenshot)
    item = Offer.objects.get(description=HALL, task__isnull=True)
    assert (item.capacity, item.step_free, item.accessible_toilet) == (60, True, True)
    assert item.organisation.name == ORGANISATION

    # 2. The initiator needs a space and finds the hall in the register.
    initiator = new_page()
    log_in(initiator, base_url, INITIATOR_EMAIL, INITIATIVE_PATH)
    initiator_adds_a_space_task(initiator, campaign.page_id)
    task = Task.objects.get(initiative_id=campaign.page_id, title=SPACE_TASK_TITLE)
    initiator_finds_the_hall(initiator, base_url, screenshot)

    # 3. ... and asks the owner through the platform.
    mail.outbox.clear()
    initiator_writes_to_the_owner(initiator, screenshot)
    message = RegisterMessage.objects.get(item=item)
    [to_owner] = [m for m in mail.outbox if m.to == [OWNER_EMAIL]]
    assert QUESTION in to_owner.body
    assert INITIATOR_EMAIL not in to_owner.body + to_owner.subject
    link = re.search(r"https?://[^/\s]+(/\S*tasks/register/messages/\d+/)", to_owner.body)[1]
    assert link.endswith(f"/tasks/register/messages/{message.pk}/")

    # The link in the mail, in the English interface.
    english_link = link if link.startswith("/en/") else f"/en{link}"
    owner_answers_through_the_platform(owner, f"{base_url}{english_link}", screenshot)
    [to_initiator] = [m for m in mail.outbox if m.to == [INITIATOR_EMAIL]]
    assert ANSWER in to_initiator.body and OWNER_EMAIL not in to_initiator.body

    # 4. The initiator asks for the hall on the task; the owner offers it by agreeing.
    initiator_asks_for_the_hall(initiator, base_url, task, item)
    owner_agrees(owner, base_url, screenshot)
    offer = Offer.objects.get(task=task, standing_offer=item)
    assert offer.status == Offer.Status.ACCEPTED
    task.refresh_from_db()
    assert task.status == Task.Status.FULL

    # 5. The meter moves, and the hall is still in the register for the next initiative.
    visitor.reload()
    expect(in_kind(visitor)).to_have_text(f"€{HALL_VALUE_EUROS}")
    screenshot(visitor, "06-meter-moved")
    item.refresh_from_db()
    assert item.status == Offer.Status.OFFERED
