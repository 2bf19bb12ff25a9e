"""Celery jobs that deliver e-mail. They take ids, and retry with backoff on SMTP errors;
the sent-once log makes every retry safe.

The beat jobs (digests, reminders) walk a batch; one item that fails is logged and left
for the next run, and never stops the others.
"""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from campaigns.models import Campaign, DigestItem, Payout, SpendingProof
from notifications import personal_data
from notifications.base import CLAIM_LEASE, REGISTRY, Recipient, deliver, held_elsewhere
from notifications.messages import InitiatorDigest, SpendingProofReminder, TaskReminder
from notifications.models import SentMessage
from tasks.models import SignUp

logger = logging.getLogger(__name__)
RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)
FAN_OUT_BATCH = 200
# A digest lists the newest items and counts the rest: a busy hour (a campaign going viral,
# thousands of donations) makes one readable mail, built without loading them all.
DIGEST_ITEMS_SHOWN = 50


def _message(key, object_id, version=None):
    cls = REGISTRY[key]
    obj = cls.load(object_id)
    return cls(obj, version=version) if version is not None else cls(obj)


SEND_OPTIONS = {
    "bind": True,
    "autoretry_for": RETRY_ON,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**SEND_OPTIONS)
def send_message(self, key, object_id, version=None, recipients=None):
    """Send one message to its recipients, or to the given batch of them."""
    message = _message(key, object_id, version)
    batch = None
    if recipients is not None:
        batch = [
            Recipient(email=email, language=language, name=name)
            for email, language, name in recipients
        ]
    return deliver(message, batch)


@shared_task(**SEND_OPTIONS)
def send_chunk(self, key, object_id, part, first_id, last_id):
    """Send a message to one chunk of its audience: the rows of ``part`` with ids from
    ``first_id`` to ``last_id``, read now (one query), through the sent-once log.

    Running it again, or after a crash halfway, sends only to whom it did not reach yet.
    When some of the chunk is claimed by another sender (a worker killed mid-chunk, whose
    job came back at once), it comes back itself once that claim's lease ran out.
    """
    message = _message(key, object_id)
    recipients = message.audience()[part].between(first_id, last_id)
    sent = deliver(message, recipients)
    waiting = not self.request.is_eager and message.is_current()  # eager: nobody to wait for
    if waiting and held_elsewhere(message, recipients):
        raise self.retry(countdown=CLAIM_LEASE.total_seconds() + 60)
    return sent


def fan_out(key, object_id, batch_size=None):
    """Queue a message to its whole audience as :func:`send_chunk` jobs of ``batch_size``
    rows (``FAN_OUT_BATCH``); returns the number of jobs.

    Reads only ids (one query per part of the audience); the jobs carry the part's name
    and an id range, never addresses. Runs inside the delivery of an announcement: if the
    broker goes away halfway, the error fails that delivery, which the outbox tries again
    later; the sent-once log skips whoever already has it.
    """
    message = _message(key, object_id)
    if not message.is_current():
        return 0
    size = batch_size or FAN_OUT_BATCH
    jobs = 0
    for part_name, part in message.audience().items():
        for first_id, last_id in list(part.id_ranges(size)):  # ids read before queueing
            send_chunk.delay(key, object_id, part_name, first_id, last_id)
            jobs += 1
    return jobs


@shared_task
def send_digests():
    """Send each campaign's initiators one digest of what is new, at most once an hour.

    Three queries and one UPDATE per campaign, however many items it gathered.
    """
    now = timezone.now()
    sent = 0
    campaign_ids = set(
        DigestItem.objects.filter(sent_at__isnull=True).values_list("campaign_id", flat=True)
    )
    for campaign in Campaign.objects.filter(pk__in=campaign_ids).select_related("page"):
        recently = SentMessage.objects.filter(
            message=InitiatorDigest.key,
            object_key__startswith=f"campaign:{campaign.pk}:",
            sent_at__gt=now - timedelta(hours=1),
        ).exists()
        if recently:
            continue
        new = DigestItem.objects.filter(campaign=campaign, sent_at__isnull=True)
        latest = new.order_by("-pk").values_list("pk", flat=True).first()
        if latest is None:
            continue
        new = new.filter(pk__lte=latest)  # items added while this runs wait for the next
        shown = list(reversed(new.order_by("-pk")[:DIGEST_ITEMS_SHOWN]))
        digest = InitiatorDigest(campaign, shown, hour=now.strftime("%Y%m%d%H"), total=new.count())
        try:
            deliver(digest)
        except Exception:
            logger.exception(
                "Digest for campaign %s not sent; the next run tries again", campaign.pk
            )
            continue
        new.update(sent_at=now)
        sent += 1
    return sent


@shared_task
def send_task_reminders():
    """Remind helpers of tasks that start in about 24 hours."""
    now = timezone.now()
    signups = SignUp.objects.filter(
        status=SignUp.Status.SIGNED_UP,
        task__starts_at__gt=now + timedelta(hours=23),
        task__starts_at__lte=now + timedelta(hours=25),
    ).select_related("task__initiative", "user")
    sent = 0
    for signup in signups:
        try:
            sent += deliver(TaskReminder(signup))
        except Exception:
            logger.exception(
                "Reminder for sign-up %s not sent; the next run tries again", signup.pk
            )
    return sent


@shared_task
def prune_sent_messages():
    """Retention: the sent-once log forgets what was sent more than two years ago (daily)."""
    return personal_data.prune_sent_messages()


@shared_task
def send_spending_proof_reminders():
    """Remind initiators once when no account of spending was sent after the payout.

    Runs daily; the sent-once log (message, payout, recipient) makes every later run a
    no-op for a payout already reminded.
    """
    cutoff = timezone.now() - timedelta(days=settings.SPENDING_PROOF_REMINDER_DAYS)
    sent_in = [SpendingProof.Status.SUBMITTED, SpendingProof.Status.APPROVED]
    payouts = (
        Payout.objects.filter(status=Payout.Status.PAID, paid_at__lte=cutoff)
        .exclude(campaign__spending_proof__status__in=sent_in)
        .select_related("campaign__page", "campaign__payout_account")
    )
    sent = 0
    for payout in payouts:
        try:
            sent += deliver(SpendingProofReminder(payout))
        except Exception:
            logger.exception(
                "Spending reminder for payout %s not sent; the next run tries again", payout.pk
            )
    return sent
