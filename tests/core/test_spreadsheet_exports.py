"""A staff CSV too long for one request is made by a job, kept private, and expires.

The staff pledge list is the listing: below ``stream_max_rows`` its CSV streams, above it
the request is sent to "Your exports" and ``core.jobs.build_spreadsheet_export`` builds
the file through the listing's own view. Celery runs in-process here, as in the embedded
default; the outbox delivers the "ready" mail after commit.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.storage import storages
from django.test import Client
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from campaigns.admin_views import PledgeIndexView, PledgeViewSet
from core import stored_exports
from core.jobs import build_spreadsheet_export, sweep_spreadsheet_exports
from core.models import SpreadsheetExport
from tests.factories import PledgeFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db

PLEDGES = "/admin/pledges/"


@pytest.fixture
def campaigns():
    neighbourhood = site_tree()[2]
    first = make_initiative(neighbourhood, title="Geveltuinen")
    second = make_initiative(neighbourhood, title="Speeltuin Noord")
    for number in range(4):
        PledgeFactory(
            campaign=first, public_name=f"Buur {number}", message="=HYPERLINK(1)\nen verder"
        )
    for number in range(2):
        PledgeFactory(campaign=second, public_name=f"Noorder {number}")
    return first, second


@pytest.fixture
def staff(client):
    user = moderator(email="staf@example.nl")
    client.force_login(user)
    return client, user


@pytest.fixture
def short_stream(monkeypatch):
    """Lists of more than three rows are made in the background."""
    monkeypatch.setattr(PledgeIndexView, "stream_max_rows", 3)


def _rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def _ask(client, capture, **filters):
    with capture(execute=True):
        return client.get(PLEDGES, {"export": "csv", **filters})


def test_a_long_list_is_made_in_the_background_with_the_same_rows_as_the_stream(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks, monkeypatch
):
    client, user = staff
    response = _ask(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == "/admin/exports/"
    export = SpreadsheetExport.objects.get()
    assert export.requested_by == user
    assert export.status == SpreadsheetExport.Status.READY
    assert export.rows == 6
    assert export.expires_at - export.finished_at == SpreadsheetExport.LIFETIME

    page = client.get("/admin/exports/")
    html = page.content.decode()
    assert "meer dan 3 rijen" in html
    assert f"/admin/exports/{export.token}/" in html

    download = client.get(f"/admin/exports/{export.token}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="pledges.csv"'
    assert {"private", "no-store"} <= set(download["Cache-Control"].split(", "))
    stored = _rows(b"".join(download.streaming_content))

    monkeypatch.setattr(PledgeIndexView, "stream_max_rows", 1000)
    streamed = _rows(b"".join(client.get(PLEDGES, {"export": "csv"}).streaming_content))
    assert stored == streamed
    assert len(stored) == 7
    message = PledgeViewSet.list_export.index("message")
    assert {row[message] for row in stored[1:]} == {"'=HYPERLINK(1)\nen verder", ""}


def test_the_file_keeps_the_lists_filters(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, _user = staff
    first, second = campaigns
    _ask(client, django_capture_on_commit_callbacks, campaign=first.pk)

    export = SpreadsheetExport.objects.get()
    assert export.query == f"campaign={first.pk}"
    assert export.rows == 4
    rows = _rows(b"".join(client.get(f"/admin/exports/{export.token}/").streaming_content))
    names = {row[PledgeViewSet.list_export.index("public_name")] for row in rows[1:]}
    assert names == {"Buur 0", "Buur 1", "Buur 2", "Buur 3"}

    _ask(client, django_capture_on_commit_callbacks, campaign=second.pk)  # two rows: streams
    assert SpreadsheetExport.objects.count() == 1


def test_the_ready_mail_goes_to_the_staff_member_in_their_language(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, user = staff
    user.preferred_language = "nl"
    user.save(update_fields=["preferred_language"])
    mail.outbox.clear()

    _ask(client, django_capture_on_commit_callbacks)

    sent = [message for message in mail.outbox if message.to == ["staf@example.nl"]]
    assert len(sent) == 1
    assert sent[0].subject == "Je export van Toezeggingen staat klaar"
    assert "6 rijen" in sent[0].body
    assert "/admin/exports/" in sent[0].body


def test_asking_twice_while_it_is_made_gives_the_same_export(staff, campaigns, short_stream):
    client, _user = staff
    first = client.get(PLEDGES, {"export": "csv", "status": "paid"}, follow=True)
    second = client.get(PLEDGES, {"export": "csv", "status": "paid"}, follow=True)

    assert SpreadsheetExport.objects.count() == 1
    export = SpreadsheetExport.objects.get()
    assert export.status == SpreadsheetExport.Status.QUEUED  # no commit, no job yet
    assert "op de achtergrond gemaakt" in first.content.decode()
    assert "wordt al gemaakt" in second.content.decode()
    assert "wordt gemaakt" in second.content.decode()
    assert f"/admin/exports/{export.token}/" not in second.content.decode()
    assert client.get(f"/admin/exports/{export.token}/").status_code == 404


def test_only_the_owner_downloads_it(
    staff, campaigns, short_stream, client, django_capture_on_commit_callbacks
):
    owner_client, _user = staff
    _ask(owner_client, django_capture_on_commit_callbacks)
    export = SpreadsheetExport.objects.get()
    url = f"/admin/exports/{export.token}/"

    other = Client()
    other.force_login(moderator(email="collega@example.nl"))
    assert other.get(url).status_code == 404
    assert export.token not in other.get("/admin/exports/").content.decode()
    assert other.get("/admin/exports/not-a-token/").status_code == 404

    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_someone_who_lost_the_list_gets_a_failed_export_not_a_file(staff, campaigns, short_stream):
    client, user = staff
    client.get(PLEDGES, {"export": "csv"})
    export = SpreadsheetExport.objects.get()
    # The moderators lose the pledge list before the job runs.
    Group.objects.get(name="Moderators").permissions.remove(
        *Permission.objects.filter(codename__in=["view_pledge", "change_pledge"])
    )

    assert build_spreadsheet_export.delay(export.pk).get() is False

    export.refresh_from_db()
    assert export.status == SpreadsheetExport.Status.FAILED
    assert export.file.name == ""
    assert export.failure == SpreadsheetExport.Failure.NOT_ALLOWED


def test_a_build_that_fails_ends_failed_and_says_so(staff, campaigns, short_stream, monkeypatch):
    client, _user = staff
    client.get(PLEDGES, {"export": "csv"})
    export = SpreadsheetExport.objects.get()

    def broken_save(name, content, max_length=None):
        raise OSError("the bucket is gone")

    monkeypatch.setattr(storages["private"], "save", broken_save)
    assert build_spreadsheet_export.delay(export.pk).get() is False

    export.refresh_from_db()
    assert export.status == SpreadsheetExport.Status.FAILED
    assert export.failure == SpreadsheetExport.Failure.BUILD_FAILED
    html = client.get("/admin/exports/").content.decode()
    assert "kon niet worden gemaakt" in html


def test_a_second_build_changes_nothing(staff, campaigns, short_stream):
    client, _user = staff
    client.get(PLEDGES, {"export": "csv"})
    export = SpreadsheetExport.objects.get()
    assert stored_exports.build_export(export.pk) is True
    export.refresh_from_db()
    name = export.file.name

    assert stored_exports.build_export(export.pk) is False
    export.refresh_from_db()
    assert export.file.name == name
    assert storages["private"].exists(name)


def test_the_sweep_queues_forgotten_builds_and_expires_old_files(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, user = staff
    now = timezone.now()
    client.get(PLEDGES, {"export": "csv"})
    stale = SpreadsheetExport.objects.get()
    forgotten = SpreadsheetExport.objects.create(
        requested_by=user, token="vergeten", title="Pledges", listing_path=PLEDGES,
        filename="pledges", requested_at=now - timedelta(days=2),
    )  # fmt: skip
    SpreadsheetExport.objects.filter(pk=stale.pk).update(requested_at=now - timedelta(hours=2))

    result = sweep_spreadsheet_exports.delay().get()

    assert result == {"queued": 1, "given_up": 1, "expired": 0}
    stale.refresh_from_db()
    forgotten.refresh_from_db()
    assert stale.status == SpreadsheetExport.Status.READY
    assert forgotten.status == SpreadsheetExport.Status.FAILED
    assert forgotten.failure == SpreadsheetExport.Failure.NEVER_BUILT

    name = stale.file.name
    SpreadsheetExport.objects.filter(pk=stale.pk).update(expires_at=now - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_spreadsheet_exports.delay().get()["expired"] == 1
    stale.refresh_from_db()
    assert stale.status == SpreadsheetExport.Status.EXPIRED
    assert not storages["private"].exists(name)
    assert client.get(f"/admin/exports/{stale.token}/").status_code == 404
    assert "verlopen" in client.get("/admin/exports/").content.decode()


def test_a_short_list_still_streams_at_once(staff, campaigns):
    client, _user = staff
    response = client.get(PLEDGES, {"export": "csv"})
    assert response.status_code == 200
    assert len(_rows(b"".join(response.streaming_content))) == 7
    assert not SpreadsheetExport.objects.exists()


def test_deleting_the_staff_members_account_deletes_their_files(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, user = staff
    _ask(client, django_capture_on_commit_callbacks)
    name = SpreadsheetExport.objects.get().file.name
    assert storages["private"].exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert not SpreadsheetExport.objects.exists()
    assert not storages["private"].exists(name)


def test_the_file_is_in_the_language_the_staff_member_asked_in(staff, campaigns, short_stream):
    client, user = staff
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    client.get(PLEDGES, {"export": "csv"})  # no commit: the job runs below, as a worker would
    export = SpreadsheetExport.objects.get()
    assert export.language == "en"

    with translation.override("nl"):
        assert stored_exports.build_export(export.pk) is True

    export.refresh_from_db()
    heading = _rows(export.file.open("rb").read())[0]
    assert heading[PledgeViewSet.list_export.index("campaign_id")] == "Campaign number"
    assert heading[PledgeViewSet.list_export.index("campaign_status")] == "Campaign status"


def test_a_build_another_started_lately_is_left_alone_and_a_dead_one_is_taken_over(
    staff, campaigns, short_stream
):
    client, _user = staff
    client.get(PLEDGES, {"export": "csv"})
    export = SpreadsheetExport.objects.get()
    assert stored_exports.claim(export.pk)  # a worker started it

    assert stored_exports.build_export(export.pk) is False
    export.refresh_from_db()
    assert export.status == SpreadsheetExport.Status.QUEUED

    started = timezone.now() - stored_exports.REQUEUE_AFTER - timedelta(minutes=1)
    SpreadsheetExport.objects.filter(pk=export.pk).update(started_at=started)
    assert stored_exports.stale_export_ids() == [export.pk]
    assert stored_exports.build_export(export.pk) is True


def test_a_failure_after_the_file_is_stored_deletes_it_and_lets_the_retry_build(
    staff, campaigns, short_stream, monkeypatch
):
    client, _user = staff
    client.get(PLEDGES, {"export": "csv"})
    export = SpreadsheetExport.objects.get()
    saved = []
    storage = storages["private"]
    real_save = storage.save

    def save(name, content, max_length=None):
        saved.append(real_save(name, content, max_length=max_length))
        return saved[-1]

    def broken_finish(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(storage, "save", save)
    monkeypatch.setattr(stored_exports, "_finish", broken_finish)
    with pytest.raises(RuntimeError):
        stored_exports.build_export(export.pk)

    assert len(saved) == 1 and not storage.exists(saved[0])
    export.refresh_from_db()
    assert (export.status, export.started_at) == (SpreadsheetExport.Status.QUEUED, None)
    monkeypatch.undo()
    assert stored_exports.build_export(export.pk) is True


def test_who_lost_the_list_after_it_was_made_cannot_download_it(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, _user = staff
    _ask(client, django_capture_on_commit_callbacks)
    export = SpreadsheetExport.objects.get()
    Group.objects.get(name="Moderators").permissions.remove(
        *Permission.objects.filter(codename__in=["view_pledge", "change_pledge"])
    )
    response = client.get(f"/admin/exports/{export.token}/")
    assert response.status_code in (302, 403)
    assert not getattr(response, "streaming", False)


def test_filters_too_long_to_keep_are_refused_with_a_message(staff, campaigns, short_stream):
    client, _user = staff
    response = client.get(PLEDGES, {"export": "csv", "note": "tuin " * 500}, follow=True)
    assert not SpreadsheetExport.objects.exists()
    assert "te lang" in response.content.decode()


def test_the_menu_shows_your_exports_once_you_have_one(
    staff, campaigns, short_stream, django_capture_on_commit_callbacks
):
    client, _user = staff
    assert "/admin/exports/" not in client.get("/admin/").content.decode()
    _ask(client, django_capture_on_commit_callbacks)
    assert "/admin/exports/" in client.get("/admin/").content.decode()
