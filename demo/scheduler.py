"""Celery beat inside the demo's web process, so that the demo shows its scheduled jobs.

Without ``REDIS_URL`` there is no broker and no beat, and jobs run in-process when they
are queued. ``manage.py run_demo`` starts :func:`start` in a daemon thread beside
runserver: Celery's own ``beat.Scheduler`` decides which entry of
``CELERY_BEAT_SCHEDULE`` is due (``schedule.is_due()``, ``remaining_estimate``) and the
job runs right there, as an eager job would. Each interval is shortened to
``DEMO_SCHEDULER_INTERVAL_SECONDS``, so that deadlines close and digests go out within
minutes. It never runs under production settings, with a real broker (beat does that job),
or when ``DEMO_SCHEDULER`` is off (the test settings).
"""

import logging
import threading
from datetime import timedelta

from celery import beat, current_app
from celery.schedules import schedule as every
from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def is_enabled():
    """The scheduler runs only where it was asked for and no real beat can exist."""
    return bool(
        settings.DEMO_SCHEDULER
        and not getattr(settings, "PRODUCTION", False)
        and settings.CELERY_TASK_ALWAYS_EAGER
    )


def shortened(beat_schedule, seconds):
    """The beat schedule with every interval cut to at most ``seconds``."""
    entries = {}
    for name, entry in beat_schedule.items():
        run_every = entry["schedule"]
        if isinstance(run_every, (int, float, timedelta)):
            current = run_every.total_seconds() if isinstance(run_every, timedelta) else run_every
            run_every = every(timedelta(seconds=min(current, seconds)))
        else:
            run_every = every(timedelta(seconds=seconds))
        entries[name] = {**entry, "schedule": run_every}
    return entries


class DemoScheduler(beat.Scheduler):
    """Beat's scheduler without a broker: a due entry's job runs in the calling thread."""

    producer = None  # no broker connection: jobs are applied, never sent

    def __init__(self, app, *, interval_seconds, beat_schedule=None, **kwargs):
        self.interval_seconds = interval_seconds
        self.beat_schedule = app.conf.beat_schedule if beat_schedule is None else beat_schedule
        super().__init__(app, max_interval=interval_seconds, **kwargs)

    def setup_schedule(self):
        self.merge_inplace(shortened(self.beat_schedule, self.interval_seconds))

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        entry = self.reserve(entry) if advance else entry
        return self.app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs)


def run_due(scheduler):
    """Run every entry that is due now; return the seconds until the next one is."""
    while True:
        wait = scheduler.tick()
        if wait > 0:
            return wait


def start(app=None, stop=None):
    """Start the demo scheduler in a daemon thread, or return None when it is off."""
    if not is_enabled():
        return None
    scheduler = DemoScheduler(
        app or current_app, interval_seconds=settings.DEMO_SCHEDULER_INTERVAL_SECONDS
    )
    stop = stop or threading.Event()

    def loop():
        try:
            while True:
                wait = run_due(scheduler)
                # The thread is not a request: it gives back its connections as one would.
                close_old_connections()
                if stop.wait(wait):
                    return
        finally:
            connections.close_all()

    thread = threading.Thread(target=loop, name="demo-scheduler", daemon=True)
    thread.stop = stop
    thread.scheduler = scheduler
    thread.start()
    logger.info(
        "Demo scheduler: %d scheduled jobs, each at least every %d seconds.",
        len(scheduler.schedule),
        settings.DEMO_SCHEDULER_INTERVAL_SECONDS,
    )
    return thread
