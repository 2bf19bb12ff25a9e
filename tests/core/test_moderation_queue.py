"""Moderators work the queue of abuse reports: hide an item, or dismiss its reports."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from campaigns.audit import Action
from campaigns.models import AuditEntry, InitiativeUpdate
from core.models import Report
from tasks import services as task_services
from tasks.models import Offer, Task
from tests.factories import TaskFactory, UserFactory, make_initiative, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}


def report(client, kind, pk, reason="spam"):
    response = client.post(f"/report/{kind}/{pk}/", {"reason": reason})
    assert response.status_code == 302
    client.cookies.clear()  # the thank-you flash message


def item_url(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/abuse-reports/{content_type.pk}/{obj.pk}/"


def test_only_moderators_reach_the_queue(client, update):
    report(client, "update", update.pk)
    assert client.get("/admin/abuse-reports/").status_code == 302  # to the login page

    client.force_login(UserFactory())
    assert client.get("/admin/abuse-reports/").status_code == 302  # no admin access at all

    editor = UserFactory(two_factor=True)  # the admin opens, but not this screen
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for refused in (
        client.get("/admin/abuse-reports/"),
        client.get(item_url(update)),
        client.post(item_url(update), {"decision": "hide"}),
    ):
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's 403
    assert Report.objects.get().status == Report.Status.OPEN
    assert "/admin/abuse-reports/" not in client.get("/admin/").content.decode()

    client.force_login(moderator())
    assert client.get("/admin/abuse-reports/").status_code == 200
    assert "/admin/abuse-reports/" in client.get("/admin/").content.decode()


def test_reports_of_one_item_form_one_entry(client, update, standing_offer):
    for reason in ("spam", "spam", "fraud"):
        report(client, "update", update.pk, reason)
    report(client, "offer", standing_offer.pk)
    client.force_login(moderator())

    queue = client.get("/admin/abuse-reports/")

    entries = queue.context["entries"]
    assert [(entry["item"], entry["count"]) for entry in entries] == [
        (update, 3),
        (standing_offer, 1),
    ]
    html = queue.content.decode()
    assert html.count(item_url(update)) == 1
    assert "Spam or advertising (2)" in html or "Spam of reclame (2)" in html
    detail = client.get(item_url(update))
    assert detail.status_code == 200
    assert len(detail.context["reports"]) == 3


def test_a_hidden_update_leaves_the_cached_page_at_once(
    client, cached, update, django_capture_on_commit_callbacks
):
    page_url = update.campaign.page.url
    assert client.get(page_url)["X-Page-Cache"] == "miss"
    assert update.title in client.get(page_url).content.decode()
    member = UserFactory()
    client.force_login(member)
    assert update.title in client.get(page_url).content.decode()  # the cached fragment
    client.logout()
    report(client, "update", update.pk)
    report(client, "update", update.pk, "abuse")
    staff = moderator()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(item_url(update), {"decision": "hide"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/abuse-reports/"
    update.refresh_from_db()
    assert update.hidden_at is not None
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.HIDDEN}
    assert Report.objects.filter(decided_by=staff, decided_at__isnull=False).count() == 2
    entry = AuditEntry.objects.get(action=Action.CONTENT_HIDDEN)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        staff,
        "campaigns.initiativeupdate",
        str(update.pk),
    )
    assert sorted(entry.data["report_ids"]) == sorted(Report.objects.values_list("pk", flat=True))
    assert update.title not in client.get(page_url).content.decode()
    client.force_login(member)
    assert update.title not in client.get(page_url).content.decode()
    client.logout()
    anonymous = client.get(page_url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert update.title not in anonymous.content.decode()
    assert client.get(f"/report/update/{update.pk}/").status_code == 410
    assert client.get("/admin/abuse-reports/").status_code == 302
    client.force_login(staff)
    assert client.get("/admin/abuse-reports/").context["entries"] == []


def test_a_hidden_standing_offer_leaves_the_neighbourhood_and_cannot_be_requested(
    client, cached, tree, standing_offer, django_capture_on_commit_callbacks
):
    neighbourhood_url = tree[2].url
    assert standing_offer.description in client.get(neighbourhood_url).content.decode()
    assert client.get(neighbourhood_url)["X-Page-Cache"] == "hit"
    report(client, "offer", standing_offer.pk)
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(standing_offer), {"decision": "hide"})
    client.logout()

    assert standing_offer.description not in client.get(neighbourhood_url).content.decode()
    profile = client.get(f"/organisations/{standing_offer.organisation.slug}/")
    assert standing_offer.description not in profile.content.decode()
    task = TaskFactory(initiative=make_initiative(tree[2]).page, kind=Task.Kind.SPACE)
    assert list(task_services.matching_standing_offers(task)) == []
    with pytest.raises(task_services.OfferNotAllowed):
        task_services.request_standing_offer(
            task=task, standing_offer=standing_offer, user=UserFactory()
        )


def test_a_hidden_organisation_answers_404_and_its_offers_go(
    client, cached, tree, standing_offer, django_capture_on_commit_callbacks
):
    organisation = standing_offer.organisation
    register_url = f"{tree[2].url}wat-we-hebben/"
    for url in (tree[2].url, register_url):
        assert standing_offer.description in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
    report(client, "organisation", organisation.pk, "fraud")
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(organisation), {"decision": "hide"})
    client.logout()

    assert client.get(f"/organisations/{organisation.slug}/").status_code == 404
    for url in (tree[2].url, register_url):
        anonymous = client.get(url)
        assert anonymous["X-Page-Cache"] == "miss"
        assert standing_offer.description not in anonymous.content.decode()
    assert Offer.objects.filter(pk=standing_offer.pk).exists()
    assert AuditEntry.objects.filter(
        action=Action.CONTENT_HIDDEN, object_type="accounts.organisation"
    ).exists()


def test_dismissing_keeps_the_item_and_closes_its_reports(client, update):
    report(client, "update", update.pk)
    staff = moderator()
    client.force_login(staff)

    response = client.post(item_url(update), {"decision": "dismiss"})

    assert response.status_code == 302
    assert InitiativeUpdate.objects.get(pk=update.pk).hidden_at is None
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert AuditEntry.objects.get(action=Action.REPORTS_DISMISSED).actor == staff
    assert client.get("/admin/abuse-reports/").context["entries"] == []
    client.logout()
    assert update.title in client.get(update.campaign.page.url).content.decode()
    report(client, "update", update.pk)  # a new report starts a new entry
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 1


def test_a_second_decision_on_the_same_reports_changes_nothing(client, update):
    report(client, "update", update.pk)
    client.force_login(moderator())
    client.post(item_url(update), {"decision": "dismiss"})

    response = client.post(item_url(update), {"decision": "hide"}, follow=True)

    assert "another moderator may have just decided" in response.content.decode() or (
        "andere moderator net besloten" in response.content.decode()
    )
    assert InitiativeUpdate.objects.get(pk=update.pk).hidden_at is None
    assert not AuditEntry.objects.filter(action=Action.CONTENT_HIDDEN).exists()
    assert client.post(item_url(update), {"decision": "delete"}).status_code == 302
