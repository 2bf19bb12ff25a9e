"""Fixtures for the money side: the fake Stripe API, signed webhook posts, open pledges."""

import shutil

import pytest
import redis
from pytest_redis import factories

from tests.stripe_fake import FakeStripe, load_fixtures, new_id, signed_payload

WEBHOOK_URL = "/stripe/webhook/"

broker_redis_proc = factories.redis_proc(executable=shutil.which("redis-server"), port=None)


def pytest_configure(config):
    """Leave Wagtail's search index out of the snapshot that ``serialized_rollback`` restores.

    The transactional tests here (threads, a Celery worker) flush the database; Wagtail's
    migrations create the root page, the Moderators group and the moderation workflow, so
    those tests restore the migrated data with ``serialized_rollback``. The search app has a
    SQLite-only full-text table that the serializer cannot read on PostgreSQL.
    """
    from django.conf import settings

    if "wagtail.search" not in settings.TEST_NON_SERIALIZED_APPS:
        settings.TEST_NON_SERIALIZED_APPS = [*settings.TEST_NON_SERIALIZED_APPS, "wagtail.search"]


@pytest.fixture
def stripe_examples():
    """Stripe's example objects; skips the test when shared/stripe/fixtures3.json is absent."""
    return load_fixtures()


@pytest.fixture
def fake_stripe(settings, stripe_examples):
    """A running fake Stripe API that the real SDK talks to, and the settings to use it."""
    fake = FakeStripe().start()
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_SECRET_KEY = "sk_test_wijkkapitaal_fake"
    settings.PAYMENT_GATEWAY = "stripe"
    yield fake
    fake.stop()


@pytest.fixture
def post_event(client, settings, django_capture_on_commit_callbacks, stripe_examples):
    """``post_event(event)`` signs an event as Stripe does and POSTs it to the webhook.

    Celery runs eagerly, and the view enqueues processing on commit; the on-commit
    callbacks are executed as a real commit would (a no-op in transactional tests, where
    the commit itself runs them).
    """

    def post(event, *, secret=None, timestamp=None, using=None):
        payload, header = signed_payload(
            event, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
        )
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(
                WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
            )

    return post


@pytest.fixture
def open_pledge():
    """``open_pledge(campaign, ...)``: a pending pledge whose Checkout Session is open.

    The pledge goes through ``create_pledge``; its attempt gets a session and payment
    intent id as if Stripe had created the session.
    """
    from campaigns.models import PaymentAttempt
    from campaigns.services.pledges import create_pledge

    def make(campaign, amount_cents=25_00, *, donor=None, guest_email="", **kwargs):
        if donor is None and not guest_email:
            guest_email = f"{new_id('guest')}@example.nl"
        kwargs.setdefault("public_name", "Buur")
        pledge, attempt = create_pledge(
            campaign=campaign,
            amount_cents=amount_cents,
            donor=donor,
            guest_email=guest_email,
            **kwargs,
        )
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            status=PaymentAttempt.Status.OPEN,
            checkout_session_id=new_id("cs"),
            payment_intent_id=new_id("pi"),
        )
        attempt.refresh_from_db()
        return pledge, attempt

    return make


@pytest.fixture
def redis_broker(request, monkeypatch):
    """A real redis-server for the broker; skips when the machine has none."""
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server binary on this machine (apt-get install redis-server)")
    proc = request.getfixturevalue("broker_redis_proc")
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the worker's Django fixup runs checks
    server = redis.Redis(host=proc.host, port=proc.port)
    server.flushall()  # no queued job of an earlier test may run against this one's data
    yield f"redis://{proc.host}:{proc.port}/0"
    server.flushall()
    server.close()
