"""Finished initiatives in listings: "Raised: €690 (69%)" for keep-what-you-raise below its
goal, "Funded" for one that reached it."""

import re

import pytest

from campaigns.models import Campaign
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


def finished(neighbourhood, *, title, funding_model, raised_cents):
    campaign = make_initiative(
        neighbourhood, title=title, goal_cents=1_000_00, funding_model=funding_model
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SUCCEEDED, raised_cents=raised_cents, supporter_count=3
    )
    return campaign


def card_of(page, title):
    """The markup of the card whose title is ``title``."""
    cards = re.findall(r'<article class="card">.*?</article>', page, flags=re.S)
    return next(card for card in cards if title in card)


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


def test_a_keep_what_you_raise_campaign_below_its_goal_shows_what_it_raised_not_funded(
    client, neighbourhood
):
    finished(
        neighbourhood, title="Bankjes", funding_model="keep_what_you_raise", raised_cents=690_00
    )
    finished(neighbourhood, title="Moestuin", funding_model="all_or_nothing", raised_cents=1_200_00)

    dutch = client.get("/initiatives/").content.decode()
    english = client.get("/en/initiatives/").content.decode()

    bankjes = card_of(dutch, "Bankjes")
    assert re.search(r"Opgehaald: €(\s|&nbsp;|\xa0)?690 \(69%\)", bankjes)
    assert "Gefinancierd" not in bankjes
    assert "Raised: €690 (69%)" in card_of(english, "Bankjes")
    moestuin = card_of(dutch, "Moestuin")
    assert "Gefinancierd" in moestuin and "Opgehaald:" not in moestuin
    assert ">Funded<" in card_of(english, "Moestuin")


def test_the_neighbourhood_page_card_and_the_initiative_page_say_the_same(client, neighbourhood):
    campaign = finished(
        neighbourhood, title="Bankjes", funding_model="keep_what_you_raise", raised_cents=690_00
    )

    card = card_of(client.get(neighbourhood.url).content.decode(), "Bankjes")
    page = client.get(campaign.page.url).content.decode()

    assert re.search(r"Opgehaald: €(\s|&nbsp;|\xa0)?690 \(69%\)", card)
    assert "Gefinancierd" not in card
    assert re.search(r"Opgehaald: €(\s|&nbsp;|\xa0)?690 \(69%\)", page)
    assert "Gefinancierd" not in page
    assert "Afgesloten, houdt wat is opgehaald" in page


def test_a_keep_what_you_raise_campaign_that_reached_its_goal_is_funded(client, neighbourhood):
    campaign = finished(
        neighbourhood, title="Bankjes", funding_model="keep_what_you_raise", raised_cents=1_000_00
    )

    assert not campaign.__class__.objects.get(pk=campaign.pk).kept_below_goal
    assert ">Funded<" in card_of(client.get("/en/initiatives/").content.decode(), "Bankjes")


def closed(neighbourhood, *, title, funding_model, raised_cents, status):
    campaign = finished(
        neighbourhood, title=title, funding_model=funding_model, raised_cents=raised_cents
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    return Campaign.objects.select_related("page").get(pk=campaign.pk)


@pytest.fixture
def closed_campaigns(neighbourhood):
    """Title → campaign, and whether each reached its goal (goal €1,000 each)."""
    kwyr, aon = "keep_what_you_raise", "all_or_nothing"
    cases = [
        ("Bankjes", kwyr, 690_00, Campaign.Status.SUCCEEDED, False),
        ("Geveltuin", kwyr, 1_000_00, Campaign.Status.SUCCEEDED, True),
        ("Speeltuin", kwyr, 400_00, Campaign.Status.REALISED, False),
        ("Moestuin", aon, 1_200_00, Campaign.Status.SUCCEEDED, True),
        ("Buurtkeuken", aon, 1_000_00, Campaign.Status.REALISED, True),
        ("Fietsenstalling", aon, 300_00, Campaign.Status.FAILED, False),
        ("Boekenkast", kwyr, 0, Campaign.Status.LIVE, False),
    ]
    return {
        title: (
            closed(neighbourhood, title=title, funding_model=model, raised_cents=raised, status=st),
            reached,
        )
        for title, model, raised, st, reached in cases
    }


def test_reached_goal_and_its_query_filter_are_the_same_rule(closed_campaigns):
    expected = {title for title, (_campaign, reached) in closed_campaigns.items() if reached}

    by_property = {
        title for title, (campaign, _reached) in closed_campaigns.items() if campaign.reached_goal
    }
    by_filter = set(
        Campaign.objects.filter(Campaign.reached_goal_filter()).values_list(
            "page__title", flat=True
        )
    )

    assert by_property == by_filter == expected


def test_the_neighbourhood_counts_only_campaigns_that_reached_their_goal_as_funded(
    client, neighbourhood, closed_campaigns
):
    dutch = client.get(neighbourhood.url).content.decode()
    english = client.get("/en" + neighbourhood.url).content.decode()

    assert re.search(r"<dt>Gefinancierd</dt><dd>3</dd>", dutch)
    assert re.search(r"<dt>Initiatieven</dt><dd>7</dd>", dutch)
    assert re.search(r"<dt>Funded</dt><dd>3</dd>", english)


def test_a_realised_campaign_below_its_goal_shows_what_it_raised_not_funded(
    client, closed_campaigns
):
    speeltuin, _reached = closed_campaigns["Speeltuin"]
    moestuin, _reached = closed_campaigns["Moestuin"]

    below = client.get(speeltuin.page.url).content.decode()
    reached = client.get(moestuin.page.url).content.decode()

    assert re.search(r"Opgehaald: €(\s|&nbsp;|\xa0)?400 \(40%\)", below)
    assert "Gefinancierd: " not in below
    assert "Gefinancierd: 120%" in reached
