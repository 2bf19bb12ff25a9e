"""Impact after realisation: the initiators' form and service, with their refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from wagtail.images import get_image_model

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, ImpactPhoto, ImpactReport
from campaigns.models.impact import MAX_PHOTOS
from campaigns.services import ServiceError, TransitionNotAllowed
from campaigns.services.impact import NewPhoto, save_impact_report
from tests.factories import UserFactory, make_initiative, moderator, site_tree
from tests.test_uploads import huge_png

pytestmark = pytest.mark.django_db


def png(colour="green"):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def realised():
    _home, _city, neighbourhood = site_tree()
    initiator = UserFactory()
    campaign = make_initiative(
        neighbourhood, initiator=initiator, status=Campaign.Status.REALISED, title="Bruisplaats"
    )
    return campaign, initiator


def url(campaign, language="nl"):
    prefix = "" if language == "nl" else f"/{language}"
    return f"{prefix}/initiatives/{campaign.page_id}/impact/"


def post(client, campaign, language="nl", **data):
    fields = {"participants": "140", "story": "De opening was een feest."}
    fields.update(data)
    return client.post(url(campaign, language), fields)


def saved(campaign, initiator, photos=0, participants=20):
    return save_impact_report(
        campaign=campaign,
        user=initiator,
        participants=participants,
        story="Het is gelukt.",
        new_photos=[NewPhoto(png(), f"Foto {n}") for n in range(photos)],
    )


def test_an_initiator_reports_participants_story_and_photos(client, realised):
    campaign, initiator = realised
    client.force_login(initiator)
    assert client.get(url(campaign)).status_code == 200
    response = post(
        client,
        campaign,
        photo_0=png(),
        photo_0_alt="Buren aan de lange tafel",
        photo_1=png("blue"),
        photo_1_alt="De nieuwe keuken",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#impact")
    report = ImpactReport.objects.get(campaign=campaign)
    assert (report.participants, report.story, report.author) == (
        140,
        "De opening was een feest.",
        initiator,
    )
    alts = [photo.alt_text for photo in report.photos.all()]
    assert alts == ["Buren aan de lange tafel", "De nieuwe keuken"]
    assert get_image_model().objects.count() == 2
    entry = AuditEntry.objects.get(action=Action.IMPACT_REPORTED)
    assert entry.data["participants"] == 140 and entry.data["photos_added"] == 2


def test_editing_changes_alt_texts_and_removes_photos_with_their_images(client, realised):
    campaign, initiator = realised
    report = saved(campaign, initiator, photos=2)
    first, second = report.photos.all()
    client.force_login(initiator)
    response = post(
        client,
        campaign,
        participants="75",
        **{f"alt_{first.pk}": "Een betere beschrijving", f"alt_{second.pk}": "Weg"},
        **{f"remove_{second.pk}": "on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.participants == 75
    assert [p.alt_text for p in report.photos.all()] == ["Een betere beschrijving"]
    assert not get_image_model().objects.filter(pk=second.image_id).exists()
    assert AuditEntry.objects.filter(action=Action.IMPACT_REPORTED).count() == 2


@pytest.mark.parametrize(
    ("value", "language", "message"),
    [
        ("-5", "nl", "Vul het aantal deelnemers in, van 1 tot 100000."),
        ("0", "en", "Enter the number of participants, from 1 to 100000."),
        ("100001", "en", "Enter the number of participants, from 1 to 100000."),
        ("veel", "nl", "Vul het aantal deelnemers in, van 1 tot 100000."),
    ],
)
def test_participants_outside_the_range_are_refused(client, realised, value, language, message):
    campaign, initiator = realised
    client.force_login(initiator)
    response = post(client, campaign, language, participants=value)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImpactReport.objects.exists()


def test_the_service_refuses_a_negative_count_too(realised):
    campaign, initiator = realised
    with pytest.raises(ServiceError):
        saved(campaign, initiator, participants=-1)
    assert not ImpactReport.objects.exists()


def test_a_seventh_photo_is_refused_with_a_message(client, realised):
    campaign, initiator = realised
    saved(campaign, initiator, photos=MAX_PHOTOS)
    client.force_login(initiator)
    alts = {f"alt_{p.pk}": p.alt_text for p in ImpactPhoto.objects.all()}
    response = post(client, campaign, "en", photo_0=png(), photo_0_alt="Nog een", **alts)
    assert response.status_code == 400
    assert "holds at most 6 photos" in response.content.decode()
    assert ImpactPhoto.objects.count() == MAX_PHOTOS


def test_the_service_counts_photos_under_the_lock(realised):
    campaign, initiator = realised
    saved(campaign, initiator, photos=5)
    with translation.override("nl"), pytest.raises(ServiceError, match="hoogstens 6 foto"):
        save_impact_report(
            campaign=campaign,
            user=initiator,
            participants=3,
            story="Meer",
            new_photos=[NewPhoto(png(), "a"), NewPhoto(png(), "b")],
        )
    assert ImpactPhoto.objects.count() == 5
    assert get_image_model().objects.count() == 5


def test_removing_a_photo_makes_room_for_another_in_the_same_form(client, realised):
    campaign, initiator = realised
    report = saved(campaign, initiator, photos=MAX_PHOTOS)
    first = report.photos.first()
    client.force_login(initiator)
    alts = {f"alt_{p.pk}": p.alt_text for p in report.photos.all()}
    response = post(
        client, campaign, photo_0=png(), photo_0_alt="Nieuw", **alts, **{f"remove_{first.pk}": "1"}
    )
    assert response.status_code == 302
    assert ImpactPhoto.objects.count() == MAX_PHOTOS
    assert ImpactPhoto.objects.filter(alt_text="Nieuw").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not a picture", "image/png"), "not an image we can read"),
        (SimpleUploadedFile("big.png", huge_png(), "image/png"), "more than 50 megapixels"),
    ],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_bad_upload_is_refused_and_the_good_photo_is_asked_again(
    client, realised, upload, message
):
    campaign, initiator = realised
    client.force_login(initiator)
    response = post(
        client,
        campaign,
        "en",
        photo_0=png(),
        photo_0_alt="Goede foto",
        photo_1=upload,
        photo_1_alt="Slechte foto",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "this photo was not saved. Choose it again." in body
    assert 'value="Goede foto"' in body  # the descriptions typed are kept
    assert "De opening was een feest." in body
    assert not ImpactReport.objects.exists()
    assert not get_image_model().objects.exists()


def test_every_photo_needs_alt_text(client, realised):
    campaign, initiator = realised
    client.force_login(initiator)
    response = post(client, campaign, photo_0=png(), photo_0_alt="  ")
    assert response.status_code == 400
    assert "Beschrijf deze foto voor mensen die hem niet kunnen zien." in response.content.decode()
    with pytest.raises(ServiceError):
        save_impact_report(
            campaign=campaign,
            user=initiator,
            participants=3,
            story="x",
            new_photos=[NewPhoto(png(), " ")],
        )


def test_others_get_403_on_a_live_page_and_404_on_a_draft(client, realised):
    campaign, _initiator = realised
    client.force_login(UserFactory())
    assert post(client, campaign).status_code == 403
    client.force_login(moderator())
    assert client.get(url(campaign)).status_code == 403
    draft = make_initiative(
        campaign.page.get_parent(), status=Campaign.Status.DRAFT, title="Nog niet klaar"
    )
    assert client.get(url(draft)).status_code == 404
    assert not ImpactReport.objects.exists()
    with pytest.raises(ServiceError, match="initiatiefnemers"):
        saved(campaign, UserFactory())


def test_anonymous_visitors_are_sent_to_log_in(client, realised):
    campaign, _initiator = realised
    response = client.get(url(campaign))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("status", [Campaign.Status.SUCCEEDED, Campaign.Status.LIVE])
def test_before_realisation_it_is_refused_with_a_message(client, status):
    _home, _city, neighbourhood = site_tree()
    initiator = UserFactory()
    campaign = make_initiative(neighbourhood, initiator=initiator, status=status)
    client.force_login(initiator)
    shown = client.get(url(campaign, "en"))
    assert shown.status_code == 200
    assert "once the initiative is realised" in shown.content.decode()
    assert "<form" not in shown.content.decode().split("<main", 1)[-1].split("</main>")[0]
    response = post(client, campaign)
    assert response.status_code == 400
    assert "zodra het initiatief gerealiseerd is" in response.content.decode()
    assert not ImpactReport.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        saved(campaign, initiator)


def test_the_my_initiatives_page_links_to_the_form_once_realised(client, realised):
    campaign, initiator = realised
    client.force_login(initiator)
    body = client.get("/initiatives/mine/").content.decode()
    assert url(campaign) in body
