"""An initiative page costs the same number of queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import BudgetLine, Campaign, InitiativePage, Pledge
from tasks.models import SignUp, Task
from tests.factories import UserFactory, make_initiative, site_tree

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


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_initiative_page_query_count_does_not_grow_with_its_content(client):
    neighbourhood = site_tree()[2]
    counts = {}
    for size in (0, 10, 1000):
        campaign = make_initiative(neighbourhood, title=f"Plan {size}", status=Campaign.Status.LIVE)
        page = grow(campaign, size)
        client.get(page.url)  # warm Wagtail's per-site caches
        counts[size], response = count_queries(client, page.url)
        if size:
            html = response.content.decode()
            assert f"Klus {size - 1}" in html
            assert f"Post {size - 1}" in html
    assert counts[0] == counts[10] == counts[1000], counts


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
