"""A worker killed with SIGKILL while it sends receipts: every paid donor still gets one.

Real parts: PostgreSQL, a redis-server broker, and a ``celery worker`` process (prefork,
as in production) whose whole process group is killed mid-burst. Mail goes to files
(``tests.notifications.slow_mail``, a pause per mail as SMTP takes), so the test can
count what each donor received. Then a new worker starts, the killed worker's leases
run out (the test moves them to now instead of waiting two minutes) and the sweep runs.
"""

import datetime
import os
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import PaymentAttempt
from campaigns.services import pledges as pledge_services
from core.jobs import sweep_announcements
from core.models import Announcement
from notifications.base import CLAIM_LEASE
from notifications.models import SentMessage
from tests.celery_broker import WorkerProcess as Worker
from tests.celery_broker import celery_conf, wait_until
from tests.factories import make_initiative, site_tree

ROOT = Path(__file__).resolve().parents[2]
DONORS = 40


def mails_per_recipient(mail_dir):
    counts = Counter()
    for path in mail_dir.iterdir():
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                counts[line[4:].strip()] += 1
    return counts


def open_pledges(campaign, count):
    pledges = []
    for n in range(count):
        pledge, attempt = pledge_services.create_pledge(
            campaign=campaign,
            amount_cents=5_00,
            guest_email=f"gever{n:02d}@example.nl",
            public_name=f"Gever {n}",
            language="en",
        )
        PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id=f"cs_kill_{n}")
        pledges.append(pledge)
    return pledges


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_paid_donor_gets_exactly_one_receipt_although_the_worker_was_killed(
    requires_postgres, redis_broker, tmp_path
):
    campaign = make_initiative(site_tree()[2], title="Speeltuin", goal_cents=100_000_00)
    pledges = open_pledges(campaign, DONORS)
    Announcement.objects.all().delete()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings",
        PYTHONPATH=str(ROOT),
        WORKER_BROKER_URL=redis_broker,
        WORKER_DATABASE_NAME=connection.settings_dict["NAME"],
        WORKER_MAIL_DIR=str(mail_dir),
        SLOW_MAIL_SECONDS="0.2",
        CELERY_SKIP_CHECKS="1",
    )

    with celery_conf(task_always_eager=False, broker_url=redis_broker):
        first = Worker("first", env, tmp_path).start()
        try:
            for n, pledge in enumerate(pledges):
                pledge_services.mark_paid(pledge_id=pledge.pk, session_id=f"cs_kill_{n}")
            assert wait_until(lambda: sum(mails_per_recipient(mail_dir).values()) >= 5, 30)
        finally:
            first.kill()  # SIGKILL, mid-burst

        assert Announcement.objects.filter(name="pledge.paid").count() == DONORS
        undelivered = Announcement.objects.filter(delivered_at__isnull=True)
        assert undelivered.exists(), "the worker finished before it was killed"
        assert sum(mails_per_recipient(mail_dir).values()) < DONORS

        # Time passes: the killed worker's lease and its unsent mail claims run out.
        undelivered.update(next_attempt_at=timezone.now())
        SentMessage.objects.filter(sent_at__isnull=True).update(
            claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(seconds=1)
        )
        second = Worker("second", env, tmp_path).start()
        try:
            assert sweep_announcements() >= 1
            assert wait_until(lambda: not undelivered.exists(), 45), (
                f"{undelivered.count()} announcements were never delivered"
            )
        finally:
            second.stop()

    assert mails_per_recipient(mail_dir) == {pledge.guest_email: 1 for pledge in pledges}
    assert SentMessage.objects.filter(
        message="donation_receipt", sent_at__isnull=False
    ).count() == (DONORS)
