"""Browsing: home, neighbourhood and initiative pages, and finding initiatives."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import recount_totals
from tests.factories import (
    CityPageFactory,
    NeighbourhoodPageFactory,
    PledgeFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return site_tree()


def test_home_lists_live_initiatives_only(client, tree):
    _, _, neighbourhood = tree
    make_initiative(neighbourhood, title="Geveltuinen")
    make_initiative(neighbourhood, title="Buurtkeuken", status=Campaign.Status.DRAFT)
    make_initiative(neighbourhood, title="Minibieb", status=Campaign.Status.IN_REVIEW)
    make_initiative(neighbourhood, title="Muurschildering", status=Campaign.Status.FAILED)

    html = client.get("/").content.decode()

    assert "Geveltuinen" in html
    for hidden in ("Buurtkeuken", "Minibieb", "Muurschildering"):
        assert hidden not in html


def test_neighbourhood_page_shows_its_initiatives_and_totals(client, tree):
    home, city, neighbourhood = tree
    elsewhere = NeighbourhoodPageFactory(parent=city, title="Goverwelle")
    here = make_initiative(neighbourhood, title="Geveltuinen", goal_cents=500_00)
    done = make_initiative(
        neighbourhood, title="Moestuin", goal_cents=200_00, status=Campaign.Status.SUCCEEDED
    )
    other = make_initiative(elsewhere, title="Speeltuin")
    neighbour = UserFactory()
    PledgeFactory(campaign=here, amount_cents=120_00, donor=neighbour, guest_email="")
    PledgeFactory(campaign=done, amount_cents=250_00, donor=neighbour, guest_email="")
    PledgeFactory(campaign=other, amount_cents=999_00)
    for campaign in (here, done, other):
        recount_totals(campaign=campaign)

    response = client.get(neighbourhood.url)
    html = response.content.decode()

    assert "Geveltuinen" in html and "Moestuin" in html
    assert "Speeltuin" not in html
    totals = response.context["totals"]
    assert totals["raised_cents"] == 370_00
    assert totals["initiatives"] == 2
    assert totals["funded"] == 1
    assert "€\xa0370" in html


def test_initiative_page_shows_progress_tasks_budget_and_supporters(client, tree):
    _, _, neighbourhood = tree
    campaign = make_initiative(neighbourhood, title="Bruisplaats", goal_cents=3_000_00)
    page = campaign.page
    PledgeFactory(
        campaign=campaign, amount_cents=3_000_00, public_name="Bakkerij De Korst", message="Succes!"
    )
    PledgeFactory(campaign=campaign, amount_cents=555_00, is_anonymous=True, public_name="Els")
    TaskFactory(initiative=page, title="Muren schilderen", status="done")
    TaskFactory(initiative=page, title="Koffie schenken")
    recount_totals(campaign=campaign)

    with time_machine.travel(timezone.localdate() + datetime.timedelta(days=10), tick=False):
        html = client.get("/en" + page.url).content.decode()

    assert "€3,555" in html
    assert "118% of €3,000" in html
    assert "1 of 2 tasks done" in html
    assert "Muren schilderen" in html
    assert "Bakkerij De Korst" in html and "Succes!" in html
    assert "Els" not in html
    assert "Anonymous" in html
    assert ">20<" in html  # days left
    assert campaign.initiators.get().public_name in html


def test_money_is_formatted_per_language(client, tree):
    _, _, neighbourhood = tree
    campaign = make_initiative(neighbourhood, goal_cents=3_000_00)
    PledgeFactory(campaign=campaign, amount_cents=3_555_00)
    recount_totals(campaign=campaign)

    assert "€\xa03.555" in client.get(campaign.page.url).content.decode()
    assert "€3,555" in client.get("/en" + campaign.page.url).content.decode()


def test_language_switcher_links_to_the_same_page(client, tree):
    _, _, neighbourhood = tree
    html = client.get(neighbourhood.url).content.decode()
    assert f'href="/en{neighbourhood.url}"' in html
    assert 'lang="nl"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "fietsen"}, {"Repair Café"}),
        ({"category": "green"}, {"Geveltuinen"}),
        ({"status": "succeeded"}, {"Moestuin"}),
        ({"neighbourhood": "__other__"}, {"Speeltuin"}),
        ({"status": "live", "category": "repair"}, {"Repair Café"}),
        ({}, {"Repair Café", "Geveltuinen", "Moestuin", "Speeltuin"}),
    ],
)
def test_finding_initiatives(client, tree, query, expected):
    home, city, neighbourhood = tree
    other = NeighbourhoodPageFactory(parent=city, title="Goverwelle")
    repair = make_initiative(neighbourhood, title="Repair Café", category="repair")
    page = repair.page
    page.summary = "Samen fietsen en lampen repareren."
    page.save_revision().publish()
    make_initiative(neighbourhood, title="Geveltuinen", category="green")
    make_initiative(neighbourhood, title="Moestuin", category="food", status="succeeded")
    make_initiative(other, title="Speeltuin", category="play")
    make_initiative(neighbourhood, title="Concept", category="repair", status="draft")
    if query.get("neighbourhood") == "__other__":
        query["neighbourhood"] = other.pk

    response = client.get("/initiatives/", query)

    assert response.status_code == 200
    found = {card.title for card in response.context["page_obj"]}
    assert found == expected


def test_invalid_filters_are_reported_not_crashed(client, tree):
    response = client.get("/en/initiatives/", {"status": "hacked", "neighbourhood": "abc"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_other_cities_are_separate(client, tree):
    home, _, _ = tree
    city = CityPageFactory(parent=home, title="Utrecht")
    assert client.get(city.url).status_code == 200
