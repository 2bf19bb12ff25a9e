"""Fanning a message out to a large audience: chunked jobs that carry id ranges, a cost per
chunk that does not grow with the audience, and one mail per person however often (or
however far) the jobs run.
"""

import json
import smtplib
import threading
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Follow, InitiativeUpdate
from notifications import jobs
from notifications.base import CLAIM_LEASE, MARK_SENT_EVERY
from notifications.messages import UpdatePosted
from notifications.models import SentMessage
from tests.factories import PledgeFactory, UserFactory, make_initiative, site_tree

CHUNK = 20


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Repair Café", goal_cents=1_000_00)


def followed_update(campaign, followers):
    users = [UserFactory(preferred_language="en" if n % 4 == 0 else "nl") for n in range(followers)]
    Follow.objects.bulk_create([Follow(user=user, campaign=campaign) for user in users])
    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuws", body="Tekst")
    return update, sorted(user.email for user in users)


def planned_jobs(monkeypatch, key, object_id, batch_size=CHUNK):
    """Run ``fan_out`` with the broker replaced by a list; returns (jobs, queries)."""
    queued = []
    with monkeypatch.context() as patch, CaptureQueriesContext(connection) as queries:
        patch.setattr(jobs.send_chunk, "delay", lambda *args: queued.append(list(args)))
        assert jobs.fan_out(key, object_id, batch_size=batch_size) == len(queued)
    return queued, len(queries)


def run_jobs(queued):
    """Run each queued chunk as a worker would; returns the queries of each."""
    counts = []
    for args in queued:
        with CaptureQueriesContext(connection) as queries:
            result = jobs.send_chunk.apply(args=args)
        assert result.successful(), result.traceback
        counts.append(len(queries))
    return counts


def recipients_of(messages):
    return sorted(message.to[0] for message in messages)


@pytest.mark.django_db
def test_fanning_out_to_sixty_followers_costs_the_same_per_chunk_as_to_ten(campaign, monkeypatch):
    assert CHUNK < MARK_SENT_EVERY
    assert campaign.page.url  # Wagtail caches the site's root paths once, outside the count
    small, small_emails = followed_update(campaign, 10)
    small_jobs, small_planning = planned_jobs(monkeypatch, "update_posted", small.pk)
    small_chunks = run_jobs(small_jobs)
    assert recipients_of(mail.outbox) == small_emails

    other = make_initiative(site_tree()[2], title="Buurtmoestuin", goal_cents=1_000_00)
    large, large_emails = followed_update(other, 60)
    assert other.page.url  # publishing a page dropped that cache
    mail.outbox.clear()
    large_jobs, large_planning = planned_jobs(monkeypatch, "update_posted", large.pk)
    large_chunks = run_jobs(large_jobs)

    assert recipients_of(mail.outbox) == large_emails
    assert large_planning == small_planning
    assert len(small_jobs) == 1 and len(large_jobs) == 3
    assert set(large_chunks) == set(small_chunks)  # 20 mails cost what 10 cost
    for args in large_jobs:  # a job carries the message, the part and an id range
        assert json.loads(json.dumps(args)) == args
        assert args[:3] == ["update_posted", large.pk, "followers"]
        assert all(isinstance(bound, int) for bound in args[3:])


@pytest.mark.django_db
def test_each_person_gets_one_mail_and_running_it_again_sends_nothing(campaign, monkeypatch):
    update, follower_emails = followed_update(campaign, 45)
    follower = Follow.objects.filter(campaign=campaign).select_related("user").first().user
    PledgeFactory(campaign=campaign, donor=follower)  # a donor who also follows
    PledgeFactory(campaign=campaign, guest_email="gast@example.nl", wants_updates=True)
    PledgeFactory(campaign=campaign, guest_email="GAST@example.nl", wants_updates=True)
    PledgeFactory(campaign=campaign, guest_email="stil@example.nl", wants_updates=False)
    monkeypatch.setattr(jobs, "FAN_OUT_BATCH", CHUNK)

    assert jobs.fan_out(UpdatePosted.key, update.pk) == 1 + 3  # donors, then followers

    expected = sorted([*follower_emails, "gast@example.nl"])
    assert recipients_of(mail.outbox) == expected
    assert SentMessage.objects.filter(sent_at__isnull=True).count() == 0

    queued, _queries = planned_jobs(monkeypatch, UpdatePosted.key, update.pk)
    run_jobs(queued)  # every chunk job a second time
    jobs.fan_out(UpdatePosted.key, update.pk)  # and the whole fan-out
    assert recipients_of(mail.outbox) == expected
    assert SentMessage.objects.count() == len(expected)


