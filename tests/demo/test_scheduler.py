"""The demo's in-process beat: Celery's schedule decides, the due job runs in the thread."""

import datetime
import threading

import pytest
import time_machine
from celery import current_app
from django.contrib.staticfiles.management.commands import runserver
from django.utils import timezone

from campaigns.models import Campaign
from demo import scheduler
from demo.management.commands import run_demo
from tests.factories import PledgeFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

CLOSE_DUE = {
    "close-due-campaigns": {"task": "campaigns.jobs.close_due_campaigns", "schedule": 300.0}
}


def test_every_interval_is_cut_to_the_demo_interval_and_shorter_ones_stay():
    entries = scheduler.shortened(
        {
            "daily": {"task": "a", "schedule": 86400.0},
            "minute": {"task": "b", "schedule": datetime.timedelta(seconds=30)},
        },
        60,
    )
    assert entries["daily"]["schedule"].run_every == datetime.timedelta(seconds=60)
    assert entries["minute"]["schedule"].run_every == datetime.timedelta(seconds=30)
    assert entries["daily"]["task"] == "a"


def test_the_deadline_job_runs_once_it_is_due_and_closes_a_campaign_past_its_deadline():
    _home, _city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, goal_cents=100_00)
    PledgeFactory(campaign=campaign, amount_cents=120_00)
    Campaign.objects.filter(pk=campaign.pk).update(raised_cents=120_00, supporter_count=1)
    after_deadline = campaign.deadline_at + datetime.timedelta(days=1)

    with time_machine.travel(after_deadline, tick=False) as clock:
        beat = scheduler.DemoScheduler(current_app, interval_seconds=60, beat_schedule=CLOSE_DUE)
        wait = scheduler.run_due(beat)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.LIVE  # not due yet: nothing ran
        assert 0 < wait <= 60

        clock.shift(datetime.timedelta(seconds=61))
        wait = scheduler.run_due(beat)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUCCEEDED
    assert campaign.closed_at is not None
    assert 0 < wait <= 60  # and the next run is a demo interval away, not five minutes


def test_a_due_entry_runs_its_task_once_per_interval(monkeypatch):
    runs = []
    monkeypatch.setattr(
        current_app.tasks["campaigns.jobs.close_due_campaigns"], "run", lambda: runs.append(1)
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        beat = scheduler.DemoScheduler(current_app, interval_seconds=60, beat_schedule=CLOSE_DUE)
        for seconds in (30, 31, 30, 30, 30):  # 61, 121 and 151 s after the start
            clock.shift(datetime.timedelta(seconds=seconds))
            scheduler.run_due(beat)
    assert len(runs) == 2


def test_the_scheduler_does_not_start_when_the_setting_is_off(settings):
    settings.DEMO_SCHEDULER = False
    assert scheduler.start() is None


def test_the_scheduler_does_not_start_with_a_real_broker_or_in_production(settings):
    settings.DEMO_SCHEDULER = True
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert scheduler.start() is None
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PRODUCTION = True
    assert scheduler.start() is None


def test_the_scheduler_starts_a_daemon_thread_that_stops_when_asked(settings):
    settings.DEMO_SCHEDULER = True
    settings.DEMO_SCHEDULER_INTERVAL_SECONDS = 60
    stop = threading.Event()
    thread = scheduler.start(stop=stop)
    try:
        assert thread.daemon and thread.is_alive()
        assert "close-due-campaigns" in thread.scheduler.schedule
        assert all(
            entry.schedule.run_every <= datetime.timedelta(seconds=60)
            for entry in thread.scheduler.schedule.values()
        )
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_run_demo_starts_the_scheduler_in_the_serving_process_before_serving(monkeypatch):
    calls = []
    monkeypatch.setattr(scheduler, "start", lambda: calls.append("scheduler") or None)
    monkeypatch.setattr(
        runserver.Command, "inner_run", lambda self, *a, **kw: calls.append("serve")
    )

    run_demo.Command().inner_run()

    assert calls == ["scheduler", "serve"]
