"""Hours far above a task's estimate are saved only after the initiator confirms them."""

from decimal import Decimal

import pytest

from campaigns.audit import Action
from campaigns.models import AuditEntry
from tasks import services
from tasks.models import SignUp
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper_signup():
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, people_needed=2, estimated_hours=Decimal("4"))
    signup = services.sign_up(task=task, user=UserFactory(display_name="Fatima"))
    return campaign, signup


def test_hours_above_twice_the_estimate_ask_for_confirmation_and_save_nothing(
    client, helper_signup
):
    campaign, signup = helper_signup
    client.force_login(campaign.initiators.get())

    response = client.post(f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": "40"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "40 uur is meer dan twee keer de geschatte 4 uur." in html
    assert "Ja, dit klopt" in html and 'name="confirmed"' in html
    assert 'value="40"' in html
    signup.refresh_from_db()
    assert (signup.status, signup.hours_confirmed) == (SignUp.Status.SIGNED_UP, None)
    assert not AuditEntry.objects.filter(action=Action.HOURS_CONFIRMED).exists()


def test_confirmed_unusual_hours_are_saved(client, helper_signup):
    campaign, signup = helper_signup
    client.force_login(campaign.initiators.get())

    response = client.post(
        f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": "40", "confirmed": "on"}
    )

    assert response.status_code == 302
    signup.refresh_from_db()
    assert (signup.status, signup.hours_confirmed) == (SignUp.Status.DONE, Decimal("40"))


@pytest.mark.parametrize("hours", ["8", "3,5", "0"])
def test_hours_up_to_twice_the_estimate_save_at_once(client, helper_signup, hours):
    campaign, signup = helper_signup
    client.force_login(campaign.initiators.get())
    response = client.post(f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": hours})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.hours_confirmed == Decimal(hours.replace(",", "."))


def test_a_task_without_an_estimate_never_asks(helper_signup):
    campaign, signup = helper_signup
    type(signup.task).objects.filter(pk=signup.task_id).update(estimated_hours=None)
    services.confirm_hours(signup=signup, hours=60, user=campaign.initiators.get())
    signup.refresh_from_db()
    assert signup.hours_confirmed == 60


def test_the_service_refuses_unconfirmed_unusual_hours_in_english(helper_signup):
    from django.utils import translation

    campaign, signup = helper_signup
    with translation.override("en"), pytest.raises(services.HoursNeedConfirmation) as refusal:
        services.confirm_hours(signup=signup, hours="8.5", user=campaign.initiators.get())
    assert str(refusal.value).startswith("8.5 hours is more than twice the estimate of 4 hours.")
