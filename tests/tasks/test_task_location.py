"""After signing up, withdrawing or offering without JavaScript, the visitor lands on the
task's card: on the initiative page when that page shows the task, else on the page of
the initiative's task list that holds it."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign, InitiativePage
from tasks import services
from tasks.models import Task
from tasks.reporting import task_location
from tests.factories import UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


def add_tasks(page, numbers):
    Task.objects.bulk_create(
        Task(
            initiative=page,
            kind=Task.Kind.MATERIAL if i == 20 else Task.Kind.HANDS,
            title=f"Klus {i}",
            people_needed=2,
            position=i,
            status=Task.Status.DONE if i < 5 else Task.Status.OPEN,
        )
        for i in numbers
    )


@pytest.fixture
def busy():
    """30 tasks: the first five done, so the page shows Klus 5 to 16 (open ones first)."""
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.LIVE)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    add_tasks(page, range(30))
    return page


def task(page, number):
    return Task.objects.select_related("initiative").get(initiative=page, position=number)


def task_list(page, number=1):
    url = reverse("tasks:initiative_tasks", args=[page.pk])
    return url + (f"?page={number}" if number > 1 else "")


def card(task):
    return f'id="task-{task.pk}"'


@pytest.fixture
def helper(client):
    client.force_login(UserFactory())
    return client


def test_a_task_the_initiative_page_shows_leads_back_to_its_card_there(helper, busy):
    shown = task(busy, 5)

    response = helper.post(f"/tasks/{shown.pk}/sign-up/")

    assert response.url == f"{busy.url}#task-{shown.pk}"
    assert card(shown) in helper.get(busy.url).content.decode()


def test_the_twentieth_task_leads_to_the_task_list_that_shows_it(helper, busy):
    twentieth = task(busy, 19)
    assert card(twentieth) not in helper.get(busy.url).content.decode()

    response = helper.post(f"/tasks/{twentieth.pk}/sign-up/")

    assert response.status_code == 302
    assert response.url == f"{task_list(busy)}#task-{twentieth.pk}"
    assert card(twentieth) in helper.get(task_list(busy)).content.decode()


def test_a_task_on_the_second_page_of_the_list_leads_there(helper, busy):
    last = task(busy, 29)
    helper.post(f"/tasks/{last.pk}/sign-up/")

    response = helper.post(f"/tasks/{last.pk}/withdraw/")

    assert response.url == f"{task_list(busy, 2)}#task-{last.pk}"
    assert card(last) in helper.get(task_list(busy, 2)).content.decode()


def test_a_refused_sign_up_also_lands_on_the_card(helper, busy):
    done = task(busy, 0)  # done tasks come after the open ones on a busy page

    response = helper.post(f"/tasks/{done.pk}/sign-up/", follow=True)

    assert response.redirect_chain == [(f"{task_list(busy)}#task-{done.pk}", 302)]
    assert card(done) in response.content.decode()


def test_an_offer_for_a_task_beyond_the_page_leads_to_the_task_list(helper, busy):
    material = task(busy, 20)

    response = helper.post(
        f"/tasks/{material.pk}/offer/",
        {"organisation": "", "quantity": "1", "description": "Planken", "estimated_value": "0"},
    )

    assert response.status_code == 302
    assert response.url == f"{task_list(busy)}#task-{material.pk}"


def test_a_task_that_fills_up_leaves_the_busy_page_and_the_redirect_follows_it(busy):
    shown = task(busy, 5)
    assert task_location(shown).startswith(busy.url)
    for _ in range(shown.people_needed):
        services.sign_up(task=shown, user=UserFactory())

    assert task_location(task(busy, 5)) == f"{task_list(busy)}#task-{shown.pk}"


def test_a_small_initiative_leads_to_its_page_whatever_the_task(db):
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.LIVE)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    add_tasks(page, range(3))

    assert task_location(task(page, 0)) == f"{page.url}#task-{task(page, 0).pk}"


def test_finding_a_task_costs_the_same_queries_with_more_tasks(busy):
    def queries():
        twentieth = task(busy, 19)
        task_location(twentieth)  # warm Wagtail's site and URL caches
        with CaptureQueriesContext(connection) as captured:
            task_location(twentieth)
        return len(captured)

    small = queries()
    add_tasks(busy, range(30, 90))
    assert queries() == small


def test_log_in_to_sign_up_returns_to_the_same_page_of_the_task_list(client, busy):
    last = task(busy, 29)

    html = client.get(task_list(busy, 2)).content.decode()

    assert f"?next={quote(task_list(busy, 2), safe='/')}%23task-{last.pk}" in html
