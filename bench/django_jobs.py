"""Benchmark work that needs Django, run in its own process by ``services.run_django_job``.

(Not called ``django_tasks``: run.py puts bench/ first on sys.path, and that name would
hide the ``django_tasks`` package Wagtail uses.)

``python -m bench.django_jobs TASK ARGS_JSON RESULT_JSON``: sets up Django with the
environment it was given (the bench settings, and e.g. a PostgreSQL ``DATABASE_URL`` or a
``REDIS_URL``), calls ``TASK(**args)`` and writes its JSON-able result. Each task uses the
platform's own services, so the data looks like what real users produce.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def webhook_events(slug, count, amount_cents):
    """Pending pledges on one campaign and an unsigned, paid checkout event for each."""
    from bench import pledge_data
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(page__slug=slug)
    started = time.perf_counter()
    events = pledge_data.pending_pledges(campaign, count, amount_cents, "accept")
    return {
        "events": events,
        "raised_before": campaign.raised_cents,
        "seconds": time.perf_counter() - started,
    }


def webhook_summary(stripe_ids):
    """How many of these events were stored, and their outcomes."""
    from collections import Counter

    from campaigns.models import WebhookEvent

    stored = WebhookEvent.objects.filter(stripe_id__in=stripe_ids)
    outcomes = Counter(stored.values_list("outcome", flat=True))
    return {
        "stored": stored.count(),
        "processed": stored.filter(processed_at__isnull=False).count(),
        "outcomes": {key or "pending": value for key, value in outcomes.items()},
    }


def verify_campaign(slug, pledge_ids, stripe_ids, raised_before):
    """The campaign's cached total against the ledger and against the pledges paid here."""
    from collections import Counter

    from django.db.models import Sum

    from campaigns.models import Campaign, Pledge, WebhookEvent
    from campaigns.services.totals import ledger_totals
    from notifications.models import SentMessage

    campaign = Campaign.objects.get(page__slug=slug)
    ours = Pledge.objects.filter(pk__in=pledge_ids)
    paid = ours.filter(status__in=Pledge.COUNTED_STATUSES)
    ledger_raised, ledger_supporters = ledger_totals(campaign)
    return {
        "raised_cents": campaign.raised_cents,
        "supporter_count": campaign.supporter_count,
        "ledger_raised_cents": ledger_raised,
        "ledger_supporters": ledger_supporters,
        "raised_before": raised_before,
        "paid_pledges": paid.count(),
        "paid_sum_cents": paid.aggregate(total=Sum("amount_cents"))["total"] or 0,
        "statuses": dict(Counter(ours.values_list("status", flat=True))),
        "outcomes": dict(
            Counter(
                WebhookEvent.objects.filter(stripe_id__in=stripe_ids).values_list(
                    "outcome", flat=True
                )
            )
        ),
        "receipts": SentMessage.objects.filter(message="pledge_paid").count(),
    }


def _plain_sends(template, recipients, batch_size):
    """The baseline: the same number of locmem sends of one pre-rendered e-mail."""
    from django.core import mail
    from django.core.mail import EmailMultiAlternatives, get_connection

    html, mimetype = template.alternatives[0]
    mail.outbox = []
    started = time.perf_counter()
    for start in range(0, len(recipients), batch_size):
        connection = get_connection()
        connection.open()
        for recipient in recipients[start : start + batch_size]:
            email = EmailMultiAlternatives(
                subject=template.subject,
                body=template.body,
                to=[recipient.email],
                connection=connection,
                headers=dict(template.extra_headers),
            )
            email.attach_alternative(html, mimetype)
            connection.send_messages([email])
        connection.close()
    seconds = time.perf_counter() - started
    sent = len(mail.outbox)
    mail.outbox = []
    return seconds, sent


