"""The front-end initiative form: a draft that only its initiators can see and edit."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from campaigns.models import Campaign, InitiativePage
from tasks.models import Task
from tests.factories import UserFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def resident(client):
    user = UserFactory()
    client.force_login(user)
    return user


def en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def png_upload(name="plek.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(place, **overrides):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "title": "Buurtkeuken De Pan",
        "summary": "Elke donderdag samen koken.",
        "story": "Koken verbindt.\n\nWie wil, kookt mee.",
        "neighbourhood": str(place.pk),
        "category": "food",
        "location": "Buurthuis",
        "goal": "1000",
        "deadline": deadline.isoformat(),
        "funding_model": "all_or_nothing",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "1",
        "budget-MAX_NUM_FORMS": "50",
        "budget-0-description": "Pannen",
        "budget-0-amount": "600",
        "budget-1-description": "Boodschappen",
        "budget-1-amount": "400,00",
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "50",
        "tasks-0-title": "Koks gezocht",
        "tasks-0-kind": "hands",
        "tasks-0-people_needed": "3",
        "tasks-0-estimated_hours": "4",
    }
    data.update(overrides)
    return data


def test_resident_starts_an_initiative_as_a_draft(client, resident, neighbourhood):
    data = form_data(neighbourhood, cover_image=png_upload())
    response = client.post(reverse("campaigns:create"), data)

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    page = campaign.page.get_latest_revision_as_object()
    assert campaign.status == Campaign.Status.DRAFT
    assert list(campaign.initiators.all()) == [resident]
    assert not campaign.page.live
    assert page.goal_cents == 1_000_00
    assert [line.amount_cents for line in page.budget_lines.all()] == [600_00, 400_00]
    assert page.cover_image is not None
    assert page.get_parent().pk == neighbourhood.pk
    assert [b.block_type for b in page.story] == ["paragraph", "paragraph"]
    task = Task.objects.get(initiative=campaign.page)
    assert (task.title, task.people_needed) == ("Koks gezocht", 3)


def test_draft_is_editable_by_its_initiator_and_keeps_its_tasks(client, resident, neighbourhood):
    client.post(reverse("campaigns:create"), form_data(neighbourhood))
    campaign = Campaign.objects.get()
    task = Task.objects.get()
    edit_url = reverse("campaigns:edit", args=[campaign.page_id])

    form = client.get(edit_url)
    assert form.status_code == 200
    assert "Buurtkeuken De Pan" in form.content.decode()

    data = form_data(
        neighbourhood,
        title="Buurtkeuken De Grote Pan",
        **{
            "tasks-INITIAL_FORMS": "1",
            "tasks-0-id": str(task.pk),
            "tasks-0-title": "Koks en afwassers gezocht",
        },
    )
    response = client.post(edit_url, data)

    assert response.status_code == 302
    page = InitiativePage.objects.get(pk=campaign.page_id).get_latest_revision_as_object()
    assert page.title == "Buurtkeuken De Grote Pan"
    assert Task.objects.get().title == "Koks en afwassers gezocht"


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"goal": "0", "budget-0-amount": "0", "budget-1-amount": "0"}, "goal", "zero"),
        ({"goal": "-50"}, "goal", "zero"),
        ({"goal": "250000,01"}, "goal", "at most"),
        ({"goal": "300000"}, "goal", "at most"),
        ({"goal": "12,345"}, "goal", "two decimals"),
        ({"goal": "veel"}, "goal", "amount in euros"),
        ({"deadline": "2020-01-01"}, "deadline", "past"),
        ({"deadline": "__tomorrow__"}, "deadline", "at least 2 days"),
        ({"deadline": "__in_100_days__"}, "deadline", "at most 90 days"),
        ({"budget-1-amount": "300"}, "goal", "add up to"),
        ({"title": ""}, "title", "required"),
        ({"neighbourhood": ""}, "neighbourhood", "required"),
        ({"story": ""}, "story", "required"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, resident, neighbourhood, overrides, field, fragment
):
    today = timezone.localdate()
    specials = {
        "__tomorrow__": (today + datetime.timedelta(days=1)).isoformat(),
        "__in_100_days__": (today + datetime.timedelta(days=100)).isoformat(),
    }
    overrides = {key: specials.get(value, value) for key, value in overrides.items()}
    data = form_data(neighbourhood, **overrides)

    response = client.post(en_url("campaigns:create"), data)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    errors += " ".join(response.context["budget_formset"].non_form_errors())
    assert fragment in errors.lower()
    html = response.content.decode()
    assert "Elke donderdag samen koken." in html
    assert "Koks gezocht" in html
    assert Campaign.objects.count() == 0


def test_bad_input_message_is_dutch_by_default(client, resident, neighbourhood):
    response = client.post(reverse("campaigns:create"), form_data(neighbourhood, goal="-5"))

    assert response.status_code == 400
    assert "meer dan nul" in " ".join(response.context["form"].errors["goal"])


def test_a_file_that_is_not_an_image_is_refused(client, resident, neighbourhood):
    fake = SimpleUploadedFile("plek.png", b"this is not a picture", content_type="image/png")
    response = client.post(en_url("campaigns:create"), form_data(neighbourhood, cover_image=fake))

    assert response.status_code == 400
    assert "not an image" in " ".join(response.context["form"].errors["cover_image"])
    assert Campaign.objects.count() == 0


def test_an_image_over_10_mb_is_refused(client, resident, neighbourhood, settings):
    big = SimpleUploadedFile("groot.png", b"\0" * (10 * 1024 * 1024 + 1), content_type="image/png")
    response = client.post(en_url("campaigns:create"), form_data(neighbourhood, cover_image=big))

    assert response.status_code == 400
    assert "larger than 10 MB" in " ".join(response.context["form"].errors["cover_image"])


def test_a_task_window_that_ends_before_it_starts_is_refused(client, resident, neighbourhood):
    start = timezone.localtime() + datetime.timedelta(days=5)
    data = form_data(
        neighbourhood,
        **{
            "tasks-0-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "tasks-0-ends_at": (start - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    response = client.post(en_url("campaigns:create"), data)

    assert response.status_code == 400
    assert "end after it starts" in str(response.context["task_formset"].errors)


def test_someone_elses_draft_is_not_found(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    client.force_login(UserFactory())

    for name in ("campaigns:edit", "campaigns:preview"):
        assert client.get(reverse(name, args=[campaign.page_id])).status_code == 404
    response = client.post(
        reverse("campaigns:edit", args=[campaign.page_id]), form_data(neighbourhood)
    )
    assert response.status_code == 404
    assert client.post(reverse("campaigns:submit", args=[campaign.page_id])).status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_someone_elses_live_initiative_is_forbidden(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.LIVE)
    client.force_login(UserFactory())

    response = client.post(
        reverse("campaigns:edit", args=[campaign.page_id]), form_data(neighbourhood)
    )

    assert response.status_code == 403
    assert InitiativePage.objects.get(pk=campaign.page_id).title == "Repair Café"


def test_guests_are_sent_to_log_in(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    for url in (reverse("campaigns:create"), reverse("campaigns:edit", args=[campaign.page_id])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_moderators_can_edit_any_draft(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    client.force_login(moderator())

    assert client.get(reverse("campaigns:edit", args=[campaign.page_id])).status_code == 200
    assert client.get(reverse("campaigns:preview", args=[campaign.page_id])).status_code == 200


def test_editing_a_live_initiative_goes_back_to_moderation_and_keeps_the_live_version(
    client, neighbourhood
):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.LIVE, goal_cents=1_000_00)
    client.force_login(campaign.initiators.get())

    response = client.post(
        reverse("campaigns:edit", args=[campaign.page_id]),
        form_data(neighbourhood, title="Repair Café XL"),
    )

    assert response.status_code == 302
    page = InitiativePage.objects.get(pk=campaign.page_id)
    assert page.title == "Repair Café"
    assert page.live and page.has_unpublished_changes
    assert page.workflow_in_progress
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE


def test_drafts_are_not_public(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    assert client.get(campaign.page.url or "/wijk/never/").status_code == 404


def cover_token(response):
    """The pending-upload token a redisplayed form carries for a kept cover image."""
    match = re.search(r'name="cover_token" value="([^"]+)"', response.content.decode())
    assert match, "the redisplayed form carries no cover token"
    return match.group(1)
