"""Every mail a resident gets looks like the platform's: no Wagtail admin mail, allauth in
the platform's layout and language, links to the address the site is served on, and a
changed task's calendar file."""

import datetime
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from accounts.models import User
from campaigns.models import Campaign, InitiativePage
from notifications.base import deliver, recipient_for_user
from notifications.messages import TaskChanged
from tests.factories import SignUpFactory, TaskFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _html(message):
    return next(body for body, kind in message.alternatives if kind == "text/html")


def _moderate(client, campaign, action, capture):
    page = InitiativePage.objects.get(pk=campaign.page_id)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    client.force_login(moderator())
    with capture(execute=True):
        response = client.post(url, {"comment": "Voeg een foto toe."})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("action", ["reject", "approve"])
def test_residents_get_no_wagtail_admin_mail_about_their_initiative(
    client, action, django_capture_on_commit_callbacks
):
    _, _, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    initiator = campaign.initiators.get()
    mail.outbox.clear()

    _moderate(client, campaign, action, django_capture_on_commit_callbacks)

    to_initiator = [m for m in mail.outbox if initiator.email in m.to]
    for message in to_initiator:
        assert "/admin/" not in message.body
        assert "Moderators approval" not in message.subject
        assert "List-Unsubscribe" in message.extra_headers, message.subject
    if action == "reject":
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.DRAFT
        assert len(to_initiator) == 1  # the platform's own "changes requested"


def test_a_moderator_who_submits_keeps_wagtails_notifications(django_capture_on_commit_callbacks):
    _, _, neighbourhood = site_tree()
    staff = moderator()
    make_initiative(neighbourhood, initiator=staff, status=Campaign.Status.IN_REVIEW)

    assert UserProfile.get_for_user(staff).rejected_notifications


def _sign_up(client, prefix="/en"):
    response = client.post(
        f"{prefix}/accounts/signup/",
        {
            "email": "nieuw@example.nl",
            "password1": "Zonnebloem-2026!",
            "password2": "Zonnebloem-2026!",
            "display_name": "Nieuwe Buur",
        },
        HTTP_HOST="127.0.0.1:8300",
    )
    assert response.status_code == 302
    return mail.outbox[-1]


def test_allauth_mail_uses_the_layout_name_and_language(client):
    message = _sign_up(client, prefix="")

    assert not message.subject.startswith("[")
    assert "127.0.0.1:8300]" not in message.subject
    assert message.extra_headers["Content-Language"] == "nl"
    assert "Wijkkapitaal" in message.body
    html = _html(message)
    assert '<html lang="nl">' in html
    assert "Wijkkapitaal</p>" in html
    assert "/accounts/confirm-email/" in html
    assert "Hello from" not in message.body
    assert "127.0.0.1:8300 " not in message.body  # the platform's name, not the host


def test_allauth_mail_in_english_under_en(client):
    message = _sign_up(client)

    assert message.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in _html(message)


def test_password_reset_mail_uses_the_layout(client):
    User.objects.create_user(email="buur@example.nl", password="x")
    client.post(
        "/en/accounts/password/reset/",
        {"email": "buur@example.nl"},
        HTTP_HOST="127.0.0.1:8300",
    )
    message = mail.outbox[-1]
    html = _html(message)
    assert "Wijkkapitaal</p>" in html
    assert "http://127.0.0.1:8300/en/accounts/password/reset/key/" in html


def test_a_mail_links_to_the_host_the_request_came_in_on(client):
    message = _sign_up(client)

    links = re.findall(r"https?://[^\s\"'<>]+", message.body + _html(message))
    assert links
    assert {urlsplit(link).netloc for link in links} == {"127.0.0.1:8300"}


def test_the_demo_serves_and_links_on_the_chosen_port():
    """``make demo PORT=8300``: the server and the notifications' BASE_URL share the port."""
    commands = subprocess.run(
        ["make", "-n", "demo", "PORT=8300"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = next(line for line in commands.splitlines() if "manage.py run_demo" in line)
    assert "127.0.0.1:8300" in serve
    assert "BASE_URL=http://127.0.0.1:8300" in serve


def test_a_changed_task_mail_carries_the_new_time_as_ics():
    _, _, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood)
    old = timezone.now() + datetime.timedelta(days=3)
    task = TaskFactory(initiative=campaign.page, starts_at=old)
    signup = SignUpFactory(task=task)
    new = datetime.datetime(2030, 5, 4, 10, 0, tzinfo=datetime.UTC)
    task.starts_at = new
    task.save()

    deliver(TaskChanged(task, version=7))

    message = next(m for m in mail.outbox if signup.user.email in m.to)
    name, ics, kind = message.attachments[0]
    assert name.endswith(".ics") and kind == "text/calendar"
    assert "DTSTART:20300504T100000Z" in ics
    assert f"UID:task-{task.pk}@wijkkapitaal" in ics
    assert re.search(r"SEQUENCE:[1-9]\d*", ics)
    assert recipient_for_user(signup.user).email in message.to