def notification_fanout(slug, total, batch_size, profile_path=""):
    """Post an update to a campaign with ``total`` supporters; time the whole hand-off.

    Guest donors who opted in to updates are added (paid pledges, a quarter of them in
    English) until the campaign
    has exactly ``total`` recipients for updates. ``post_update`` then runs as in
    production: its ``UpdatePosted`` announcement runs ``notifications.jobs.fan_out``, which
    splits each part of the audience into ``send_chunk`` jobs of ``batch_size`` rows (run
    eagerly here, as without REDIS_URL), each rendering and sending through the sent-once
    log.
    """
    from django.conf import settings
    from django.core import mail
    from django.utils import timezone

    from campaigns.models import Campaign, Pledge
    from campaigns.services.totals import recount_totals
    from campaigns.services.updates import post_update
    from notifications.jobs import FAN_OUT_BATCH
    from notifications.messages import UpdatePosted, supporter_recipients
    from notifications.models import NotificationPreference, SentMessage

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        raise RuntimeError("notification_fanout expects eager Celery (REDIS_URL unset)")
    if "locmem" not in settings.EMAIL_BACKEND:
        raise RuntimeError(f"expected the locmem e-mail backend, got {settings.EMAIL_BACKEND}")
    if batch_size != FAN_OUT_BATCH:
        raise RuntimeError(f"fan_out batches are {FAN_OUT_BATCH}, not {batch_size}")

    campaign = Campaign.objects.select_related("page").get(page__slug=slug)

    def wanted():
        recipients = supporter_recipients(campaign, with_followers=True, updates=True)
        opted_out = set(
            NotificationPreference.objects.filter(
                email__in=[r.email for r in recipients], updates=False
            ).values_list("email", flat=True)
        )
        return [r for r in recipients if r.email not in opted_out]

    existing = len(wanted())
    missing = total - existing
    if missing < 0:
        raise RuntimeError(f"{slug} already has {existing} recipients, more than {total}")
    now = timezone.now()
    Pledge.objects.bulk_create(
        [
            Pledge(
                campaign=campaign,
                amount_cents=10_00,
                currency=campaign.currency,
                guest_email=f"supporter{index:05d}@bench.example.nl",
                public_name=f"Buur {index}",
                language="en" if index % 4 == 0 else "nl",
                status=Pledge.Status.PAID,
                paid_at=now,
                wants_updates=True,  # guests hear of updates only when they opted in
            )
            for index in range(missing)
        ],
        batch_size=500,
    )
    campaign = recount_totals(campaign=campaign)
    recipients = wanted()
    if len(recipients) != total:
        raise RuntimeError(f"expected {total} recipients, found {len(recipients)}")
    author = campaign.initiators.first()

    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
    mail.outbox = []
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    update = post_update(
        campaign=campaign,
        author=author,
        title="De eerste reparaties zijn gedaan",
        body="Dank jullie wel!\n\nZaterdag zijn de eerste bankjes geschuurd en geverfd.\n\n"
        "Volgende week gaan we verder met de plantenbakken.",
    )
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_path)
    seconds = time.perf_counter() - started
    mails = len(mail.outbox)
    addresses = len({message.to[0] for message in mail.outbox})
    languages = sorted({message.extra_headers.get("Content-Language") for message in mail.outbox})
    template = mail.outbox[0] if mail.outbox else None
    mail.outbox = []
    sent_rows = SentMessage.objects.filter(
        message=UpdatePosted.key, object_key=f"initiativeupdate:{update.pk}"
    ).count()

    if template is None:
        raise RuntimeError("the update produced no e-mail at all")
    baseline_seconds, baseline_sent = _plain_sends(template, recipients, batch_size)
    return {
        "recipients": len(recipients),
        "added_supporters": missing,
        "existing_supporters": existing,
        "seconds": seconds,
        "mails": mails,
        "distinct_addresses": addresses,
        "languages": languages,
        "sent_rows": sent_rows,
        "baseline_seconds": baseline_seconds,
        "baseline_sent": baseline_sent,
    }


def match_reservation(count, amount_cents, rounds):
    from bench import match_jobs

    return match_jobs.match_reservation(count, amount_cents, rounds)


TASKS = {
    task.__name__: task
    for task in (
        match_reservation,
        webhook_events,
        webhook_summary,
        verify_campaign,
        notification_fanout,
    )
}


def main(argv):
    task, args_path, result_path = argv
    _setup()
    result = TASKS[task](**json.loads(Path(args_path).read_text()))
    Path(result_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
