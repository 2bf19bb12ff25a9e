"""The public "report abuse" form on updates, standing offers and organisation profiles."""

import pytest
from django.test import Client
from django.utils import timezone

from campaigns.models import InitiativeUpdate
from campaigns.state import fire
from core.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(kind, pk, language=""):
    return f"{'/' + language if language else ''}/report/{kind}/{pk}/"


def test_an_anonymous_visitor_reports_an_update_through_the_csrf_protected_form(update):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(url("update", update.pk))
    assert form.status_code == 200
    assert update.title in form.content.decode()
    token = form.cookies["csrftoken"].value

    refused = browser.post(url("update", update.pk), {"reason": "spam"})
    assert refused.status_code == 403
    assert not Report.objects.exists()

    response = browser.post(
        url("update", update.pk),
        {"reason": "spam", "text": "Reclame", "email": "", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#updates")
    report = Report.objects.get()
    assert (report.target, report.reason, report.text, report.reporter, report.email) == (
        update,
        "spam",
        "Reclame",
        None,
        "",
    )
    assert report.status == Report.Status.OPEN


def test_an_anonymous_reporter_may_leave_an_email_address(client, standing_offer):
    response = client.post(
        url("offer", standing_offer.pk), {"reason": "fraud", "email": "buur@example.nl"}
    )
    assert response.status_code == 302
    assert Report.objects.get().email == "buur@example.nl"


def test_a_signed_in_visitor_reports_an_organisation_once(client, organisation):
    user = UserFactory()
    client.force_login(user)
    form = client.get(url("organisation", organisation.pk, "en"))
    assert 'name="email"' not in form.content.decode()

    for _attempt in range(2):
        response = client.post(url("organisation", organisation.pk, "en"), {"reason": "abuse"})
        assert response.status_code == 302
        assert response["Location"] == f"/en/organisations/{organisation.slug}/"

    report = Report.objects.get()
    assert (report.reporter, report.target) == (user, organisation)


def test_every_public_item_links_to_its_report_form(client, update, standing_offer, tree):
    organisation = standing_offer.organisation
    assert url("update", update.pk) in client.get(update.campaign.page.url).content.decode()
    neighbourhood = client.get(tree[2].url).content.decode()
    assert url("offer", standing_offer.pk) in neighbourhood
    profile = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert url("organisation", organisation.pk) in profile
    assert url("offer", standing_offer.pk) in profile


@pytest.mark.parametrize(
    ("language", "message"),
    [("", "Kies wat er mis is"), ("en", "Choose what is wrong")],
)
def test_a_missing_reason_is_refused_and_the_text_is_kept(client, update, language, message):
    response = client.post(url("update", update.pk, language), {"text": "Mijn uitleg"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Mijn uitleg" in html
    assert not Report.objects.exists()


def test_an_unknown_reason_is_refused(client, update):
    response = client.post(url("update", update.pk, "en"), {"reason": "boring"})
    assert response.status_code == 400
    assert "Choose one of the reasons" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"), [("", "de limiet is 1000"), ("en", "the limit is 1000")]
)
def test_a_too_long_text_is_refused_and_kept(client, update, language, message):
    text = "x" * 1001
    response = client.post(url("update", update.pk, language), {"reason": "other", "text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert text in html
    assert not Report.objects.exists()

    at_limit = client.post(url("update", update.pk), {"reason": "other", "text": "y" * 1000})
    assert at_limit.status_code == 302
    assert len(Report.objects.get().text) == 1000


@pytest.mark.parametrize(
    ("language", "message"),
    [("", "We kunnen niet vinden wat je wilt melden"), ("en", "We cannot find what you want")],
)
def test_an_unknown_object_or_kind_answers_404(client, update, language, message):
    for path in (url("update", update.pk + 1000, language), url("pledge", 1, language)):
        response = client.post(path, {"reason": "spam"})
        assert response.status_code == 404
        assert message in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("", "al van de site gehaald"), ("en", "already been taken off the site")],
)
def test_a_hidden_object_answers_410(client, update, language, message):
    InitiativeUpdate.objects.filter(pk=update.pk).update(hidden_at=timezone.now())
    response = client.post(url("update", update.pk, language), {"reason": "spam"})
    assert response.status_code == 410
    assert message in response.content.decode()
    assert client.get(url("update", update.pk, language)).status_code == 410
    assert not Report.objects.exists()


def test_a_withdrawn_standing_offer_cannot_be_reported(client, standing_offer):
    fire(standing_offer, "withdraw", action="offer_withdrawn")
    assert client.post(url("offer", standing_offer.pk), {"reason": "spam"}).status_code == 404


def test_many_reports_from_one_address_are_slowed_down(client, update):
    for _attempt in range(10):
        assert client.post(url("update", update.pk), {"reason": "spam"}).status_code == 302
    response = client.post(url("update", update.pk, "en"), {"reason": "spam", "text": "weer"})
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert Report.objects.count() == 10