@pytest.mark.django_db
def test_a_fan_out_that_crashed_halfway_sends_the_rest_exactly_once_when_run_again(
    campaign, monkeypatch
):
    update, emails = followed_update(campaign, 60)
    queued, _queries = planned_jobs(monkeypatch, UpdatePosted.key, update.pk)
    original = EmailBackend.send_messages
    sends = {"n": 0}

    def dies_at_the_thirtieth(self, messages):
        sends["n"] += 1
        if sends["n"] == 30:
            raise smtplib.SMTPServerDisconnected("mail server gone")
        return original(self, messages)

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", dies_at_the_thirtieth)
        jobs.send_chunk.run(*queued[0])
        with pytest.raises(smtplib.SMTPServerDisconnected):  # dies in the second chunk
            jobs.send_chunk.run(*queued[1])
    # the third chunk never ran

    assert len(mail.outbox) == 29
    assert SentMessage.objects.filter(sent_at__isnull=False).count() == 29
    assert SentMessage.objects.filter(sent_at__isnull=True).count() == 0  # claims released

    assert jobs.fan_out(UpdatePosted.key, update.pk, batch_size=CHUNK) == 3  # from the start
    assert recipients_of(mail.outbox) == emails
    jobs.fan_out(UpdatePosted.key, update.pk, batch_size=CHUNK)
    assert len(mail.outbox) == 60


@pytest.mark.django_db
def test_chunks_still_queued_when_the_update_is_hidden_send_nothing(campaign, monkeypatch):
    update, _emails = followed_update(campaign, 30)
    queued, _queries = planned_jobs(monkeypatch, UpdatePosted.key, update.pk)
    run_jobs(queued[:1])
    InitiativeUpdate.objects.filter(pk=update.pk).update(hidden_at=timezone.now())

    run_jobs(queued[1:])

    assert len(mail.outbox) == CHUNK


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_the_same_chunks_at_once_mail_each_follower_once(
    requires_postgres, campaign, monkeypatch
):
    update, emails = followed_update(campaign, 80)
    queued, _queries = planned_jobs(monkeypatch, UpdatePosted.key, update.pk)
    mail.outbox.clear()  # what setting up the initiative mailed its initiator
    barrier = threading.Barrier(2)
    errors, come_back = [], []

    def worker(order):
        try:
            barrier.wait(timeout=30)
            for args in order:
                try:
                    jobs.send_chunk.run(*args)
                except Retry:  # the other worker held part of it
                    come_back.append(args)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(queued,)),
        threading.Thread(target=worker, args=(list(reversed(queued)),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    for args in come_back:  # the retries, once the other worker is done
        assert jobs.send_chunk.run(*args) == 0
    assert recipients_of(mail.outbox) == emails
    sent = SentMessage.objects.filter(message=UpdatePosted.key, sent_at__isnull=False)
    assert sent.count() == len(emails)


@pytest.mark.django_db
def test_a_chunk_whose_worker_was_killed_is_finished_after_the_lease(campaign, monkeypatch):
    update, emails = followed_update(campaign, 10)
    queued, _queries = planned_jobs(monkeypatch, UpdatePosted.key, update.pk)
    SentMessage.objects.bulk_create(  # the killed worker had claimed four, and sent two
        SentMessage(
            message=UpdatePosted.key,
            object_key=f"initiativeupdate:{update.pk}",
            recipient=email,
            claim="00000000-0000-0000-0000-000000000001",
            sent_at=timezone.now() if n < 2 else None,
        )
        for n, email in enumerate(emails[:4])
    )

    with pytest.raises(Retry):  # its job came back at once: sends the rest, waits for four
        jobs.send_chunk.run(*queued[0])
    assert recipients_of(mail.outbox) == emails[4:]

    SentMessage.objects.update(claimed_at=timezone.now() - CLAIM_LEASE - timedelta(minutes=1))
    assert jobs.send_chunk.run(*queued[0]) == 2
    assert recipients_of(mail.outbox) == emails[2:]
    assert jobs.send_chunk.run(*queued[0]) == 0
