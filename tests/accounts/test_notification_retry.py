"""A notification whose job cannot be queued (the broker is down) is kept and sent later.

The outage is real: Celery is pointed at a closed port (``tests.celery_broker``), so
``send_message.delay`` fails after the sign-up has committed. "The broker is back" is
Celery's eager mode, as in the embedded default.
"""

import pytest
from django.core import mail

from accounts.jobs import retry_notifications
from accounts.models import NotificationRetry
from accounts.notify import notify
from tasks import services as task_services
from tasks.models import SignUp
from tests.celery_broker import broker_down
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

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

    NotificationRetry.objects.filter(pk=retry.pk).update(attempts=NotificationRetry.MAX_ATTEMPTS)
    assert retry_notifications() == 0
    assert NotificationRetry.objects.get().attempts == NotificationRetry.MAX_ATTEMPTS
    assert confirmations("buur@example.nl") == []


def test_an_event_nobody_handles_keeps_nothing(django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        notify("nothing.listens", thing_id=1)
    assert not NotificationRetry.objects.exists()
