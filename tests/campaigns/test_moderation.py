"""Submitted initiatives go through Wagtail's moderation workflow; approval makes them live."""

import pytest
from django.urls import reverse

from campaigns.models import AuditEntry, Campaign, InitiativePage
from tests.factories import make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


def _workflow_action_url(page, action):
    page = InitiativePage.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


def test_submitting_starts_the_moderation_workflow(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    initiator = campaign.initiators.get()
    client.force_login(initiator)

    response = client.post(reverse("campaigns:submit", args=[campaign.page_id]))

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.IN_REVIEW
    page = InitiativePage.objects.get(pk=campaign.page_id)
    assert page.workflow_in_progress
    assert not page.live


def test_moderator_approval_in_the_admin_publishes_and_goes_live(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    client.force_login(moderator())

    response = client.post(_workflow_action_url(campaign.page, "approve"), {"comment": ""})

    assert response.status_code in (200, 302)
    campaign.refresh_from_db()
    page = InitiativePage.objects.get(pk=campaign.page_id)
    assert page.live
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.live_at is not None
    assert AuditEntry.objects.filter(
        object_id=str(campaign.pk), action="approved", from_state="in_review", to_state="live"
    ).exists()
    public = client.get(page.url)
    assert public.status_code == 200


def test_moderator_requests_changes_with_a_comment(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    client.force_login(moderator())

    client.post(
        _workflow_action_url(campaign.page, "reject"),
        {"comment": "Voeg graag een foto van de plek toe."},
    )

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.moderator_note == "Voeg graag een foto van de plek toe."
    assert not InitiativePage.objects.get(pk=campaign.page_id).live

    initiator = campaign.initiators.get()
    client.force_login(initiator)
    mine = client.get(reverse("campaigns:my_initiatives"))
    assert "Voeg graag een foto van de plek toe." in mine.content.decode()

    resubmit = client.post(reverse("campaigns:submit", args=[campaign.page_id]))
    assert resubmit.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.IN_REVIEW
    assert InitiativePage.objects.get(pk=campaign.page_id).workflow_in_progress


def test_a_resident_cannot_approve(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    client.force_login(campaign.initiators.get())

    response = client.post(_workflow_action_url(campaign.page, "approve"))

    assert response.status_code in (302, 403)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.IN_REVIEW
    assert not InitiativePage.objects.get(pk=campaign.page_id).live


def test_submitting_twice_is_refused_with_a_message(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    client.force_login(campaign.initiators.get())

    response = client.post(reverse("campaigns:submit", args=[campaign.page_id]), follow=True)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("review" in m.lower() or "beoordeling" in m.lower() for m in messages)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.IN_REVIEW
