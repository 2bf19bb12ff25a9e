"""An initiator can throw away a draft, after confirming; nothing past the draft stage goes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import PageLogEntry

from campaigns import services
from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, InitiativePage
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


def _url(campaign):
    return reverse("campaigns:delete", args=[campaign.page_id])


def test_an_initiator_deletes_a_draft_after_confirming(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT, title="Proefje")
    TaskFactory(initiative=campaign.page)
    initiator = campaign.initiators.get()
    client.force_login(initiator)

    listing = client.get(reverse("campaigns:my_initiatives")).content.decode()
    assert f'href="{_url(campaign)}"' in listing
    confirm = client.get(_url(campaign))
    assert confirm.status_code == 200
    assert InitiativePage.objects.filter(pk=campaign.page_id).exists()

    response = client.post(_url(campaign))

    assert response.status_code == 302
    assert not InitiativePage.objects.filter(pk=campaign.page_id).exists()
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Task.objects.exists()
    entry = AuditEntry.objects.get(action=Action.CAMPAIGN_DELETED)
    assert (entry.actor, entry.object_id, entry.from_state) == (
        initiator,
        str(campaign.pk),
        "draft",
    )
    assert entry.data["title"] == "Proefje"
    assert PageLogEntry.objects.filter(page_id=campaign.page_id, action="wagtail.delete").exists()


def test_someone_else_cannot_delete_a_draft(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    client.force_login(UserFactory())

    assert client.get(_url(campaign)).status_code == 404
    assert client.post(_url(campaign)).status_code == 404
    assert InitiativePage.objects.filter(pk=campaign.page_id).exists()


def test_a_moderator_is_not_an_initiator_here(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    client.force_login(moderator())

    assert client.post(_url(campaign)).status_code == 404
    assert Campaign.objects.filter(pk=campaign.pk).exists()


@pytest.mark.parametrize("status", [Campaign.Status.IN_REVIEW, Campaign.Status.LIVE])
def test_a_submitted_or_live_initiative_is_refused_with_a_message(client, neighbourhood, status):
    campaign = make_initiative(neighbourhood, status=status)
    client.force_login(campaign.initiators.get())

    response = client.post("/en" + _url(campaign))

    assert response.status_code == 302
    assert Campaign.objects.filter(pk=campaign.pk, status=status).exists()
    assert InitiativePage.objects.filter(pk=campaign.page_id).exists()
    assert not AuditEntry.objects.filter(action=Action.CAMPAIGN_DELETED).exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Only a draft can be deleted. An initiative in review, live or closed stays."]
    listing = client.get(reverse("campaigns:my_initiatives")).content.decode()
    assert f'href="{_url(campaign)}"' not in listing


def test_someone_elses_live_initiative_is_forbidden(client, neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.LIVE)
    client.force_login(UserFactory())

    assert client.post(_url(campaign)).status_code == 403


def test_the_service_refuses_a_draft_that_was_once_published(neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)
    page = campaign.page
    page.first_published_at = page.latest_revision_created_at
    page.save(update_fields=["first_published_at"])

    with pytest.raises(services.TransitionNotAllowed):
        services.delete_draft(campaign=campaign, user=campaign.initiators.get())
    assert InitiativePage.objects.filter(pk=page.pk).exists()


def test_the_service_refuses_someone_who_is_not_an_initiator(neighbourhood):
    campaign = make_initiative(neighbourhood, status=Campaign.Status.DRAFT)

    with pytest.raises(services.TransitionNotAllowed):
        services.delete_draft(campaign=campaign, user=UserFactory())
    assert Campaign.objects.filter(pk=campaign.pk).exists()
