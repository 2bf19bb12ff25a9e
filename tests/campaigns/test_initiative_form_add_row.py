"""The "add a line" step of the initiative form judges nothing yet but keeps everything:
what was typed, and a chosen cover image; a save then judges the whole form."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from campaigns.cover_uploads import PENDING_COLLECTION, pending_cover
from campaigns.forms import BudgetLineFormSet
from campaigns.models import Campaign
from tasks.models import Task
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


def _half_filled(place, **overrides):
    """Only the first fields typed, one of them wrong; the budget and the rest still empty."""
    data = form_data(
        place,
        goal="veel",
        summary="",
        story="",
        category="",
        deadline="",
        funding_model="",
        **{"budget-0-description": "", "budget-0-amount": "", "budget-1-description": ""},
    )
    data.update({"budget-1-amount": "", "tasks-0-title": "", "tasks-0-kind": ""}, **overrides)
    return data


def _assert_nothing_judged(html):
    assert "error-summary" not in html
    assert "aria-invalid" not in html
    assert "has-error" not in html
    assert 'class="error"' not in html
    assert "Add at least one budget line" not in html


def test_a_line_added_to_a_half_filled_form_marks_nothing_and_keeps_the_cover(
    client, resident, neighbourhood
):
    data = _half_filled(neighbourhood, cover_image=png_upload(), **{"add-budget": "Add"})

    response = client.post(en_url("campaigns:create"), data)

    assert response.status_code == 200
    assert Campaign.objects.count() == 0
    html = response.content.decode()
    _assert_nothing_judged(html)
    assert "An empty line was added" in html
    assert 'name="budget-TOTAL_FORMS" value="3"' in html
    assert 'name="budget-2-description"' in html
    assert 'value="Buurtkeuken De Pan"' in html
    assert re.search(r'name="goal" value="veel"', html)
    kept = Image.objects.get()
    assert kept.collection.name == PENDING_COLLECTION
    assert kept.uploaded_by_user == resident
    assert kept.title == "Buurtkeuken De Pan"
    assert "Your picture is kept" in html
    assert f'src="{kept.get_rendition("max-320x200").url}"' in html
    assert pending_cover(_token(response), resident) == kept


def test_a_kept_cover_stays_through_more_lines_and_a_failed_save(client, resident, neighbourhood):
    first = client.post(
        en_url("campaigns:create"),
        _half_filled(neighbourhood, cover_image=png_upload(), **{"add-tasks": "+"}),
    )
    kept = Image.objects.get()

    second = client.post(
        en_url("campaigns:create"),
        _half_filled(neighbourhood, cover_token=_token(first), **{"add-budget": "Add"}),
    )

    assert second.status_code == 200
    _assert_nothing_judged(second.content.decode())
    assert "Your picture is kept" in second.content.decode()
    assert pending_cover(_token(second), resident) == kept

    failed = client.post(
        en_url("campaigns:create"),
        form_data(neighbourhood, goal="veel", cover_token=_token(second)),
    )

    assert failed.status_code == 400
    html = failed.content.decode()
    assert "error-summary" in html and 'href="#id_goal"' in html
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="id_goal"[^>]*>', html).group(0)
    assert "Your picture is kept" in html
    assert pending_cover(_token(failed), resident) == kept

    saved = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, cover_token=_token(failed))
    )

    assert saved.status_code == 302
    assert Campaign.objects.get().page.get_latest_revision_as_object().cover_image == kept
    assert Image.objects.count() == 1


def test_a_line_added_with_a_file_that_is_not_a_picture_keeps_nothing_and_says_nothing(
    client, resident, neighbourhood
):
    fake = SimpleUploadedFile("plek.png", b"this is not a picture", content_type="image/png")

    response = client.post(
        en_url("campaigns:create"),
        _half_filled(neighbourhood, cover_image=fake, **{"add-budget": "Add"}),
    )

    assert response.status_code == 200
    _assert_nothing_judged(response.content.decode())
    assert not Image.objects.exists()
    assert 'name="cover_token" value=""' in response.content.decode()


def test_editing_a_draft_a_task_added_keeps_the_typed_tasks_unjudged(
    client, resident, neighbourhood
):
    client.post(reverse("campaigns:create"), form_data(neighbourhood))
    campaign = Campaign.objects.get()
    task = Task.objects.get()
    data = form_data(
        neighbourhood,
        **{
            "tasks-INITIAL_FORMS": "1",
            "tasks-0-id": str(task.pk),
            "tasks-0-title": "",
            "tasks-0-people_needed": "veel",
            "add-tasks": "+",
        },
    )

    response = client.post(en_url("campaigns:edit", campaign.page_id), data)

    assert response.status_code == 200
    html = response.content.decode()
    _assert_nothing_judged(html)
    assert 'name="tasks-TOTAL_FORMS" value="2"' in html
    assert re.search(r'name="tasks-0-people_needed" value="veel"', html)
    assert 'name="tasks-1-title"' in html
    assert Task.objects.get().title == "Koks gezocht"


def test_budget_lines_that_miss_the_goal_are_marked_at_the_goal_and_the_budget(
    client, resident, neighbourhood
):
    response = client.post(
        en_url("campaigns:create"), form_data(neighbourhood, **{"budget-1-amount": "300"})
    )

    assert response.status_code == 400
    message = "The budget lines add up to €900, but the funding goal is €1,000. Make them equal."
    assert response.context["form"].errors["goal"] == [message]
    assert list(response.context["budget_formset"].non_form_errors()) == [message]
    summary = [(item.target, item.message) for item in response.context["error_summary"]]
    assert ("id_goal", message) in summary and ("budget-lines", message) in summary


def test_the_budget_formset_checks_the_goal_only_once_it_is_given():
    data = form_data(site_tree()[2], **{"budget-1-amount": "300"})

    assert BudgetLineFormSet(data, prefix="budget").is_valid()
    formset = BudgetLineFormSet(data, prefix="budget")
    formset.goal_cents = 1000_00
    assert not formset.is_valid()
    assert [error.code for error in formset.non_form_errors().as_data()] == ["total_mismatch"]
