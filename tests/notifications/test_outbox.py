"""The outbox: what a service announces is stored with its change and delivered later,
whatever fails in between (the broker, the process after commit, a handler).

The broker outage is real: Celery is pointed at a closed port (``tests.celery_broker``).
"The broker is back" is Celery's eager mode, as in the test settings.
"""

import datetime
import smtplib

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts import events as account_events
from campaigns import events as campaign_events
from campaigns.models import PaymentAttempt, Pledge
from campaigns.services import pledges as pledge_services
from campaigns.services import updates as update_services
from core import outbox
from core.events import REGISTRY, Event, announce, handlers_for, muted, subscribe
from core.jobs import deliver_announcement, sweep_announcements
from core.models import Announcement
from tasks import events as task_events
from tasks import services as task_services
from tests.celery_broker import broker_down
from tests.factories import PledgeFactory, TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

EVENT_MODULES = (account_events, campaign_events, task_events)


def later(seconds=31):
    """A moment past the grace period the sweep gives a new row's own delivery job."""
    return timezone.now() + datetime.timedelta(seconds=seconds)


def time_passes():
    """Every lease and back-off runs out (the claim compares with the real clock)."""
    Announcement.objects.update(next_attempt_at=timezone.now())


@pytest.fixture
def campaign():
    campaign = make_initiative(site_tree()[2], title="Repair Café", goal_cents=1_000_00)
    Announcement.objects.all().delete()  # what setting it up announced is not under test
    return campaign


@pytest.fixture
def task(campaign):
    return TaskFactory(initiative_id=campaign.page_id, title="Koffie zetten", kind="hands")


def inbox(email):
    return [message for message in mail.outbox if message.to == [email]]


def open_pledge(campaign, email, session):
    pledge, attempt = pledge_services.create_pledge(
        campaign=campaign, amount_cents=10_00, guest_email=email, public_name="Buur", language="en"
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id=session)
    return pledge


def test_every_event_a_service_can_announce_has_a_handler():
    declared = {
        value
        for module in EVENT_MODULES
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Event) and value is not Event
    }
    assert declared <= set(REGISTRY.values())
    assert {"offer.requested", "signup.withdrawn", "campaign.cancelled"} <= set(REGISTRY)
    unhandled = sorted(name for name, cls in REGISTRY.items() if not handlers_for(cls))
    assert unhandled == []


def test_events_must_be_named_dataclasses_with_unique_names():
    with pytest.raises(TypeError, match="name"):

        class Nameless(Event):
            pass

    with pytest.raises(TypeError, match="pledge.paid"):

        class AnotherPledgePaid(Event):
            name = "pledge.paid"

    with pytest.raises(TypeError):
        announce("pledge.paid")
    with pytest.raises(TypeError):
        subscribe("pledge.paid")


def test_an_announcement_is_one_row_written_with_the_change_and_gone_with_a_rollback(
    task, django_capture_on_commit_callbacks
):
    helper = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        signup = task_services.sign_up(task=task, user=helper)
    row = Announcement.objects.get()
    assert (row.name, row.payload, row.attempts, row.delivered_at) == (
        "signup.created",
        {"signup_id": signup.pk},
        0,
        None,
    )

    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            task_services.withdraw(signup=signup, user=helper)
            raise RuntimeError("the change fails")
    assert Announcement.objects.count() == 1
    assert mail.outbox == []


def test_muted_announcements_write_nothing(task):
    with muted():
        task_services.sign_up(task=task, user=UserFactory())
    assert not Announcement.objects.exists()


def test_a_broker_outage_only_delays_the_mail(task, django_capture_on_commit_callbacks):
    helper = UserFactory(email="buur@example.nl")
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        task_services.sign_up(task=task, user=helper)
    assert callbacks  # the delivery was queued after commit, and that failed
    row = Announcement.objects.get()
    assert (row.attempts, row.delivered_at) == (0, None)
    assert inbox("buur@example.nl") == []

    assert sweep_announcements() == 0  # still within the grace period of its own job
    with broker_down():
        assert sweep_announcements(now=later()) == 1  # the broker is still down
    assert inbox("buur@example.nl") == []

    assert sweep_announcements(now=later()) == 1  # the broker is back

    assert len(inbox("buur@example.nl")) == 1
    row.refresh_from_db()
    assert row.delivered_at is not None and row.attempts == 1
    assert sweep_announcements(now=later()) == 0
    assert len(inbox("buur@example.nl")) == 1


