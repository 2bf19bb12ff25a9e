"""An initiative page costs the same number of queries whatever its size.

Counted cold (the page's cached fragments empty) and warm (fragments cached, as for a
logged-in visitor's second view), for anonymous and logged-in visitors.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import BudgetLine, Campaign, InitiativePage, Pledge
from tasks.models import SignUp, Task
from tasks.templatetags.task_tags import TASKS_ON_PAGE
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


def grow(campaign, size):
    """Give an initiative ``size`` budget lines, tasks (with helpers) and paid pledges."""
    page = InitiativePage.objects.get(pk=campaign.page_id)
    if size:
        page.budget_lines = [
            BudgetLine(description=f"Post {i}", amount_cents=100, sort_order=i) for i in range(size)
        ]
        page.goal_cents = 100 * size
        page.save_revision().publish()
        tasks = Task.objects.bulk_create(
            Task(initiative=page, kind="hands", title=f"Klus {i}", people_needed=2, position=i)
            for i in range(size)
        )
        helper = UserFactory()
        SignUp.objects.bulk_create(SignUp(task=task, user=helper) for task in tasks)
        Pledge.objects.bulk_create(
            Pledge(
                campaign=campaign,
                amount_cents=500,
                guest_email=f"d{i}@example.nl",
                public_name=f"Buur {i}",
                status=Pledge.Status.PAID,
            )
            for i in range(size)
        )
    return page


def count_queries(client, url, *, cold=True):
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_initiative_page_query_count_does_not_grow_with_its_content(client, logged_in):
    neighbourhood = site_tree()[2]
    if logged_in:
        client.force_login(UserFactory())
    counts = {}
    for size in (0, 10, 1000):
        campaign = make_initiative(neighbourhood, title=f"Plan {size}", status=Campaign.Status.LIVE)
        page = grow(campaign, size)
        client.get(page.url)  # warm Wagtail's per-site caches
        counts[size], response = count_queries(client, page.url)
        if size:
            html = response.content.decode()
            shown = min(size, TASKS_ON_PAGE)
            assert f"Klus {shown - 1}</h3>" in html
            assert f"Klus {shown}</h3>" not in html  # the rest are on the task list
            assert html.count('class="task task-') == shown
            assert f"Post {size - 1}" in html
    assert counts[0] == counts[10] == counts[1000], counts


def add_paid_pledges(campaign, count):
    Pledge.objects.bulk_create(
        (
            Pledge(
                campaign=campaign,
                amount_cents=500,
                guest_email=f"d{i}@example.nl",
                public_name=f"Buur {i}",
                status=Pledge.Status.PAID,
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_the_same_queries_at_ten_a_thousand_and_fifty_thousand_pledges(client, logged_in):
    neighbourhood = site_tree()[2]
    if logged_in:
        client.force_login(UserFactory())
    cold, warm = {}, {}
    for count in (10, 1_000, 50_000):
        campaign = make_initiative(
            neighbourhood, title=f"Plan {count}", status=Campaign.Status.LIVE
        )
        page = InitiativePage.objects.get(pk=campaign.page_id)
        TaskFactory(initiative=page, title="Koffie zetten")
        add_paid_pledges(campaign, count)
        client.get(page.url)  # warm Wagtail's per-site caches
        cold[count], response = count_queries(client, page.url)
        assert f"Buur {count - 1}" in response.content.decode()
        warm[count], response = count_queries(client, page.url, cold=False)
        assert f"Buur {count - 1}" in response.content.decode()
    assert cold[10] == cold[1_000] == cold[50_000], cold
    assert warm[10] == warm[1_000] == warm[50_000], warm
    assert warm[10] < cold[10], (warm, cold)  # warm fragments skip their reads


def test_listing_query_counts_do_not_grow_with_the_number_of_initiatives(client):
    _, _, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Eerste")
    urls = ["/", neighbourhood.url, "/initiatives/"]
    for url in urls:
        client.get(url)
    few = {url: count_queries(client, url)[0] for url in urls}
    for n in range(6):
        make_initiative(neighbourhood, title=f"Plan {n}")
    for url in urls:
        many, response = count_queries(client, url)
        assert "Plan 5" in response.content.decode()
        assert many == few[url], url
