"""The small-numbers rule, the 360Giving file, empty charts and the open-data page."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from accounts.models import Organisation
from cms.money import format_money
from tasks.capital import files
from tasks.capital.disclosure import withheld
from tasks.capital.meter import measure
from tests.capital.helpers import download, export_totals, json_rows, random_neighbourhood_data
from tests.factories import (
    FundingProgrammeFactory,
    approve_programme,
    make_initiative,
    pay,
    site_tree,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path("/work/shared/360giving")
GRANT_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
]


def package_validator():
    """The package schema, with the grant schema registered locally under both its URLs."""
    # The schemas name the draft by an http URL that ``referencing`` does not recognise.
    grant = DRAFT202012.create_resource(
        json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    )
    registry = Registry().with_resources([(url, grant) for url in GRANT_URLS])
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    return Draft202012Validator(package, registry=registry, format_checker=FORMATS)


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    """RFC 3339 date-time, as 360Giving's validator checks it: a date alone is not one."""
    return not isinstance(value, str) or ("T" in value and bool(datetime.fromisoformat(value)))


def test_withheld_rows_hide_small_numbers_and_the_difference_to_the_total():
    assert withheld({"a": 10, "b": 0, "c": 4}) == set()
    assert withheld({"a": 1, "b": 2, "c": 5}) == {"a", "b"}
    # one small row alone would be the total minus the others: the smallest other joins it
    assert withheld({"a": 1, "b": 7, "c": 4}) == {"a", "c"}


def test_export_withholds_money_of_initiatives_with_fewer_than_three_donors(client):
    _home, city, neighbourhood = site_tree()
    lonely = make_initiative(neighbourhood, title="Een gift")
    pay(lonely, 37_00)
    many = make_initiative(neighbourhood, title="Veel giften")
    for amount in (10_00, 20_00, 30_00):
        pay(many, amount)
    place = city.url_path.split("/", 2)[2].strip("/")
    rows = json_rows(client, f"/open-data/{place}/initiatives.json", "initiatives")
    by_title = {row["title"]: row for row in rows}
    # the single gift is not shown, and "Veel giften" joined it so no difference gives it away
    assert by_title["Een gift"]["raised_cents"] is None
    assert by_title["Veel giften"]["raised_cents"] is None
    assert by_title["combined"]["raised_cents"] == 97_00
    assert by_title["combined"]["combined_rows"] == 2
    assert "3700" not in download(client, f"/open-data/{place}/initiatives.csv")
    assert export_totals(rows)["raised_cents"] == measure(city).raised_cents
    months = json_rows(client, f"/open-data/{place}/months.json", "months")
    assert export_totals(months)["raised_cents"] == 97_00


def test_grants_file_validates_against_the_360giving_schema(client):
    _home, city, neighbourhood = site_tree()
    organisation = Organisation.objects.create(
        name="Fonds Gouda", slug="fonds-gouda", kind="fund", kvk_number="27123456"
    )
    Organisation.objects.filter(pk=organisation.pk).update(verified_at="2026-01-01T00:00Z")
    programme = FundingProgrammeFactory(organisation=organisation)
    campaign = make_initiative(neighbourhood, title="Gedeeld")
    approve_programme(campaign, programme)
    for amount in (10_00, 20_00, 30_00):
        pay(campaign, amount)
    small = make_initiative(neighbourhood, title="Klein")
    approve_programme(small, programme)
    pay(small, 15_00)
    place = city.url_path.split("/", 2)[2].strip("/")
    package = json.loads(download(client, f"/open-data/{place}/grants-360giving.json"))
    errors = sorted(package_validator().iter_errors(package), key=str)
    assert not errors, [error.message for error in errors]
    assert [grant["amountAwarded"] for grant in package["grants"]] == [60.0]
    assert package["grants"][0]["fundingOrganization"][0]["id"] == "NL-KVK-27123456"


def test_grants_file_of_random_data_validates(client):
    _home, city, neighbourhood = site_tree()
    random_neighbourhood_data(neighbourhood, seed=7)
    place = city.url_path.split("/", 2)[2].strip("/")
    package = json.loads(download(client, f"/open-data/{place}/grants-360giving.json"))
    assert not list(package_validator().iter_errors(package))


def test_no_grants_is_a_clear_404(client):
    _home, city, _neighbourhood = site_tree()
    place = city.url_path.split("/", 2)[2].strip("/")
    response = client.get(f"/en/open-data/{place}/grants-360giving.json")
    assert response.status_code == 404
    assert b"No grants from funds" in response.content


def test_pages_and_charts_render_with_no_data(client):
    _home, city, neighbourhood = site_tree()
    for page in (city, neighbourhood):
        response = client.get(page.url)
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count('role="img"') == 6
        assert "Nog geen cijfers." in body
        assert "<title id=" in body and "<desc id=" in body
    home = client.get("/")
    assert home.status_code == 200


def test_open_data_page_in_both_languages(client):
    site_tree()
    dutch = client.get("/open-data/")
    english = client.get("/en/open-data/")
    assert dutch.status_code == english.status_code == 200
    assert "CC BY 4.0" in english.content.decode()
    assert "Open data" in dutch.content.decode()
    assert "Data dictionary" in english.content.decode()


def test_unknown_place_is_a_404(client):
    site_tree()
    assert client.get("/open-data/nergens/initiatives.csv").status_code == 404


def test_meter_takes_a_fixed_number_of_queries():
    _home, city, neighbourhood = site_tree()
    counts = []
    for size in (1, 4):
        random_neighbourhood_data(neighbourhood, seed=size, initiatives=size)
        with CaptureQueriesContext(connection) as queries:
            measure(city, rate_cents=15_00)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_downloads_are_cacheable(client):
    _home, city, _neighbourhood = site_tree()
    place = city.url_path.split("/", 2)[2].strip("/")
    response = client.get(f"/open-data/{place}/months.csv")
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_initiative_export_takes_a_fixed_number_of_queries():
    _home, city, neighbourhood = site_tree()
    place = city.url_path.split("/", 2)[2].strip("/")
    counts = []
    for size in (1, 4):
        random_neighbourhood_data(neighbourhood, seed=10 + size, initiatives=size)
        "".join(files.content("initiatives", "json", city, place))  # Wagtail's root paths
        with CaptureQueriesContext(connection) as queries:
            body = json.loads("".join(files.content("initiatives", "json", city, place)))
        counts.append(len(queries))
    assert len(body["initiatives"]) >= 5
    assert body["documentation"] == "http://testserver/open-data/"
    assert body["initiatives"][0]["url"].startswith("http://testserver/")
    assert counts[0] == counts[1]


def test_home_page_shows_the_platform_totals(client):
    _home, _city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood)
    pay(campaign, 12_345)
    body = client.get("/").content.decode()
    assert "gemobiliseerd" in body
    assert escape(format_money(12_345)) in body
    assert "Uren zijn een schatting" in body
