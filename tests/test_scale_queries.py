"""Every page the scale benchmark measures costs the same queries on a bigger data set.

A small data set (two initiatives, a handful of pledges) is counted, grown (more
initiatives in the same and another neighbourhood, more pledges on the same initiative and
by the same donor, tasks with helpers), and counted again, with every cache cold. Pages
whose count still grows are marked ``xfail(strict=True)`` with the cause, so the fix that
makes them flat turns the mark into a failure that asks for its removal.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign, Pledge
from campaigns.views import browse
from tests.factories import (
    CityPageFactory,
    NeighbourhoodPageFactory,
    PledgeFactory,
    SignUpFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    moderator,
    site_tree,
)

pytestmark = pytest.mark.django_db


def pages(world):
    """(name, url, visitor) for the pages of bench/scale/measure.py."""
    hot = world["hot"]
    return {
        "home": ("/", None),
        "initiatives": ("/initiatives/", None),
        "initiatives_by_neighbourhood": (
            f"/initiatives/?neighbourhood={world['neighbourhood'].pk}",
            None,
        ),
        "initiatives_search_tuin": ("/initiatives/?q=tuin", None),
        "initiatives_newest": ("/initiatives/?sort=newest", None),
        "initiatives_closing": ("/initiatives/?sort=closing", None),
        "initiatives_supported": ("/initiatives/?sort=supported", None),
        "initiatives_search_sorted_page_2": ("/initiatives/?q=samen&sort=supported&page=2", None),
        "neighbourhood_page": (world["neighbourhood"].url, None),
        "city_page": (world["city"].url, None),
        "initiative_anonymous": (hot.page.url, None),
        "initiative_logged_in": (hot.page.url, "neighbour"),
        "my_donations": (reverse("payments:my_donations"), "donor"),
        "staff_pledges_by_campaign": (f"{reverse('pledges:index')}?campaign={hot.pk}", "staff"),
        "open_data_initiatives_csv": ("/open-data/all/initiatives.csv", None),
        "open_data_months_csv": ("/open-data/all/months.csv", None),
    }


def small_world():
    home, city, neighbourhood = site_tree()
    hot = make_initiative(neighbourhood, title="Geveltuinen")
    make_initiative(neighbourhood, title="Repair Café")
    world = {
        "city": city,
        "neighbourhood": neighbourhood,
        "hot": hot,
        "donor": UserFactory(),
        "neighbour": UserFactory(),
        "staff": moderator(is_staff=True),
    }
    add_support(world, pledges=3, donor_pledges=1, tasks=1)
    return world


def add_support(world, *, pledges, donor_pledges, tasks):
    hot = world["hot"]
    for _ in range(pledges):
        PledgeFactory(campaign=hot, donor=UserFactory())
    live = list(Campaign.objects.filter(status=Campaign.Status.LIVE).order_by("pk"))
    for index in range(donor_pledges):
        PledgeFactory(campaign=live[index % len(live)], donor=world["donor"], guest_email="")
    for campaign in live:
        for _ in range(tasks):
            SignUpFactory(task=TaskFactory(initiative=campaign.page))


def grow(world):
    """More of everything: initiatives here and in a second city, pledges, tasks, helpers."""
    other = NeighbourhoodPageFactory(parent=CityPageFactory(parent=world["city"].get_parent()))
    for index in range(6):
        make_initiative(world["neighbourhood"], title=f"Buurtmoestuin {index}")
        make_initiative(other, title=f"Speeltuin {index}")
    add_support(world, pledges=40, donor_pledges=15, tasks=2)


def count(client, world, url, visitor):
    client.logout()
    if visitor:
        client.force_login(world[visitor])
    client.get(url)  # Wagtail's and Django's per-process caches, as in a running worker
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


PAGES = [
    "home",
    "initiatives",
    "initiatives_by_neighbourhood",
    "initiatives_search_tuin",
    "initiatives_newest",
    "initiatives_closing",
    "initiatives_supported",
    "initiatives_search_sorted_page_2",
    "neighbourhood_page",
    "city_page",
    "initiative_anonymous",
    "initiative_logged_in",
    "my_donations",
    "staff_pledges_by_campaign",
    "open_data_initiatives_csv",
    "open_data_months_csv",
]


@pytest.mark.parametrize("name", PAGES)
def test_page_query_count_is_the_same_at_both_sizes(client, name, settings, monkeypatch):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 0}
    monkeypatch.setattr(browse, "PER_PAGE", 1)  # a second page exists at both sizes
    world = small_world()
    url, visitor = pages(world)[name]
    small = count(client, world, url, visitor)
    grow(world)
    assert Pledge.objects.filter(campaign=world["hot"]).count() > 40
    big = count(client, world, url, visitor)
    assert big == small, f"{name}: {small} queries on the small data set, {big} on the bigger one"


@pytest.mark.parametrize(
    ("url_name", "module", "setting"),
    [
        ("payments:my_donations", "campaigns.views.donations", "DONATIONS_PER_PAGE"),
        ("tasks:my_tasks", "tasks.views.mine", "MY_TASKS_PER_PAGE"),
        ("campaigns:my_initiatives", "campaigns.views.manage", "MY_INITIATIVES_PER_PAGE"),
    ],
)
def test_a_residents_own_list_costs_the_same_past_its_first_page(
    client, url_name, module, setting, monkeypatch
):
    """One of each, then more than a page of each (pages of 3 here)."""
    monkeypatch.setattr(f"{module}.{setting}", 3)
    home, city, neighbourhood = site_tree()
    person = UserFactory()
    world = {"person": person}

    def add(count):
        for _ in range(count):
            campaign = make_initiative(neighbourhood, initiator=person)
            PledgeFactory(campaign=campaign, donor=person, guest_email="")
            SignUpFactory(user=person, task=TaskFactory(initiative=campaign.page))

    add(1)
    small = count(client, world, reverse(url_name), "person")
    add(4)
    big = count(client, world, reverse(url_name), "person")
    assert big == small, f"{url_name}: {small} queries for one row, {big} for two pages"
