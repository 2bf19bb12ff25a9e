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
