"""The page's totals, the export's totals and the ledger agree; exports hold no personal data."""

import re

import pytest
from django.core.management import call_command
from django.utils.html import escape

from accounts.models import User
from campaigns.models import Pledge
from cms.models import CityPage, NeighbourhoodPage
from cms.money import format_money
from tasks.capital.meter import measure, per_month
from tests.capital.helpers import (
    csv_rows,
    download,
    export_totals,
    json_rows,
    ledger,
    meter_totals,
    random_neighbourhood_data,
)
from tests.factories import site_tree

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _place(page):
    return page.url_path.split("/", 2)[2].strip("/")


def _check_three_figures(client, scope):
    place = _place(scope)
    expected = ledger(scope)
    meter = measure(scope)
    assert meter_totals(meter) == {k: expected[k] for k in meter_totals(meter)}
    assert meter.tasks_done == expected["tasks_done"]
    assert meter.participants == expected["participants"]
    for kind in ("initiatives", "months"):
        json_data = json_rows(client, f"/open-data/{place}/{kind}.json", kind)
        csv_data = csv_rows(client, f"/open-data/{place}/{kind}.csv")
        from_json, from_csv = export_totals(json_data), export_totals(csv_data)
        assert from_json == from_csv == meter_totals(meter), kind
        if kind == "initiatives":
            assert participants_total(json_data) == participants_total(csv_data)
            assert participants_total(json_data) == meter.participants
    page = client.get(scope.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert escape(format_money(meter.mobilised_cents)) in body
    assert re.search(rf"<dd>{meter.participants}</dd>", body)
    return meter


def participants_total(rows):
    return sum(int(row["participants"] or 0) for row in rows)


def _check_no_personal_data(client, scope, names):
    place = _place(scope)
    for url in (
        f"/open-data/{place}/initiatives.csv",
        f"/open-data/{place}/initiatives.json",
        f"/open-data/{place}/months.csv",
        f"/open-data/{place}/months.json",
    ):
        body = download(client, url)
        assert not EMAIL.search(body), url
        for name in names:
            assert name not in body, (url, name)
    grants = client.get(f"/open-data/{place}/grants-360giving.json")
    if grants.status_code == 200:
        body = b"".join(grants.streaming_content).decode()
        assert not EMAIL.search(body)
        assert not any(name in body for name in names)


def _people_names():
    names = {user.display_name for user in User.objects.exclude(display_name="")}
    names |= set(Pledge.objects.exclude(public_name="").values_list("public_name", flat=True))
    return {name for name in names if len(name) > 3}


def test_demo_page_export_and_ledger_agree_and_exports_hold_no_personal_data(client):
    call_command("load_demo_data", verbosity=0)
    names = _people_names()
    assert names
    participants = 0
    for scope in [CityPage.objects.get(), *NeighbourhoodPage.objects.all()]:
        meter = _check_three_figures(client, scope)
        _check_no_personal_data(client, scope, names)
        participants = max(participants, meter.participants)
    assert participants >= 140  # De Bruisplaats's impact report counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_data_page_export_and_ledger_agree(client, seed):
    _home, city, neighbourhood = site_tree()
    random_neighbourhood_data(neighbourhood, seed)
    assert _check_three_figures(client, neighbourhood).participants
    _check_three_figures(client, city)
    _check_no_personal_data(client, city, _people_names())
    assert sum(row["raised_cents"] for row in per_month(city)) == measure(city).raised_cents
