"""Finding initiatives: Dutch compound words, and the listing's order.

The suite runs on PostgreSQL when it can; ``WIJK_TEST_DB=sqlite`` runs the same tests on
SQLite (and Wagtail's SQLite FTS5 search backend), which is how both databases are covered.
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.queries import matching_initiative_ids
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_titles():
    _, _, neighbourhood = site_tree()
    titles = [
        "Geveltuinen in Korte Akkeren",
        "Buurtmoestuin Oosterwei",
        "Speeltuin De Wip weer open",
        "De Bruisplaats",
        "Repair Café",
    ]
    return {make_initiative(neighbourhood, title=title).page_id: title for title in titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "tuin",
            {
                "Geveltuinen in Korte Akkeren",
                "Buurtmoestuin Oosterwei",
                "Speeltuin De Wip weer open",
            },
        ),
        (
            "TUIN",
            {
                "Geveltuinen in Korte Akkeren",
                "Buurtmoestuin Oosterwei",
                "Speeltuin De Wip weer open",
            },
        ),
        ("bruis", {"De Bruisplaats"}),
        ("moestuin oosterwei", {"Buurtmoestuin Oosterwei"}),
        ("repair", {"Repair Café"}),
        ("zwembad", set()),
    ],
)
def test_compound_words_are_found_inside_words(demo_titles, query, expected):
    found = {demo_titles[pk] for pk in matching_initiative_ids(query)}
    assert found == expected, connection.vendor


def test_the_listing_searches_with_infix_matching(client, demo_titles):
    response = client.get("/initiatives/", {"q": "tuin"})

    assert response.status_code == 200
    found = {card.title for card in response.context["page_obj"]}
    assert found == {
        "Geveltuinen in Korte Akkeren",
        "Buurtmoestuin Oosterwei",
        "Speeltuin De Wip weer open",
    }


@pytest.fixture
def mixed_listing():
    """Live, funded and failed initiatives with different deadlines, supporters and ages."""
    _, _, neighbourhood = site_tree()
    today = timezone.localdate()
    made = {}
    for title, status, days, supporters in [
        ("Failed old", Campaign.Status.FAILED, -40, 50),
        ("Live late", Campaign.Status.LIVE, 30, 3),
        ("Funded", Campaign.Status.SUCCEEDED, -10, 20),
        ("Live soon", Campaign.Status.LIVE, 5, 1),
        ("Realised", Campaign.Status.REALISED, -60, 9),
    ]:
        campaign = make_initiative(
            neighbourhood, title=title, status=status, deadline=today + datetime.timedelta(days)
        )
        Campaign.objects.filter(pk=campaign.pk).update(supporter_count=supporters)
        made[title] = campaign
    # "Live late" went live last, "Failed old" first.
    now = timezone.now()
    for age, title in enumerate(["Live late", "Live soon", "Funded", "Realised", "Failed old"]):
        Campaign.objects.filter(pk=made[title].pk).update(
            live_at=now - datetime.timedelta(days=age)
        )
    return made


def _titles(client, **params):
    response = client.get("/initiatives/", params)
    assert response.status_code == 200
    return [card.title for card in response.context["page_obj"]]


def test_the_listing_shows_live_first_closing_soonest_then_funded_then_the_rest(
    client, mixed_listing
):
    assert _titles(client) == ["Live soon", "Live late", "Funded", "Realised", "Failed old"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["Live late", "Live soon", "Funded", "Realised", "Failed old"]),
        ("closing", ["Live soon", "Live late", "Funded", "Failed old", "Realised"]),
        ("supported", ["Failed old", "Funded", "Realised", "Live late", "Live soon"]),
        ("", ["Live soon", "Live late", "Funded", "Realised", "Failed old"]),
    ],
)
def test_the_listing_can_be_sorted(client, mixed_listing, sort, expected):
    assert _titles(client, sort=sort) == expected


def test_an_unknown_sort_falls_back_without_an_error(client, mixed_listing):
    response = client.get("/initiatives/", {"sort": "price'; drop table"})

    assert response.status_code == 200
    assert "not valid" not in response.content.decode()
    titles = [card.title for card in response.context["page_obj"]]
    assert titles == ["Live soon", "Live late", "Funded", "Realised", "Failed old"]
