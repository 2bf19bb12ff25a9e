"""Anonymous initiative pages are cached briefly; a new pledge shows within 5 seconds."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from campaigns.services import recount_totals
from tests.factories import PledgeFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 5}


def test_anonymous_page_is_cached_and_refreshes_within_five_seconds(client, cached):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    url = "/en" + campaign.page.url
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get(url)
        assert first["X-Page-Cache"] == "miss"
        PledgeFactory(campaign=campaign, amount_cents=250_00)
        recount_totals(campaign=campaign)

        again = client.get(url)
        assert again["X-Page-Cache"] == "hit"
        assert "€250" not in again.content.decode()

        clock.shift(datetime.timedelta(seconds=5.1))
        fresh = client.get(url)
        assert "€250" in fresh.content.decode()


def test_logged_in_visitors_always_get_a_fresh_page(client, cached):
    campaign = make_initiative(site_tree()[2], goal_cents=1_000_00)
    url = "/en" + campaign.page.url
    client.get(url)
    client.force_login(UserFactory())
    PledgeFactory(campaign=campaign, amount_cents=250_00)
    recount_totals(campaign=campaign)

    response = client.get(url)

    assert "X-Page-Cache" not in response
    assert "€250" in response.content.decode()


def test_cache_is_per_language(client, cached):
    campaign = make_initiative(site_tree()[2])
    url = campaign.page.url
    client.get(url)
    english = client.get("/en" + url)
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()
