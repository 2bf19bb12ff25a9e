"""Celery jobs that deliver e-mail. They take ids, and retry with backoff on SMTP errors;
the sent-once log makes every retry safe."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from accounts.models import SentMessage
from accounts.notifications.base import Recipient, deliver
from accounts.notifications.messages import (
    REGISTRY,
    InitiatorDigest,
    TaskCancelled,
    TaskReminder,
)

RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError)
FAN_OUT_BATCH = 200


def _message(key, object_id, version=None):
    cls = REGISTRY[key]
    obj = cls.load(object_id)
    return cls(obj, version=version) if version is not None else cls(obj)


@shared_task(
    bind=True,
    autoretry_for=RETRY_ON,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
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


@shared_task
def fan_out(key, object_id, batch_size=FAN_OUT_BATCH):
    """Split a message to a large audience into batch jobs of ``batch_size`` recipients.

    If the broker goes away halfway, the whole fan-out is kept to run again
    (``accounts.notify.retry_failed``); the sent-once log skips whoever already has it.
    """
    from accounts.notifications.handlers import fan_out_again
    from accounts.notify import keep_for_retry

    message = _message(key, object_id)
    recipients = [(r.email, r.language, r.name) for r in message.recipients()]
    try:
        for start in range(0, len(recipients), batch_size):
            send_message.delay(key, object_id, recipients=recipients[start : start + batch_size])
    except Exception as error:
        keep_for_retry(
            "fan_out.interrupted", fan_out_again, {"key": key, "object_id": object_id}, error
        )
        raise
    return len(recipients)


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def send_task_cancelled(self, task_id, title, page_title, recipients):
    message = TaskCancelled(
        {"task_id": task_id, "title": title, "page_title": page_title},
        [
            Recipient(email=email, language=language, name=name)
            for email, language, name in recipients
        ],
    )
    return deliver(message)


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, max_retries=8)
def send_digests(self):
    """Send each campaign's initiators one digest of what is new, at most once an hour."""
    from campaigns.models import Campaign, DigestItem

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
        items = list(DigestItem.objects.filter(campaign=campaign, sent_at__isnull=True))
        if not items:
            continue
        deliver(InitiatorDigest(campaign, items, hour=now.strftime("%Y%m%d%H")))
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
        sent += 1
    return sent


@shared_task
def send_task_reminders():
    """Remind helpers of tasks that start in about 24 hours."""
    from tasks.models import SignUp

    now = timezone.now()
    signups = SignUp.objects.filter(
        status=SignUp.Status.SIGNED_UP,
        task__starts_at__gt=now + timedelta(hours=23),
        task__starts_at__lte=now + timedelta(hours=25),
    ).select_related("task__initiative", "user")
    sent = 0
    for signup in signups:
        sent += deliver(TaskReminder(signup))
    return sent


@shared_task
def retry_notifications():
    """Queue again the notifications whose jobs could not be queued (broker down)."""
    from accounts.notify import retry_failed

    return retry_failed()
