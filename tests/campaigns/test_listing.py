"""The initiative listing at any size: indexed orders kept by the services, pages without a
total count, search as one SQL filter, and clear answers to bad parameters."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import InitiativePage
from campaigns.queries import SORT_CLOSING, SORT_NEWEST, initiative_cards, search_filter
from campaigns.services.cancellation import cancel_campaign
from campaigns.views import browse
from tests.factories import make_initiative, site_tree
from tests.query_plans import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(monkeypatch):
    monkeypatch.setattr(browse, "PER_PAGE", 2)
    _, _, neighbourhood = site_tree()
    today = timezone.localdate()
    return [
        make_initiative(
            neighbourhood, title=f"Tuin {days}", deadline=today + datetime.timedelta(days)
        )
        for days in (5, 10, 15, 20, 25)
    ]


def _titles(response):
    return [card.title for card in response.context["page_obj"]]


def test_pages_go_on_with_next_and_previous_without_counting_every_initiative(client, five):
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/initiatives/")
    assert first.status_code == 200
    assert _titles(first) == ["Tuin 5", "Tuin 10"]
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    body = first.content.decode()
    assert 'href="?page=2" rel="next"' in body and 'rel="prev"' not in body

    last = client.get("/initiatives/", {"page": 3})
    assert _titles(last) == ["Tuin 25"]
    body = last.content.decode()
    assert 'href="?page=2" rel="prev"' in body and 'rel="next"' not in body


@pytest.mark.parametrize(
    ("page", "status", "message"),
    [
        ("abc", 400, "The page number must be a whole number of 1 or more."),
        ("0", 400, "The page number must be a whole number of 1 or more."),
        ("9", 404, "There is no page with this number; the list is shorter."),
    ],
)
def test_a_bad_page_number_is_answered_clearly(client, five, page, status, message):
    response = client.get("/en/initiatives/", {"page": page})
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_bad_page_number_is_answered_in_dutch_too(client, five):
    response = client.get("/initiatives/", {"page": "abc"})
    assert response.status_code == 400
    assert "Het paginanummer moet een heel getal van 1 of meer zijn." in response.content.decode()


def test_a_search_without_a_word_of_three_letters_is_refused_clearly(client, five):
    response = client.get("/en/initiatives/", {"q": "de"})
    assert response.status_code == 400
    assert "Search with a word of at least three letters." in response.content.decode()


def test_a_published_new_deadline_moves_the_initiative_in_the_listing(client, five):
    page = five[-1].page
    page.deadline = timezone.localdate() + datetime.timedelta(days=1)
    page.save_revision().publish()
    assert _titles(client.get("/initiatives/")) == ["Tuin 25", "Tuin 5"]


def test_a_cancelled_initiative_moves_behind_the_live_ones(client, five, monkeypatch):
    monkeypatch.setattr(browse, "PER_PAGE", 10)
    first = five[0]
    cancel_campaign(campaign=first, user=first.initiators.get(), reason="Geen plek meer")
    assert _titles(client.get("/initiatives/"))[-1] == "Tuin 5"
    assert _titles(client.get("/initiatives/", {"sort": SORT_CLOSING}))[-1] == "Tuin 5"
    assert _titles(client.get("/initiatives/", {"sort": SORT_NEWEST}))[0] == "Tuin 25"


# A listing page's plan if the tables were big: no scan of a whole table, no sort.
LISTING_OFF = ("seqscan", "sort")


def test_each_order_and_the_search_can_be_served_by_an_index(requires_postgres, five):
    assert "campaign_listing_idx" in plan(initiative_cards()[:24], off=LISTING_OFF)
    assert "campaign_closing_idx" in plan(initiative_cards(sort=SORT_CLOSING)[:24], off=LISTING_OFF)
    assert "campaign_newest_idx" in plan(initiative_cards(sort=SORT_NEWEST)[:24], off=LISTING_OFF)
    assert "campaign_supported_idx" in plan(
        initiative_cards(sort="supported")[:24], off=LISTING_OFF
    )
    for field, index in [
        ("title", "wagtailcore_page_title_trgm"),
        ("summary", "initiativepage_summary_trgm"),
        ("location", "initiativepage_location_trgm"),
    ]:
        matches = InitiativePage.objects.filter(**{f"{field}__icontains": "tuin"}).order_by()
        assert index in plan(matches, off=("seqscan", "indexscan"))
    search = initiative_cards(search=search_filter("tuin"))
    assert {card.title for card in search} == {f"Tuin {days}" for days in (5, 10, 15, 20, 25)}
