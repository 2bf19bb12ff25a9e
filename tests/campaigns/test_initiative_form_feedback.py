"""The initiative form keeps its promise: a kept cover image, plain messages, marked fields,
an error summary, lines added without saving, and a stretch goal."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from campaigns.cover_uploads import (
    PENDING_COLLECTION,
    delete_stale_pending_covers,
    pending_cover,
)
from campaigns.models import Campaign, InitiativePage
from tests.campaigns.test_initiative_form import cover_token as _token
from tests.campaigns.test_initiative_form import en_url, form_data, png_upload
from tests.factories import UserFactory, site_tree

pytestmark = pytest.mark.django_db

Image = get_image_model()


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def resident(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_cover_image_survives_a_validation_error(client, resident, neighbourhood):
    first = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, goal="veel", cover_image=png_upload())
    )

    assert first.status_code == 400
    html = first.content.decode()
    assert "Your picture is kept" in html
    pending = Image.objects.get()
    assert pending.collection.name == PENDING_COLLECTION
    assert pending.uploaded_by_user == resident
    assert f'src="{pending.get_rendition("max-320x200").url}"' in html

    second = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, cover_token=_token(first))
    )

    assert second.status_code == 302
    page = Campaign.objects.get().page.get_latest_revision_as_object()
    assert page.cover_image_id == pending.pk
    pending.refresh_from_db()
    assert pending.collection.name != PENDING_COLLECTION
    assert Image.objects.count() == 1


def test_a_new_file_replaces_the_kept_cover(client, resident, neighbourhood):
    first = client.post(
        reverse("campaigns:create"), form_data(neighbourhood, goal="", cover_image=png_upload())
    )
    kept = Image.objects.get()

    client.post(
        reverse("campaigns:create"),
        form_data(neighbourhood, cover_token=_token(first), cover_image=png_upload("nieuw.png")),
    )

    page = Campaign.objects.get().page.get_latest_revision_as_object()
    assert page.cover_image_id != kept.pk
    assert page.cover_image.file.name.split("/")[-1].startswith("nieuw")


def test_another_user_cannot_use_the_cover_token(client, resident, neighbourhood):
    first = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, goal="", cover_image=png_upload())
    )
    token = _token(first)
    stranger = UserFactory()
    client.force_login(stranger)

    response = client.post(en_url("campaigns:create"), form_data(neighbourhood, cover_token=token))

    assert response.status_code == 400
    assert "no longer available" in " ".join(response.context["form"].errors["cover_image"])
    assert Campaign.objects.count() == 0
    assert pending_cover(token, stranger) is None
    assert pending_cover(token, resident) == Image.objects.get()
    assert pending_cover(token[:-2] + "xx", resident) is None


def test_unused_pending_covers_are_deleted_after_a_day(client, resident, neighbourhood):
    client.post(
        reverse("campaigns:create"), form_data(neighbourhood, goal="", cover_image=png_upload())
    )

    assert delete_stale_pending_covers() == 0
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert delete_stale_pending_covers(now=later) == 1
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "english", "dutch"),
    [
        (
            {"goal": "99999999999", "budget-0-amount": "1", "budget-1-amount": "1"},
            "goal",
            "The funding goal can be at most €250,000.",
            "Het streefbedrag mag hoogstens €\u00a0250.000 zijn.",
        ),
        (
            {"goal": "1000000"},
            "goal",
            "The funding goal can be at most €250,000.",
            "Het streefbedrag mag hoogstens €\u00a0250.000 zijn.",
        ),
        (
            {"budget-0-amount": "99999999999"},
            "budget",
            "A budget line can be at most €250,000.",
            "Een begrotingspost mag hoogstens €\u00a0250.000 zijn.",
        ),
        (
            {"stretch_goal": "800"},
            "stretch_goal",
            "The stretch goal must be higher than the funding goal (€1,000).",
            "Het extra doel moet hoger zijn dan het streefbedrag (€\u00a01.000).",
        ),
        (
            {"deadline": "morgen"},
            "deadline",
            "Enter the date as day, month and year, for example 31-12-2026.",
            "Vul de datum in als dag, maand en jaar, bijvoorbeeld 31-12-2026.",
        ),
        (
            {"category": "hacken"},
            "category",
            "Choose one of the options in the list.",
            "Kies een van de mogelijkheden uit de lijst.",
        ),
    ],
)
def test_messages_are_plain_in_english_and_dutch(
    client, resident, neighbourhood, overrides, field, english, dutch
):
    for url, expected in ((en_url("campaigns:create"), english), ("/initiatives/new/", dutch)):
        response = client.post(url, form_data(neighbourhood, **overrides))

        assert response.status_code == 400
        if field == "budget":
            errors = response.context["budget_formset"].forms[0].errors["amount"]
        else:
            errors = response.context["form"].errors[field]
        assert expected in errors, (url, errors)


def test_an_empty_budget_says_what_to_do(client, resident, neighbourhood):
    empty = {
        "budget-TOTAL_FORMS": "1",
        "budget-0-description": "",
        "budget-0-amount": "",
    }
    for url, expected in (
        (en_url("campaigns:create"), "Add at least one budget line: say what the money is for."),
        ("/initiatives/new/", "Voeg minstens één begrotingspost toe: zeg waar het geld voor is."),
    ):
        response = client.post(url, form_data(neighbourhood, **empty))

        assert response.status_code == 400
        assert list(response.context["budget_formset"].non_form_errors()) == [expected]
        html = response.content.decode()
        assert "Verstuur" not in html and "Please submit" not in html


def test_every_invalid_field_is_marked_and_listed_in_the_summary(client, resident, neighbourhood):
    data = form_data(
        neighbourhood, title="", goal="veel", funding_model="", **{"budget-1-amount": "abc"}
    )

    response = client.post(en_url("campaigns:create"), data)

    html = response.content.decode()
    assert response.status_code == 400
    for control_id in ("id_title", "id_goal", "id_budget-1-amount"):
        tag = re.search(rf"<[^>]*id=\"{control_id}\"[^>]*>", html).group(0)
        assert 'aria-invalid="true"' in tag, tag
        assert f"{control_id}_error" in tag, tag
        assert f'id="{control_id}_error"' in html
    radios = re.findall(r'<input[^>]*name="funding_model"[^>]*>', html)
    assert radios and all('aria-invalid="true"' in radio for radio in radios)
    assert re.search(r'<fieldset aria-describedby="[^"]*id_funding_model_error"', html)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary and 'tabindex="-1"' in summary.group(0) and "autofocus" in summary.group(0)
    for target in ("#id_title", "#id_goal", "#id_funding_model_0", "#id_budget-1-amount"):
        assert f'href="{target}"' in summary.group(1), target
    assert "<title>Error:" in html
    assert "js/initiative-form.js" in html


def test_a_clean_form_has_no_summary(client, resident):
    html = client.get(en_url("campaigns:create")).content.decode()

    assert "error-summary" not in html
    assert "aria-invalid" not in html
    assert 'name="stretch_goal"' in html


def test_add_a_line_without_javascript_keeps_everything_and_saves_nothing(
    client, resident, neighbourhood
):
    data = form_data(neighbourhood, cover_image=png_upload(), **{"add-budget": "Add"})
    data["tasks-0-title"] = ""  # a half-filled form: nothing is judged yet

    response = client.post(en_url("campaigns:create"), data)

    assert response.status_code == 200
    assert Campaign.objects.count() == 0
    budget = response.context["budget_formset"]
    assert budget.total_form_count() == 3
    html = response.content.decode()
    assert 'name="budget-2-description"' in html
    assert 'value="Pannen"' in html and "Elke donderdag samen koken." in html
    assert "error-summary" not in html and "aria-invalid" not in html
    assert "An empty line was added" in html
    assert 'name="budget-TOTAL_FORMS" value="3"' in html

    response = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, **{"add-tasks": "+"})
    )
    assert response.context["task_formset"].total_form_count() == 2
    assert 'name="tasks-1-title"' in response.content.decode()

    assert client.post(en_url("campaigns:create"), form_data(neighbourhood)).status_code == 302


def test_the_cover_is_kept_when_a_line_is_added(client, resident, neighbourhood):
    response = client.post(
        en_url("campaigns:create"),
        form_data(neighbourhood, cover_image=png_upload(), **{"add-budget": "Add"}),
    )

    token = _token(response)
    saved = client.post(en_url("campaigns:create"), form_data(neighbourhood, cover_token=token))
    assert saved.status_code == 302
    page = Campaign.objects.get().page.get_latest_revision_as_object()
    assert page.cover_image == Image.objects.get()


def test_the_empty_rows_for_javascript_are_templates(client, resident):
    html = client.get(en_url("campaigns:create")).content.decode()

    templates = re.findall(r"<template data-empty-form>(.*?)</template>", html, re.S)
    assert len(templates) == 2
    assert 'name="budget-__prefix__-amount"' in templates[0]
    assert 'name="tasks-__prefix__-title"' in templates[1]


def test_a_stretch_goal_is_saved_and_shown_when_editing(client, resident, neighbourhood):
    response = client.post(
        reverse("campaigns:create"), form_data(neighbourhood, stretch_goal="1.500")
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    page = campaign.page.get_latest_revision_as_object()
    assert page.stretch_goal_cents == 1_500_00
    edit = client.get(en_url("campaigns:edit", campaign.page_id)).content.decode()
    assert re.search(r'name="stretch_goal" value="1500(\.0)?"', edit)

    client.post(reverse("campaigns:edit", args=[campaign.page_id]), form_data(neighbourhood))
    page = InitiativePage.objects.get(pk=campaign.page_id).get_latest_revision_as_object()
    assert page.stretch_goal_cents is None


def test_a_stretch_goal_above_the_maximum_is_refused(client, resident, neighbourhood):
    response = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, stretch_goal="300000")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["stretch_goal"] == [
        "The stretch goal can be at most €250,000."
    ]
