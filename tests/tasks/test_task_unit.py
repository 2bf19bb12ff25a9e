"""A quantity task names what it counts: "6 van 10 planken", "6 of 10 planks"."""

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.models import Campaign
from tasks import services
from tasks.forms import TaskForm
from tasks.models import Task
from tests.campaigns.test_initiative_form import form_data
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2])


def _task_with_six_given(campaign, unit):
    task = TaskFactory(
        initiative=campaign.page,
        kind=Task.Kind.MATERIAL,
        title="Steigerhout",
        people_needed=10,
        unit=unit,
    )
    offer = services.make_offer(
        task=task, user=UserFactory(), kind="material", description="Planken", quantity=6
    )
    services.decide_offer(offer=offer, accept=True, user=campaign.initiators.get())
    return task


def _card(html, task):
    return html.split(f'id="task-{task.pk}"', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize(
    ("prefix", "unit", "shown"),
    [
        ("", "planken", "6 van 10 planken"),
        ("/en", "planks", "6 of 10 planks"),
        ("", "", "6 van 10 toegezegd"),
        ("/en", "", "6 of 10 promised"),
    ],
)
def test_the_task_card_counts_in_the_tasks_unit(client, campaign, prefix, unit, shown):
    task = _task_with_six_given(campaign, unit)

    card = _card(client.get(prefix + campaign.page.url).content.decode(), task)

    assert f"<span>{shown}</span>" in card
    if unit:
        assert "promised" not in card and "toegezegd" not in card


@pytest.mark.parametrize(
    ("prefix", "shown"), [("", "6 van 10 planken"), ("/en", "6 of 10 planken")]
)
def test_the_initiators_page_counts_in_the_unit_too(client, campaign, prefix, shown):
    task = _task_with_six_given(campaign, "planken")
    client.force_login(campaign.initiators.get())

    html = client.get(f"{prefix}/tasks/initiative/{campaign.page_id}/").content.decode()

    section = html.split(f'id="task-{task.pk}"', 1)[1].split("</section>", 1)[0]
    assert f"<span>{shown}</span>" in section


def test_the_offer_form_names_the_unit(client, campaign):
    task = _task_with_six_given(campaign, "planks")
    client.force_login(UserFactory())

    html = client.get(f"/en/tasks/{task.pk}/offer/").content.decode()

    assert "The task needs 10 planks in all; still needed: 4." in html


def _task_data(**changes):
    return {
        "title": "Steigerhout",
        "kind": "material",
        "description": "",
        "people_needed": "10",
        "unit": "planken",
        "place": "",
        "estimated_hours": "",
        "starts_at": "",
        "ends_at": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This text is 31 characters long; the limit is 30."),
        ("nl", "Deze tekst is 31 tekens lang; de limiet is 30."),
    ],
)
def test_a_unit_longer_than_thirty_characters_is_refused_in_the_visitors_language(
    language, expected
):
    with translation.override(language):
        form = TaskForm(data=_task_data(unit="x" * 31))
        assert not form.is_valid()
        assert expected in str(form.errors["unit"][0])


def test_a_unit_stays_on_one_line_and_may_be_left_empty():
    form = TaskForm(data=_task_data(unit="planken\r\nvan steigerhout\n"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == "planken van steigerhout"

    assert TaskForm(data=_task_data(unit="")).is_valid()


def test_the_task_form_saves_the_unit(client, campaign):
    client.force_login(campaign.initiators.get())

    response = client.post(reverse("tasks:new", args=[campaign.page_id]), _task_data())

    assert response.status_code == 302
    assert Task.objects.get(initiative_id=campaign.page_id).unit == "planken"


def test_the_initiative_forms_task_list_saves_the_unit(client, campaign):
    resident = UserFactory()
    client.force_login(resident)
    data = form_data(
        campaign.page.get_parent(),
        **{
            "tasks-0-title": "Steigerhout",
            "tasks-0-kind": "material",
            "tasks-0-people_needed": "10",
            "tasks-0-unit": "planken",
            "tasks-0-estimated_hours": "",
        },
    )

    page = client.get(reverse("campaigns:create")).content.decode()
    response = client.post(reverse("campaigns:create"), data)

    assert 'name="tasks-0-unit"' in page
    assert response.status_code == 302
    created = Campaign.objects.get(initiators=resident)
    assert Task.objects.get(initiative=created.page).unit == "planken"


def test_the_initiative_form_refuses_a_too_long_unit_and_keeps_the_rest(client, campaign):
    client.force_login(UserFactory())
    data = form_data(
        campaign.page.get_parent(),
        **{"tasks-0-kind": "material", "tasks-0-unit": "y" * 31},
    )

    response = client.post(reverse("campaigns:create"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze tekst is 31 tekens lang; de limiet is 30." in html
    assert "Buurtkeuken De Pan" in html
