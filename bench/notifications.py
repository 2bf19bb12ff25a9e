"""Notification benchmark: an initiative update e-mailed to 5,000 supporters.

``notification_fanout`` runs in its own Django process on the bench database with the
locmem e-mail backend and eager Celery (no REDIS_URL), so the whole hand-off happens in
one call that is timed: ``post_update`` fires ``UpdatePosted``, ``notifications.jobs.fan_out``
reads the ids of each part of the audience and queues ``send_chunk`` jobs of 200 rows, and
each job reads its rows, claims them in the sent-once log, renders every e-mail (text and HTML, in the recipient's
language, with a signed unsubscribe link) and sends it. The campaign gets guest donors
until exactly 5,000 addresses receive updates (a quarter of them in English).

The baseline is the same number of locmem sends of one pre-rendered e-mail (the first
one the fan-out produced), in batches of 200 on one connection each: the ratio shows what
rendering, the audience query and the sent-once log cost on top of handing mail over.
"""

from bench.pages import log
from bench.report import Measurement, Target
from bench.services import run_django_job

CAMPAIGN_SLUG = "geveltuinen-korte-akkeren"
RECIPIENTS = 5000
BATCH = 200  # notifications.jobs.FAN_OUT_BATCH
UNIT = "messages/s"


def run(bench_env, options):
    measurement = Measurement(
        name="notification_fanout",
        value=None,
        unit=UNIT,
        target=Target(">=", 500, on="value"),
    )
    try:
        result = run_django_job(
            bench_env,
            "notification_fanout",
            log_name="notifications",
            env={
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "REDIS_URL": "",
            },
            slug=CAMPAIGN_SLUG,
            total=RECIPIENTS,
            batch_size=BATCH,
        )
    except Exception as error:  # report it with the other results instead of losing them
        measurement.error = f"{type(error).__name__}: {error}"
        return [measurement]

    measurement.value = result["mails"] / result["seconds"]
    measurement.baseline = result["baseline_sent"] / result["baseline_seconds"]
    log(
        f"notifications: {result['mails']} mails to {result['distinct_addresses']} addresses "
        f"in {result['seconds']:.2f} s; {result['sent_rows']} sent-once rows; "
        f"languages {result['languages']}; baseline {result['baseline_sent']} plain sends "
        f"in {result['baseline_seconds']:.2f} s"
    )
    measurement.note = (
        f"post_update -> fan_out -> send_chunk x~{-(-RECIPIENTS // BATCH)} (eager, locmem): "
        f"{result['mails']} mails, {result['sent_rows']} SentMessage rows, "
        f"{result['existing_supporters']} demo supporters + {result['added_supporters']} "
        f"guest donors; baseline: {result['baseline_sent']} locmem sends of one "
        "pre-rendered e-mail"
    )
    problems = []
    if result["mails"] != RECIPIENTS or result["distinct_addresses"] != RECIPIENTS:
        problems.append(f"{result['mails']} mails to {result['distinct_addresses']} addresses")
    if result["sent_rows"] != RECIPIENTS:
        problems.append(f"{result['sent_rows']} SentMessage rows")
    if result["baseline_sent"] != RECIPIENTS:
        problems.append(f"{result['baseline_sent']} baseline sends")
    if problems:
        measurement.error = f"expected exactly {RECIPIENTS}: " + ", ".join(problems)
    return [measurement]
