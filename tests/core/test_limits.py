"""Every free-text field has a limit (core.limits); going over it loses nothing."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.rich_text import RichText

from accounts.models import Organisation
from campaigns.models import Campaign, InitiativeUpdate
from campaigns.payments.forms import DonationForm
from cms.blocks import QuoteBlock, StoryBlock, ThemeBlock
from core import limits
from core.forms import LimitedTextField
from tasks.forms import TaskForm
from tasks.models import Task
from tests.campaigns.test_initiative_form import form_data
from tests.factories import UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

DUTCH, ENGLISH = "de limiet is", "the limit is"


class NoteForm(forms.Form):
    note = LimitedTextField(max_length=10)
    extra = LimitedTextField(max_length=10, required=False)


@pytest.mark.parametrize(
    ("note", "valid"),
    [("a" * 10, True), ("  " + "a" * 10 + "\n", True), ("a" * 11, False), ("a" * 1_000_000, False)],
)
def test_a_limited_field_takes_exactly_its_limit(note, valid):
    form = NoteForm({"note": note, "extra": ""})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["note"] == "a" * 10


@pytest.mark.parametrize(("language", "fragment"), [("nl", DUTCH), ("en", ENGLISH)])
def test_the_message_names_the_limit_and_the_length_in_both_languages(language, fragment):
    with translation.override(language):
        form = NoteForm({"note": "a" * 12})
        assert not form.is_valid()
        message = form.errors["note"][0]
    assert "12" in message
    assert f"{fragment} 10" in message


def test_only_whitespace_counts_as_empty():
    form = NoteForm({"note": " \n\t ", "extra": "   "})
    assert not form.is_valid()
    assert form.errors.as_data()["note"][0].code == "required"
    assert list(form.errors) == ["note"]
    filled = NoteForm({"note": "ok", "extra": "  \n "})
    assert filled.is_valid()
    assert filled.cleaned_data["extra"] == ""


@pytest.fixture
def live(client):
    campaign = make_initiative(site_tree()[2])
    client.force_login(campaign.initiators.first())
    return campaign


def test_an_update_at_the_limit_is_posted(client, live):
    body = "b" * limits.UPDATE_BODY
    response = client.post(
        reverse("campaigns:post_update", args=[live.page_id]), {"title": "Nieuws", "body": body}
    )
    assert response.status_code == 302
    assert InitiativeUpdate.objects.get().body == body


@pytest.mark.parametrize(("prefix", "fragment"), [("", DUTCH), ("/en", ENGLISH)])
def test_an_update_over_the_limit_is_refused_and_kept(client, live, prefix, fragment):
    body = "Ons verhaal " + "b" * limits.UPDATE_BODY
    response = client.post(
        f"{prefix}/initiatives/{live.page_id}/updates/new/", {"title": "Nieuws", "body": body}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert fragment in html
    assert body in html
    assert not InitiativeUpdate.objects.exists()


def test_an_update_of_only_whitespace_is_refused(client, live):
    response = client.post(
        f"/en/initiatives/{live.page_id}/updates/new/", {"title": "   ", "body": "\n \n"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "body"}
    assert not InitiativeUpdate.objects.exists()


def test_a_payload_beyond_the_upload_limit_is_a_bad_request(client, live, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(
        f"/en/initiatives/{live.page_id}/updates/new/",
        {"title": "Nieuws", "body": "b" * (2 * 1024 * 1024)},
    )
    assert response.status_code == 400
    assert not InitiativeUpdate.objects.exists()


def test_an_initiative_story_over_the_limit_is_refused_and_kept(client):
    neighbourhood = site_tree()[2]
    client.force_login(UserFactory())
    story = "Koken verbindt. " + "s" * limits.INITIATIVE_STORY
    response = client.post("/en/initiatives/new/", form_data(neighbourhood, story=story))
    assert response.status_code == 400
    assert ENGLISH in " ".join(response.context["form"].errors["story"])
    assert story in response.content.decode()
    assert not Campaign.objects.exists()

    at_limit = "s" * limits.INITIATIVE_STORY
    response = client.post("/en/initiatives/new/", form_data(neighbourhood, story=at_limit))
    assert response.status_code == 302


def test_a_task_description_has_a_limit_in_the_form_and_the_model():
    data = {"title": "Koks", "kind": "hands", "people_needed": "2"}
    form = TaskForm({**data, "description": "d" * (limits.TASK_DESCRIPTION + 1)})
    assert not form.is_valid()
    assert "2001" in form.errors["description"][0]
    assert TaskForm({**data, "description": "d" * limits.TASK_DESCRIPTION}).is_valid()
    with pytest.raises(ValidationError):
        Task._meta.get_field("description").clean("d" * (limits.TASK_DESCRIPTION + 1), None)


@pytest.mark.parametrize(("prefix", "fragment"), [("", DUTCH), ("/en", ENGLISH)])
def test_an_organisation_description_over_the_limit_is_refused_and_kept(client, prefix, fragment):
    client.force_login(UserFactory())
    data = {"kind": "business", "name": "Fietsenmaker", "kvk_number": "", "address": ""}
    description = "Wij maken fietsen. " + "f" * limits.ORGANISATION_DESCRIPTION
    response = client.post(
        f"{prefix}/organisations/new/", {**data, "neighbourhood": "", "description": description}
    )
    assert response.status_code == 400
    assert fragment in response.content.decode()
    assert description in response.content.decode()
    assert not Organisation.objects.exists()

    at_limit = "f" * limits.ORGANISATION_DESCRIPTION
    response = client.post(
        f"{prefix}/organisations/new/", {**data, "neighbourhood": "", "description": at_limit}
    )
    assert response.status_code == 302


def test_campaign_texts_written_by_moderators_have_limits():
    for name, limit in (("moderator_note", 2_000), ("cancel_reason", 1_000)):
        field = Campaign._meta.get_field(name)
        field.clean("n" * limit, None)
        with pytest.raises(ValidationError):
            field.clean("n" * (limit + 1), None)


@pytest.mark.parametrize(
    ("field", "limit"), [("public_name", limits.PUBLIC_NAME), ("message", limits.PLEDGE_MESSAGE)]
)
def test_a_pledge_name_and_message_have_limits(field, limit):
    data = {"amount": "10", "email": "buur@example.nl", "public_name": "Els", "message": ""}
    assert DonationForm({**data, field: "m" * limit}).is_valid()
    form = DonationForm({**data, field: "m" * (limit + 1)})
    assert not form.is_valid()
    assert field in form.errors


def test_story_blocks_have_limits():
    story = StoryBlock()
    story.child_blocks["heading"].clean("h" * limits.STORY_HEADING)
    with pytest.raises(ValidationError):
        story.child_blocks["heading"].clean("h" * (limits.STORY_HEADING + 1))
    with pytest.raises(ValidationError):
        story.child_blocks["paragraph"].clean(
            RichText("<p>" + "p" * (limits.STORY_PARAGRAPH + 1) + "</p>")
        )
    with pytest.raises(ValidationError):
        QuoteBlock().child_blocks["text"].clean("q" * (limits.STORY_QUOTE + 1))
    with pytest.raises(ValidationError):
        ThemeBlock().child_blocks["description"].clean("t" * (limits.THEME_DESCRIPTION + 1))
