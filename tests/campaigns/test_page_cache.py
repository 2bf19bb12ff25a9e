"""Anonymous initiative pages are cached briefly and never carry anything personal."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from campaigns.models import Campaign, PaymentAttempt
from campaigns.services import pledges as pledge_services
from campaigns.services import recount_totals
from tests.factories import PledgeFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 5}


@pytest.fixture
def initiative(db):
    return make_initiative(site_tree()[2], goal_cents=1_000_00)


def test_a_cache_hit_skips_routing_and_the_database(
    client, cached, initiative, django_assert_num_queries
):
    url = "/en" + initiative.page.url
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert initiative.page.title in response.content.decode()


def test_a_paid_pledge_shows_at_once(
    client, cached, initiative, django_capture_on_commit_callbacks
):
    url = "/en" + initiative.page.url
    client.get(url)
    pledge, attempt = pledge_services.create_pledge(
        campaign=initiative,
        amount_cents=250_00,
        guest_email="buur@example.nl",
        public_name="Buur",
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id="cs_1")

    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.mark_paid(pledge_id=pledge.pk, session_id="cs_1")

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "€250" in response.content.decode()


def test_other_changes_show_within_five_seconds(client, cached, initiative):
    url = "/en" + initiative.page.url
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        Campaign.objects.filter(pk=initiative.pk).update(raised_cents=250_00)  # behind our back
        assert "€250" not in client.get(url).content.decode()

        clock.shift(datetime.timedelta(seconds=5.1))
        assert "€250" in client.get(url).content.decode()


def test_logged_in_visitors_always_get_a_fresh_page(client, cached, initiative):
    url = "/en" + initiative.page.url
    client.get(url)
    client.force_login(UserFactory())
    PledgeFactory(campaign=initiative, amount_cents=250_00)
    recount_totals(campaign=initiative)

    response = client.get(url)

    assert "X-Page-Cache" not in response
    assert "€250" in response.content.decode()


def test_a_visitor_with_a_flash_message_is_never_served_or_stored(client, cached, initiative):
    url = "/en" + initiative.page.url
    client.cookies["messages"] = "something-personal"
    first = client.get(url)
    assert "X-Page-Cache" not in first
    del client.cookies["messages"]
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_cache_is_per_language(client, cached, initiative):
    url = initiative.page.url
    client.get(url)
    english = client.get("/en" + url)
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()


def test_query_strings_bypass_the_cache(client, cached, initiative):
    url = initiative.page.url
    client.get(url)
    assert "X-Page-Cache" not in client.get(url + "?utm=x")
