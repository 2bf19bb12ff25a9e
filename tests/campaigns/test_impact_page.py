"""Impact after realisation on the initiative page, in the meter, and under moderation."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.personal_data import collect_personal_data
from campaigns.models import Campaign, ImpactReport
from campaigns.services import TransitionNotAllowed
from campaigns.services.impact import NewPhoto, save_impact_report
from core.models import Report
from core.moderation import file_report, hide_reported
from tasks.capital.meter import measure
from tests.factories import UserFactory, make_initiative, moderator, pay, site_tree

pytestmark = pytest.mark.django_db


def png():
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "orange").save(out, "PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def cached(settings):
    settings.WIJKKAPITAAL = {**settings.WIJKKAPITAAL, "PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def realised():
    _home, _city, neighbourhood = site_tree()
    initiator = UserFactory()
    campaign = make_initiative(neighbourhood, initiator=initiator, title="Bruisplaats")
    pay(campaign, 50_00)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.REALISED)
    campaign.refresh_from_db()
    return campaign, initiator, neighbourhood


def report(campaign, initiator, participants=140):
    return save_impact_report(
        campaign=campaign,
        user=initiator,
        participants=participants,
        story="Buren schilderden samen.\n\nNu is er elke woensdag koffie.",
        new_photos=[NewPhoto(png(), "Buren aan de lange tafel")],
    )


def hide(item):
    file_report(key="impact", object_id=item.pk, reason="spam")
    hide_reported(
        content_type=ContentType.objects.get_for_model(ImpactReport),
        object_id=item.pk,
        actor=moderator(),
    )


def test_the_page_shows_what_happened_at_once_even_from_the_page_cache(
    client, cached, realised, django_capture_on_commit_callbacks
):
    campaign, initiator, _neighbourhood = realised
    assert client.get(campaign.page.url)["X-Page-Cache"] == "miss"
    assert client.get(campaign.page.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        item = report(campaign, initiator)
    response = client.get(campaign.page.url)
    body = response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    assert '<section aria-labelledby="impact-heading" id="impact"' in body
    assert '<h2 id="impact-heading">Wat er gebeurde</h2>' in body
    assert "<strong>140</strong> deelnemers" in body
    assert "<p>Nu is er elke woensdag koffie.</p>" in body
    photo = item.photos.get()
    rendition = photo.image.get_rendition("fill-600x400")
    assert f'src="{rendition.url}"' in body
    assert 'alt="Buren aan de lange tafel"' in body
    assert reverse("reports:new", args=["impact", item.pk]) in body


def test_logged_in_visitors_see_the_change_through_the_fragment_version(client, realised):
    campaign, initiator, _neighbourhood = realised
    client.force_login(UserFactory())
    assert "impact-heading" not in client.get(campaign.page.url).content.decode()
    report(campaign, initiator, participants=33)
    assert "<strong>33</strong> deelnemers" in client.get(campaign.page.url).content.decode()


def test_participants_are_their_own_part_of_the_meter(realised):
    campaign, initiator, neighbourhood = realised
    before = measure(neighbourhood, rate_cents=15_00)
    report(campaign, initiator, participants=140)
    other = make_initiative(neighbourhood, title="Tweede")
    Campaign.objects.filter(pk=other.pk).update(status=Campaign.Status.REALISED)
    report(other, other.initiators.get(), participants=10)
    after = measure(neighbourhood, rate_cents=15_00)
    assert after.participants == 150
    assert after.mobilised_cents == before.mobilised_cents
    assert measure(campaign.page, rate_cents=15_00).participants == 140
    assert measure(neighbourhood.get_parent(), rate_cents=15_00).participants == 150
    assert measure(None, rate_cents=15_00).participants == 150


def test_the_neighbourhood_page_shows_the_participants(client, realised):
    campaign, initiator, neighbourhood = realised
    report(campaign, initiator, participants=140)
    body = client.get(neighbourhood.url).content.decode()
    assert "<dt>Deelnemers</dt><dd>140</dd>" in body


def test_a_hidden_report_leaves_the_page_and_the_meter_and_cannot_be_changed(
    client, cached, realised, django_capture_on_commit_callbacks
):
    campaign, initiator, neighbourhood = realised
    item = report(campaign, initiator)
    assert "impact-heading" in client.get(campaign.page.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        hide(item)
    assert "impact-heading" not in client.get(campaign.page.url).content.decode()
    assert measure(neighbourhood).participants == 0
    with pytest.raises(TransitionNotAllowed):
        report(campaign, initiator, participants=5)
    client.force_login(initiator)
    response = client.post(
        f"/en/initiatives/{campaign.page_id}/impact/", {"participants": "5", "story": "Opnieuw"}
    )
    assert response.status_code == 400
    assert "A moderator took this impact report down" in response.content.decode()
    item.refresh_from_db()
    assert item.participants == 140


def test_the_report_form_takes_an_impact_report(client, realised):
    campaign, initiator, _neighbourhood = realised
    item = report(campaign, initiator)
    response = client.get(reverse("reports:new", args=["impact", item.pk]))
    assert response.status_code == 200
    hide(item)
    assert client.get(reverse("reports:new", args=["impact", item.pk])).status_code == 410
    assert Report.objects.get().status == Report.Status.HIDDEN


def test_the_initiators_data_export_holds_the_story(realised):
    campaign, initiator, _neighbourhood = realised
    report(campaign, initiator)
    parts = {part["key"]: part["data"] for part in collect_personal_data(initiator)["parts"]}
    written = parts["campaigns"]["impact_reports_written"]
    assert written[0]["participants"] == 140
    assert written[0]["initiative"] == "Bruisplaats"


def test_the_open_data_dictionary_explains_participants(client, realised):
    body = client.get("/en/open-data/").content.decode()
    assert "<code>participants</code>" in body
    assert "Not included in any amount." in body
