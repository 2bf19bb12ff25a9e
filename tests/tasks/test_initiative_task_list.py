"""A busy initiative shows a bounded number of tasks, the open ones first, and links to all
of them, a page at a time, in the same markup."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Campaign, InitiativePage
from tasks.models import Task
from tasks.templatetags.task_tags import TASKS_ON_PAGE
from tests.factories import UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy():
    """An initiative with 30 tasks: the first five done, the other 25 open."""
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.LIVE)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    Task.objects.bulk_create(
        Task(
            initiative=page,
            kind="hands",
            title=f"Klus {i}",
            people_needed=2,
            position=i,
            status=Task.Status.DONE if i < 5 else Task.Status.OPEN,
        )
        for i in range(30)
    )
    return page


def card_titles(html):
    return re.findall(r"<h3>(Klus \d+)</h3>", html)


def test_the_page_shows_the_first_open_tasks_and_links_to_all(client, busy):
    html = client.get(busy.url).content.decode()

    assert card_titles(html) == [f"Klus {i}" for i in range(5, 5 + TASKS_ON_PAGE)]
    assert "5 van 30 taken klaar" in html
    assert "25 taken zoeken hulp" in html
    link = reverse("tasks:initiative_tasks", args=[busy.pk])
    assert f'<a href="{link}">Alle 30 taken</a>' in html


def test_a_small_initiative_shows_all_its_tasks_in_order_without_a_link(client):
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.LIVE)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    for i in range(3):
        Task.objects.create(
            initiative=page,
            kind="hands",
            title=f"Klus {i}",
            position=i,
            status=Task.Status.DONE if i == 0 else Task.Status.OPEN,
        )

    html = client.get(page.url).content.decode()

    assert card_titles(html) == ["Klus 0", "Klus 1", "Klus 2"]
    assert reverse("tasks:initiative_tasks", args=[page.pk]) not in html


def test_the_task_list_pages_through_every_task_in_order(client, busy):
    url = reverse("tasks:initiative_tasks", args=[busy.pk])
    client.force_login(UserFactory())

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.status_code == second.status_code == 200
    titles = card_titles(first.content.decode()) + card_titles(second.content.decode())
    assert titles == [f"Klus {i}" for i in range(30)]
    assert "Pagina 1 van 2" in first.content.decode()
    assert 'class="signup-form"' in second.content.decode()  # the same cards, to sign up


@pytest.mark.parametrize(
    "prefix, message",
    [("", "Deze pagina met taken bestaat niet."), ("/en", "There is no such page of tasks.")],
)
def test_a_page_of_tasks_that_does_not_exist_answers_404_with_a_message(
    client, busy, prefix, message
):
    url = reverse("tasks:initiative_tasks", args=[busy.pk])
    for page in ("3", "x"):
        response = client.get(f"{prefix}{url}", {"page": page})
        assert response.status_code == 404
        assert message in response.content.decode()


def test_the_task_list_of_a_draft_is_not_shown_to_strangers(client):
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.DRAFT)
    response = client.get(reverse("tasks:initiative_tasks", args=[campaign.page_id]))
    assert response.status_code == 404
