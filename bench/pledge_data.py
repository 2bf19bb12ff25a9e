"""Bench data written in bulk, shared by the jobs in ``bench.django_jobs`` and ``bench.match_jobs``.

Imported only inside a job, after ``django.setup()``.
"""


def pending_pledges(campaign, count, amount_cents, email_prefix):
    """``count`` pending pledges, each with an open test checkout, and a paid event for each.

    The rows are what ``create_pledge`` and ``open_checkout`` leave behind (a pending pledge
    and an open payment attempt with its session id), written in bulk: creating them one by
    one costs about 8 ms each (mostly Wagtail's reference index on every save), which is
    not what these benchmarks measure. The events are the test checkout's own.
    """
    import secrets

    from django.conf import settings
    from django.db import transaction

    from campaigns.models import PaymentAttempt, Pledge
    from campaigns.payments.test_checkout import checkout_event
    from campaigns.services.pledges import MIN_DONATION_CENTS, max_donation_cents

    if not campaign.is_open_for_support:
        raise RuntimeError(f"campaign {campaign} is not open for support")
    if not MIN_DONATION_CENTS <= amount_cents <= max_donation_cents():
        raise RuntimeError(f"{amount_cents} cents cannot be donated")
    with transaction.atomic():
        pledges = Pledge.objects.bulk_create(
            [
                Pledge(
                    campaign=campaign,
                    amount_cents=amount_cents,
                    currency=campaign.currency,
                    guest_email=f"{email_prefix}{index:05d}@bench.example.nl",
                    public_name=f"Buur {index}",
                    language="en" if index % 4 == 0 else "nl",
                )
                for index in range(count)
            ],
            batch_size=500,
        )
        attempts = PaymentAttempt.objects.bulk_create(
            [
                PaymentAttempt(
                    pledge=pledge,
                    gateway=settings.PAYMENT_GATEWAY,
                    amount_cents=pledge.amount_cents,
                    currency=pledge.currency,
                    status=PaymentAttempt.Status.OPEN,
                    checkout_session_id=f"cs_test_local_{secrets.token_hex(12)}",
                    payment_intent_id=f"pi_test_local_{pledge.pk}",
                )
                for pledge in pledges
            ],
            batch_size=500,
        )
    analyze(Pledge, PaymentAttempt)
    return [checkout_event(attempt, "checkout.session.completed", "paid") for attempt in attempts]


def analyze(*models):
    """Refresh PostgreSQL's statistics after a bulk load, as its docs advise.

    Autovacuum would do it within a minute or so; a database in production has them. Without
    it, the planner still sees the tables as they were before thousands of rows arrived.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
