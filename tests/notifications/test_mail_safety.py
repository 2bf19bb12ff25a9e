"""Mail headers stay single-line, a mail that cannot be built never stops a batch, and
unsubscribe links carry no address and survive a key rotation."""

import datetime

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from notifications.base import UNSUBSCRIBE_SALT, Recipient, deliver, unsubscribe_token
from notifications.jobs import send_digests, send_task_reminders
from notifications.messages import UpdatePosted
from notifications.models import NotificationPreference, SentMessage
from tasks import services as task_services
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Repair Café", goal_cents=100_00)


def _tomorrow_task(campaign, title):
    return TaskFactory(
        initiative=campaign.page,
        title=title,
        starts_at=timezone.now() + datetime.timedelta(hours=24),
    )


def test_a_title_with_line_breaks_gives_a_single_line_subject(campaign):
    task = _tomorrow_task(campaign, "Morgen")
    type(task).objects.filter(pk=task.pk).update(title="Morgen\r\nBcc: everyone@example.nl")
    helper = UserFactory(preferred_language="en")
    task_services.sign_up(task=task, user=helper)
    mail.outbox.clear()

    assert send_task_reminders() == 1

    (reminder,) = mail.outbox
    assert "\n" not in reminder.subject and "\r" not in reminder.subject
    assert "Morgen Bcc: everyone@example.nl" in reminder.subject
    assert "Bcc" not in reminder.message()


def test_a_reminder_that_cannot_be_built_is_recorded_failed_and_the_batch_goes_on(campaign):
    task = _tomorrow_task(campaign, "Morgen")
    broken, fine = UserFactory(), UserFactory()
    task_services.sign_up(task=task, user=broken)
    task_services.sign_up(task=task, user=fine)
    User.objects.filter(pk=broken.pk).update(email="kapot@example.nl\nBcc: x@example.nl")
    mail.outbox.clear()

    assert send_task_reminders() == 1
    assert send_task_reminders() == 0  # the failed one is not tried again

    assert [m.to for m in mail.outbox] == [[fine.email]]
    failed = SentMessage.objects.get(recipient__startswith="kapot@")
    assert failed.sent_at is None and failed.failed_at is not None
    assert "BadHeaderError" in failed.error
    assert SentMessage.objects.get(recipient=fine.email).sent_at is not None


def test_a_digest_that_cannot_be_built_does_not_stop_the_others(
    campaign, django_capture_on_commit_callbacks
):
    other = make_initiative(site_tree()[2], title="Buurtmoestuin", goal_cents=100_00)
    for initiative in (campaign, other):
        task = TaskFactory(initiative=initiative.page, title="Helpen")
        with django_capture_on_commit_callbacks(execute=True):
            task_services.sign_up(task=task, user=UserFactory())
    broken = campaign.initiators.get()
    User.objects.filter(pk=broken.pk).update(email="kapot@example.nl\r\nX: y")
    mail.outbox.clear()

    send_digests()

    assert [m.to for m in mail.outbox] == [[other.initiators.get().email]]
    assert SentMessage.objects.filter(failed_at__isnull=False).count() == 1


def test_unsubscribe_links_carry_no_address(campaign):
    email = "buur@example.nl"
    token = unsubscribe_token(email, "updates")

    assert "buur" not in signing.b64_decode(token.split(":")[0].encode()).decode()
    preference = NotificationPreference.objects.get(email=email)
    assert signing.loads(token, salt=UNSUBSCRIBE_SALT) == [preference.pk, "updates"]

    update = campaign.updates.create(title="Nieuws", body="Tekst")
    deliver(UpdatePosted(update), [Recipient(email=email, language="en")])
    (sent,) = mail.outbox
    assert email not in sent.extra_headers["List-Unsubscribe"]
    assert "buur" not in sent.extra_headers["List-Unsubscribe"]


def test_a_link_signed_before_a_key_rotation_still_unsubscribes():
    with override_settings(SECRET_KEY="the-old-secret-key-" + "o" * 40):
        token = unsubscribe_token("buur@example.nl", "reminders")

    rotated = override_settings(
        SECRET_KEY="the-new-secret-key-" + "n" * 40,
        SECRET_KEY_FALLBACKS=["the-old-secret-key-" + "o" * 40],
    )
    with rotated:
        assert Client().post(f"/en/e-mail/unsubscribe/{token}/").status_code == 200
    assert NotificationPreference.objects.get(email="buur@example.nl").reminders is False

    with override_settings(SECRET_KEY="the-new-secret-key-" + "n" * 40):
        assert Client().post(f"/en/e-mail/unsubscribe/{token}/").status_code == 400


def test_links_sent_with_the_address_inside_keep_working():
    legacy = signing.dumps({"e": "oud@example.nl", "c": "digests"}, salt=UNSUBSCRIBE_SALT)

    assert Client().post(f"/en/e-mail/unsubscribe/{legacy}/").status_code == 200
    assert NotificationPreference.objects.get(email="oud@example.nl").digests is False


def test_a_token_for_a_row_that_is_gone_is_refused():
    token = unsubscribe_token("weg@example.nl", "updates")
    NotificationPreference.objects.all().delete()

    response = Client().post(f"/en/e-mail/unsubscribe/{token}/")
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()
