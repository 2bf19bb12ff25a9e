"""The open-data files are built once per period, streamed, and then served as stored."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from tasks.capital import exports, stored
from tests.capital.helpers import download
from tests.factories import make_initiative, pay, site_tree

pytestmark = pytest.mark.django_db


def _place(page):
    return page.url_path.split("/", 2)[2].strip("/")


@pytest.mark.parametrize("kind", ["initiatives", "months"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_second_download_is_the_stored_file_without_queries(client, kind, fmt):
    _home, city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    for amount in (10_00, 20_00, 30_00):
        pay(campaign, amount)
    url = f"/open-data/{_place(city)}/{kind}.{fmt}"
    first = download(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        second = b"".join(response.streaming_content).decode()
    assert response.streaming and second == first
    assert len(queries) == 0, [query["sql"] for query in queries]
    assert "max-age=3600" in response["Cache-Control"]
    assert (
        f'filename="wijkkapitaal-{_place(city).replace("/", "-")}-{kind}.{fmt}"'
        in (response["Content-Disposition"])
    )


def test_the_stored_file_is_built_again_in_the_next_period(client):
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    url = f"/open-data/{_place(city)}/initiatives.json"
    assert len(json.loads(download(client, url))["initiatives"]) == 1
    make_initiative(neighbourhood, title="Speeltuin")
    assert len(json.loads(download(client, url))["initiatives"]) == 1  # this period's file
    cache.clear()  # the period ends
    assert len(json.loads(download(client, url))["initiatives"]) == 2


def test_a_broken_off_download_stores_nothing():
    key = stored.cache_key("testserver", "nl", "all", "initiatives", "csv")
    content = stored.keep(key, iter(["title\r\n", "Geveltuinen\r\n"]), "csv")
    assert next(content) == b"title\r\n"
    content.close()  # the visitor went away
    assert stored.open_fresh(key) is None
    assert b"".join(stored.keep(key, iter(["a\r\n"]), "csv")) == b"a\r\n"
    assert stored.open_fresh(key).read() == b"a\r\n"


def test_without_a_period_nothing_is_stored(client, settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "OPEN_DATA_CACHE_SECONDS": 0}
    _home, city, neighbourhood = site_tree()
    make_initiative(neighbourhood, title="Geveltuinen")
    url = f"/open-data/{_place(city)}/initiatives.csv"
    download(client, url)
    make_initiative(neighbourhood, title="Speeltuin")
    assert "Speeltuin" in download(client, url)


def test_the_rows_are_read_in_chunks_with_a_query_count_that_does_not_grow():
    """Two grouped queries for the rule and one streamed query, whatever the number."""
    _home, city, neighbourhood = site_tree()
    lonely = make_initiative(neighbourhood, title="Een gift")
    pay(lonely, 10_00)  # one donor: withheld, and the fewest of the others joins it
    exports_of = []
    for size in (2, 6):
        while Campaign.objects.count() < size:
            campaign = make_initiative(neighbourhood, title=f"Initiatief {size}")
            for amount in (10_00, 20_00, 30_00):
                pay(campaign, amount)
        list(exports.initiative_rows(city, lambda page: page.url))  # per-process caches
        with CaptureQueriesContext(connection) as queries:
            rows = list(exports.initiative_rows(city, lambda page: page.url))
        exports_of.append((len(rows), len(queries)))
    assert rows[-1]["title"] == exports.COMBINED and rows[-1]["combined_rows"] == 2
    assert [count for _, count in exports_of] == [4, 4]
    assert [length for length, _ in exports_of] == [3, 7]
