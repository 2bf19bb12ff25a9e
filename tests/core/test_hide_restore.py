"""Hiding and restoring an update or an impact report: one path, with the campaign locked,
the page's caches dropped and an audit entry each way."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.users.models import UserProfile

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign
from campaigns.services.impact import NewPhoto, save_impact_report
from core import moderation, reports
from core.models import Report
from tests.factories import UserFactory, make_initiative, moderator

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
LOCKED_TABLE = re.compile(r'FROM "(\w+)".*FOR (NO KEY )?UPDATE', re.I | re.S)


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}


def png():
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "orange").save(out, "PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def impact(tree):
    initiator = UserFactory()
    campaign = make_initiative(tree[2], initiator=initiator, title="Bruisplaats")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.REALISED)
    campaign.refresh_from_db()
    return save_impact_report(
        campaign=campaign,
        user=initiator,
        participants=140,
        story="Elke woensdag drinken de buren samen koffie op het plein.",
        new_photos=[NewPhoto(png(), "Buren aan de lange tafel")],
    )


# What each kind shows on the initiative page, so that the test can look for it.
SHOWN = {
    "update": lambda item: item.title,
    "impact": lambda item: item.story,
}


@pytest.fixture(params=sorted(SHOWN))
def published(request):
    """An update or an impact report on a live initiative page: (key, item)."""
    return request.param, request.getfixturevalue(request.param)


def item_url(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/abuse-reports/{content_type.pk}/{obj.pk}/"


def shown_to(client, user, page_url):
    """The page as ``user`` sees it (None: anonymous, from the page cache)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(page_url)


def test_both_kinds_hide_and_come_back_with_the_caches_dropped_and_audited(
    client, cached, published, django_capture_on_commit_callbacks
):
    key, item = published
    text = SHOWN[key](item)
    page_url = item.campaign.page.url
    member, staff = UserFactory(), moderator()
    assert text in shown_to(client, None, page_url).content.decode()
    assert shown_to(client, None, page_url)["X-Page-Cache"] == "hit"
    assert text in shown_to(client, member, page_url).content.decode()  # the fragment
    moderation.file_report(key=key, object_id=item.pk, reason="spam")

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(item), {"decision": "hide"})

    item.refresh_from_db()
    assert item.hidden_at is not None
    hidden = AuditEntry.objects.get(action=Action.CONTENT_HIDDEN)
    assert (hidden.actor, hidden.object_id) == (staff, str(item.pk))
    anonymous = shown_to(client, None, page_url)
    assert (anonymous["X-Page-Cache"], text in anonymous.content.decode()) == ("miss", False)
    assert text not in shown_to(client, member, page_url).content.decode()
    assert shown_to(client, None, page_url)["X-Page-Cache"] == "hit"
    client.force_login(staff)
    queue = client.get("/admin/abuse-reports/")
    assert [entry["item"] for entry in queue.context["hidden_entries"]] == [item]
    assert item_url(item) in queue.content.decode()
    assert 'value="restore"' in client.get(item_url(item)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item_url(item), {"decision": "restore"}, follow=True)

    assert "weer" in response.content.decode() or "again" in response.content.decode()
    item.refresh_from_db()
    assert item.hidden_at is None
    restored = AuditEntry.objects.get(action=Action.CONTENT_RESTORED)
    assert (restored.actor, restored.object_type, restored.object_id) == (
        staff,
        hidden.object_type,
        str(item.pk),
    )
    assert restored.data["report_ids"] == [Report.objects.get().pk]
    assert Report.objects.get().status == Report.Status.HIDDEN  # the decision then stands
    anonymous = shown_to(client, None, page_url)
    assert (anonymous["X-Page-Cache"], text in anonymous.content.decode()) == ("miss", True)
    assert text in shown_to(client, member, page_url).content.decode()
    client.force_login(staff)
    assert client.get("/admin/abuse-reports/").context["hidden_entries"] == []


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "niet verborgen"), ("en", "is not hidden")],
)
def test_restoring_an_item_that_is_not_hidden_is_refused_with_a_message(
    client, published, language, message
):
    _key, item = published
    staff = moderator()
    UserProfile.objects.update_or_create(user=staff, defaults={"preferred_language": language})
    client.force_login(staff)

    response = client.post(item_url(item), {"decision": "restore"}, follow=True)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.CONTENT_RESTORED).exists()


def test_restoring_without_an_item_is_refused(update):
    content_type = ContentType.objects.get_for_model(update)
    with pytest.raises(moderation.NotReportable):
        moderation.restore_hidden(content_type=content_type, object_id=0, actor=moderator())


def locks_and_first_write(function):
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        function()
    statements = [query["sql"] for query in captured.captured_queries]
    first_write = next(i for i, sql in enumerate(statements) if WRITE.match(sql))
    locks = [
        (index, match.group(1))
        for index, sql in enumerate(statements)
        if (match := LOCKED_TABLE.search(sql))
    ]
    return [table for index, table in locks if index < first_write], len(locks)


EXPECTED_LOCKS = {
    "update": ["campaigns_campaign", "campaigns_initiativeupdate"],
    "impact": ["campaigns_campaign", "campaigns_impactreport"],
    "offer": ["tasks_offer"],
    "organisation": ["accounts_organisation"],
}
FIXTURES = {"update": "update", "impact": "impact", "offer": "standing_offer"}


@pytest.mark.parametrize("key", sorted(EXPECTED_LOCKS))
@pytest.mark.parametrize("change", ["hide", "restore"])
def test_every_kind_locks_in_the_documented_order_before_it_writes(
    request, requires_postgres, key, change
):
    item = request.getfixturevalue(FIXTURES.get(key, key))
    kind = reports.reportable(key)
    if change == "restore":
        kind.hide(item, actor=None)

    locked_first, all_locks = locks_and_first_write(lambda: getattr(kind, change)(item, actor=None))

    assert locked_first == EXPECTED_LOCKS[key]
    assert all_locks == len(EXPECTED_LOCKS[key])
    assert (type(item).objects.get(pk=item.pk).hidden_at is None) == (change == "restore")