def test_a_crash_between_commit_and_delivery_only_delays_the_receipt(
    campaign, django_capture_on_commit_callbacks
):
    """The process dies right after the commit: the after-commit callbacks never run."""
    pledge = open_pledge(campaign, "gever@example.nl", "cs_crash")
    with django_capture_on_commit_callbacks(execute=False) as never_run:
        pledge_services.mark_paid(pledge_id=pledge.pk, session_id="cs_crash")
    assert never_run
    assert Announcement.objects.filter(name="pledge.paid").count() == 1
    assert mail.outbox == []

    assert sweep_announcements(now=later()) == 1

    receipts = [m for m in inbox("gever@example.nl") if "Thank you" in m.subject]
    assert len(receipts) == 1


def test_a_redelivered_announcement_mails_nobody_twice(task, django_capture_on_commit_callbacks):
    helper = UserFactory(email="buur@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        task_services.sign_up(task=task, user=helper)
    assert len(inbox("buur@example.nl")) == 1
    row = Announcement.objects.get()
    assert row.delivered_at is not None
    assert outbox.deliver(row.pk) == outbox.SKIPPED  # delivered rows are not claimed again

    Announcement.objects.update(delivered_at=None, attempts=0)  # as if the mark was lost
    assert outbox.deliver(row.pk) == outbox.DELIVERED

    assert len(inbox("buur@example.nl")) == 1  # the sent-once log


def test_a_row_being_delivered_is_leased_and_taken_over_when_the_lease_runs_out(task):
    signup = task_services.sign_up(task=task, user=UserFactory(email="buur@example.nl"))
    row = Announcement.objects.get()
    claimed = outbox.claim(row.pk)  # a worker takes it, then dies without a trace
    assert claimed.attempts == 1
    assert outbox.claim(row.pk) is None
    assert deliver_announcement.delay(row.pk).get() == outbox.SKIPPED
    assert sweep_announcements(now=later()) == 0  # the lease still runs

    time_passes()
    assert sweep_announcements() == 1

    assert [m.to for m in mail.outbox] == [[signup.user.email]]
    assert Announcement.objects.get().attempts == 2


def test_a_failing_delivery_backs_off_then_dies_and_staff_can_deliver_it_again(task, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection dropped")

    task_services.sign_up(task=task, user=UserFactory(email="buur@example.nl"))
    row = Announcement.objects.get()
    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refuse)
        assert outbox.deliver(row.pk) == outbox.FAILED
        row.refresh_from_db()
        assert row.attempts == 1 and "connection dropped" in row.last_error
        waited = row.next_attempt_at - timezone.now()
        assert datetime.timedelta(seconds=50) < waited <= datetime.timedelta(minutes=1)
        assert outbox.deliver(row.pk) == outbox.SKIPPED  # not due yet
        assert sweep_announcements() == 0

        for _attempt in range(2, Announcement.MAX_ATTEMPTS + 1):
            time_passes()
            assert outbox.deliver(row.pk) == outbox.FAILED
        row.refresh_from_db()
        assert row.attempts == Announcement.MAX_ATTEMPTS and row.dead_at is not None
        assert sweep_announcements(now=later(7200)) == 0  # dead rows are left to staff

    assert mail.outbox == []
    admin = admin_site.get_model_admin(Announcement)
    request = RequestFactory().post("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    monkeypatch.setattr(admin, "message_user", lambda *args, **kwargs: None)
    admin.deliver_again(request, Announcement.objects.all())

    row.refresh_from_db()
    assert row.delivered_at is not None and row.dead_at is None
    assert [m.to for m in mail.outbox] == [["buur@example.nl"]]


def test_backoff_doubles_up_to_an_hour():
    minutes = [outbox.backoff(n).total_seconds() / 60 for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_fan_out_cut_off_by_the_broker_is_delivered_later_to_each_supporter_once(
    campaign, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import jobs

    donors = [PledgeFactory(campaign=campaign, wants_updates=True).guest_email for _ in range(3)]
    monkeypatch.setattr(jobs, "FAN_OUT_BATCH", 1)
    monkeypatch.setattr(jobs.fan_out, "__defaults__", (1,))
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        update_services.post_update(
            campaign=campaign, author=campaign.initiators.get(), title="Nieuws", body="Tekst"
        )
        row = Announcement.objects.get(name="update.posted")
        assert outbox.deliver(row.pk) == outbox.FAILED
    row.refresh_from_db()
    assert row.last_error and row.delivered_at is None
    assert mail.outbox == []

    time_passes()
    assert sweep_announcements() == 1

    assert sorted(message.to[0] for message in mail.outbox) == sorted(donors)
    Announcement.objects.update(delivered_at=None, attempts=0)
    time_passes()
    assert sweep_announcements() == 1
    assert len(mail.outbox) == 3  # a second delivery mails nobody twice


def test_payment_failed_is_not_sent_once_the_pledge_got_paid(
    campaign, django_capture_on_commit_callbacks
):
    """The session's expiry is processed first, then its payment; delivery comes after."""
    pledge = open_pledge(campaign, "gever@example.nl", "cs_late")
    with django_capture_on_commit_callbacks(execute=False):
        assert pledge_services.mark_unpaid(
            pledge_id=pledge.pk, to_status=Pledge.Status.EXPIRED, session_id="cs_late"
        )
    with django_capture_on_commit_callbacks(execute=False):
        pledge_services.mark_paid(pledge_id=pledge.pk, session_id="cs_late")
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.PAID
    assert list(Announcement.objects.order_by("pk").values_list("name", flat=True)) == [
        "pledge.failed",
        "pledge.paid",
    ]

    assert sweep_announcements(now=later()) == 2

    subjects = [m.subject for m in inbox("gever@example.nl")]
    assert subjects == ["Thank you for your donation to Repair Café"]
    assert not Announcement.objects.filter(delivered_at__isnull=True).exists()


def test_payment_failed_is_sent_while_the_pledge_is_still_unpaid(
    campaign, django_capture_on_commit_callbacks
):
    pledge = open_pledge(campaign, "gever@example.nl", "cs_gone")
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.mark_unpaid(
            pledge_id=pledge.pk, to_status=Pledge.Status.EXPIRED, session_id="cs_gone"
        )
    assert [m.subject for m in inbox("gever@example.nl")] == [
        "Your donation to Repair Café did not go through"
    ]


def test_delivered_rows_are_purged_after_thirty_days_but_dead_ones_stay(task):
    task_services.sign_up(task=task, user=UserFactory())
    row = Announcement.objects.get()
    outbox.deliver(row.pk)
    dead = Announcement.objects.create(name="signup.created", payload={"signup_id": 0})
    Announcement.objects.filter(pk=dead.pk).update(dead_at=timezone.now())

    sweep_announcements(now=later(29 * 24 * 3600))
    assert Announcement.objects.count() == 2
    sweep_announcements(now=later(31 * 24 * 3600))
    assert list(Announcement.objects.values_list("pk", flat=True)) == [dead.pk]


def test_announcing_is_one_insert_in_the_callers_transaction(django_assert_num_queries):
    from django.db import transaction

    with transaction.atomic(), django_assert_num_queries(1) as captured:
        announce(task_events.SignedUp(signup_id=1))
    assert captured.captured_queries[0]["sql"].startswith('INSERT INTO "core_announcement"')


def test_staff_see_dead_announcements_in_the_admin(client):
    dead = Announcement.objects.create(
        name="pledge.paid", payload={"pledge_id": 7}, attempts=10, last_error="SMTP down"
    )
    Announcement.objects.filter(pk=dead.pk).update(dead_at=timezone.now())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/django-admin/core/announcement/?state=dead")

    assert page.status_code == 200
    assert "pledge.paid" in page.content.decode()
    assert "Deliver again" in page.content.decode() or "Opnieuw afleveren" in page.content.decode()
