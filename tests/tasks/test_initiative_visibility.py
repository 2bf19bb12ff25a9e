"""Views that reach an initiative through a task, an offer or its id apply the page's own
visibility: live, and past Wagtail's view restrictions, unless the visitor may edit it."""

import pytest
from wagtail.models import PageViewRestriction

from campaigns.models import Campaign
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted():
    """A live initiative behind a password, as Wagtail's privacy setting makes it."""
    campaign = make_initiative(site_tree()[2], title="Besloten buurtfeest")
    PageViewRestriction.objects.create(
        page=campaign.page, restriction_type=PageViewRestriction.PASSWORD, password="buren"
    )
    return campaign


@pytest.mark.parametrize(
    "url",
    [
        "/tasks/{space}/offer/",
        "/initiatives/{page}/donate/",
    ],
)
def test_a_restricted_initiative_is_not_there_for_a_stranger(client, restricted, url):
    space = TaskFactory(initiative=restricted.page, kind=Task.Kind.SPACE)
    client.force_login(UserFactory())
    response = client.get(url.format(space=space.pk, page=restricted.page_id))
    assert response.status_code == 404
    assert "Besloten buurtfeest" not in response.content.decode()


def test_following_a_restricted_initiative_is_refused(client, restricted):
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.post(f"/initiatives/{restricted.page_id}/follow/")
    assert response.status_code == 404
    assert not restricted.follows.filter(user=stranger).exists()


def test_the_initiators_and_moderators_still_reach_their_restricted_initiative(client, restricted):
    space = TaskFactory(initiative=restricted.page, kind=Task.Kind.SPACE)
    for user in (restricted.initiators.get(), moderator()):
        client.force_login(user)
        assert client.get(f"/tasks/{space.pk}/offer/").status_code == 200


def test_an_initiative_in_review_is_not_there_through_its_task(client):
    campaign = make_initiative(
        site_tree()[2], status=Campaign.Status.IN_REVIEW, title="Nog in beoordeling"
    )
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE)
    client.force_login(UserFactory())
    response = client.get(f"/tasks/{space.pk}/offer/")
    assert response.status_code == 404
    assert "Nog in beoordeling" not in response.content.decode()
