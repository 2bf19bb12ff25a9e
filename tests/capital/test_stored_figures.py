"""Neighbourhood, city and platform figures are stored, served as stored, and recounted in
the background: a page never waits for a count of every pledge of the platform."""

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cms.models import PlatformSettings
from tasks import jobs
from tasks.capital import meter
from tests.factories import NeighbourhoodPageFactory, make_initiative, pay, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    home, city, neighbourhood = site_tree()
    pay(make_initiative(neighbourhood, title="Geveltuinen", status="live"), 20_00)
    return neighbourhood


def test_a_figure_never_counted_is_counted_in_the_request_and_stored(neighbourhood):
    asked = []
    first = meter.cached("meter", None, on_stale=lambda *args: asked.append(args))
    assert first.raised_cents == 20_00
    with CaptureQueriesContext(connection) as queries:
        again = meter.cached("meter", None, on_stale=lambda *args: asked.append(args))
    assert again == first
    assert len(queries) == 0
    assert asked == []


def test_a_stale_figure_is_served_and_one_recount_is_asked_per_period(neighbourhood):
    asked = []
    meter.cached("meter", neighbourhood, on_stale=lambda *args: asked.append(args))
    pay(make_initiative(neighbourhood, title="Repair Café", status="live"), 5_00)
    key = f"capital:meter:{neighbourhood.pk}"
    counted_at, value = cache.get(key)
    cache.set(key, (counted_at - meter.cache_seconds() - 1, value))

    for _ in range(3):
        served = meter.cached("meter", neighbourhood, on_stale=lambda *args: asked.append(args))
        assert served.raised_cents == 20_00
    assert asked == [("meter", neighbourhood.pk)]

    jobs.recount_capital_figure("meter", neighbourhood.pk)
    assert meter.cached("meter", neighbourhood, on_stale=asked.append).raised_cents == 25_00


def test_the_beat_job_recounts_every_platform_figure(neighbourhood):
    for kind in meter.FIGURES:
        meter.cached(kind, None, on_stale=lambda *args: None)
    pay(make_initiative(neighbourhood, title="Repair Café", status="live"), 5_00)
    before = time.time()
    assert jobs.recount_platform_capital() == len(meter.FIGURES)  # eager in the tests
    for kind in meter.FIGURES:
        counted_at, _value = cache.get(f"capital:{kind}:all")
        assert counted_at >= before
    assert cache.get("capital:meter:all")[1].raised_cents == 25_00
    assert "tasks.jobs.recount_platform_capital" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_a_recount_of_a_page_deleted_since_does_nothing(neighbourhood):
    empty = NeighbourhoodPageFactory(parent=neighbourhood.get_parent())
    page_id = empty.pk
    empty.delete()
    assert jobs.recount_capital_figure("meter", page_id) is None
    assert cache.get(f"capital:meter:{page_id}") is None


def test_a_broker_that_is_down_leaves_the_stale_figure_served(neighbourhood, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(jobs.recount_capital_figure, "delay", refuse)
    meter.cached("meter", None, on_stale=jobs.recount_in_background)
    counted_at, value = cache.get("capital:meter:all")
    cache.set("capital:meter:all", (counted_at - meter.cache_seconds() - 1, value))
    assert meter.cached("meter", None, on_stale=jobs.recount_in_background) == value


def test_the_meter_tag_values_hours_at_the_rate_of_the_requests_site(neighbourhood):
    home = neighbourhood.get_parent().get_parent()
    site = home.get_site()
    settings_row = PlatformSettings.for_site(site)
    settings_row.volunteer_hour_value_cents = 20_00
    settings_row.save()
    request = RequestFactory().get("/", HTTP_HOST=site.hostname)
    shown = Template("{% load capital_tags %}{% capital_meter as m %}{{ m.hour_value_cents }}")
    assert shown.render(Context({"request": request})) == "2000"
    settings_row.volunteer_hour_value_cents = 12_50
    settings_row.save()
    assert shown.render(Context({"request": request})) == "1250"


def test_the_neighbourhood_totals_are_the_stored_meters_figures(client, neighbourhood):
    """The totals block and the meter on a neighbourhood page show one stored count: a
    donation since shows in both once the figure is recounted, in neither before."""
    first = client.get(neighbourhood.url).context["totals"]
    assert (first["raised_cents"], first["supporters"], first["initiatives"]) == (20_00, 1, 1)
    pay(make_initiative(neighbourhood, title="Repair Café", status="live"), 5_00)

    stored = client.get(neighbourhood.url).context["totals"]
    assert (stored["raised_cents"], stored["supporters"]) == (20_00, 1)
    assert stored["initiatives"] == 2  # counted on every view: one query over campaigns only

    jobs.recount_capital_figure("meter", neighbourhood.pk)
    recounted = client.get(neighbourhood.url).context["totals"]
    assert (recounted["raised_cents"], recounted["supporters"]) == (25_00, 2)
