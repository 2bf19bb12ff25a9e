"""A notification whose job cannot be queued (the broker is down) is kept and sent later.

The outage is real: Celery is pointed at a closed port (``tests.celery_broker``), so
``send_message.delay`` fails after the sign-up has committed. "The broker is back" is
Celery's eager mode, as in the embedded default.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.jobs import fan_out, retry_notifications
from accounts.models import NotificationRetry
from accounts.notify import notify
from campaigns.models import InitiativeUpdate
from tasks import services as task_services
from tasks.models import SignUp
from tests.celery_broker import broker_down
from tests.factories import PledgeFactory, TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    campaign = make_initiative(site_tree()[2], title="Repair Café")
    return TaskFactory(initiative_id=campaign.page_id, title="Koffie zetten", kind="hands")


def confirmations(email):
    return [message for message in mail.outbox if message.to == [email]]


def test_a_sign_up_confirmation_lost_to_a_broker_outage_is_sent_once_it_is_back(
    task, django_capture_on_commit_callbacks
):
    helper = UserFactory(email="buur@example.nl")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        task_services.sign_up(task=task, user=helper, note="")

    signup = SignUp.objects.get(task=task, user=helper)
    retry = NotificationRetry.objects.get()
    assert (retry.event, retry.ids, retry.attempts) == (
        "signup.created",
        {"signup_id": signup.pk},
        1,
    )
    assert retry.handler == "accounts.notifications.handlers.signup_created"
    assert retry.last_error
    assert confirmations("buur@example.nl") == []

    assert retry_notifications() == 1

    assert len(confirmations("buur@example.nl")) == 1
    assert not NotificationRetry.objects.exists()
    assert retry_notifications() == 0
    assert len(confirmations("buur@example.nl")) == 1


def test_a_retry_that_runs_twice_still_mails_once(task, django_capture_on_commit_callbacks):
    helper = UserFactory(email="buur@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        task_services.sign_up(task=task, user=helper, note="")
    assert len(confirmations("buur@example.nl")) == 1
    signup = SignUp.objects.get(task=task, user=helper)
    NotificationRetry.objects.create(
        event="signup.created",
        handler="accounts.notifications.handlers.signup_created",
        ids={"signup_id": signup.pk},
    )

    assert retry_notifications() == 1

    assert len(confirmations("buur@example.nl")) == 1  # the sent-once log


def test_a_retry_that_fails_again_counts_attempts_and_stops_at_the_limit(
    task, django_capture_on_commit_callbacks
):
    helper = UserFactory(email="buur@example.nl")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        task_services.sign_up(task=task, user=helper, note="")
    retry = NotificationRetry.objects.get()

    with broker_down():
        assert retry_notifications() == 0
    retry.refresh_from_db()
    assert retry.attempts == 2
    waited = retry.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < waited <= datetime.timedelta(minutes=1)
    assert retry_notifications() == 0  # not due yet, broker or not
    assert NotificationRetry.objects.get().attempts == 2
    NotificationRetry.objects.update(next_attempt_at=timezone.now())
    with broker_down():
        retry_notifications()
    retry.refresh_from_db()
    assert retry.attempts == 3
    assert retry.next_attempt_at - timezone.now() > datetime.timedelta(minutes=1, seconds=50)

    NotificationRetry.objects.filter(pk=retry.pk).update(
        attempts=NotificationRetry.MAX_ATTEMPTS, next_attempt_at=timezone.now()
    )
    assert retry_notifications() == 0
    assert NotificationRetry.objects.get().attempts == NotificationRetry.MAX_ATTEMPTS
    assert confirmations("buur@example.nl") == []


def test_an_event_nobody_handles_keeps_nothing(django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        notify("nothing.listens", thing_id=1)
    assert not NotificationRetry.objects.exists()


def test_a_fan_out_cut_off_by_the_broker_runs_again_and_mails_each_supporter_once(task):
    campaign = task.initiative.campaign
    donors = [PledgeFactory(campaign=campaign).guest_email for _ in range(3)]
    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuws", body="Tekst")

    with broker_down(), pytest.raises(OperationalError):
        fan_out("update_posted", update.pk, batch_size=1)

    retry = NotificationRetry.objects.get()
    assert (retry.event, retry.ids) == (
        "fan_out.interrupted",
        {"key": "update_posted", "object_id": update.pk},
    )
    assert mail.outbox == []

    assert retry_notifications() == 1

    assert sorted(message.to[0] for message in mail.outbox) == sorted(donors)
    NotificationRetry.objects.create(event=retry.event, handler=retry.handler, ids=retry.ids)
    assert retry_notifications() == 1
    assert len(mail.outbox) == 3  # a second run mails nobody twice


def test_dead_rows_are_purged_after_thirty_days():
    NotificationRetry.objects.create(
        event="signup.created",
        handler="accounts.notifications.handlers.signup_created",
        ids={"signup_id": 1},
        attempts=NotificationRetry.MAX_ATTEMPTS,
    )
    retry_notifications()
    assert NotificationRetry.objects.count() == 1
    NotificationRetry.objects.update(updated_at=timezone.now() - datetime.timedelta(days=31))
    retry_notifications()
    assert not NotificationRetry.objects.exists()
