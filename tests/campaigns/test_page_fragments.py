"""The initiative page's cached fragments for logged-in visitors.

The tasks, budget, supporters, updates and what was given are cached fragments keyed on
``Campaign.cache_version``; the services bump it in the transaction of every change, so
a change shows at once. What is personal (sign-up forms, follow, manage links) is
rendered for each visitor.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from campaigns.caching import bump_page_version
from campaigns.models import BudgetLine, Campaign, InitiativePage, PaymentAttempt, Pledge
from campaigns.services import pledges as pledge_services
from tasks import services as task_services
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Repair Café", goal_cents=1_000_00)


@pytest.fixture
def neighbour(client):
    user = UserFactory()
    client.force_login(user)
    return user


def page_html(client, campaign):
    response = client.get(campaign.page.url)
    assert response.status_code == 200
    return response.content.decode()


def supporters(html):
    start = html.index('class="supporters"')
    return re.findall(r"<li><strong>(.*?)</strong>", html[start : html.index("</section>", start)])


def paid_pledge(campaign, name, amount_cents, captured):
    pledge, attempt = pledge_services.create_pledge(
        campaign=campaign,
        amount_cents=amount_cents,
        guest_email=f"{name.lower()}@example.nl",
        public_name=name,
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id=f"cs_{pledge.pk}")
    with captured(execute=True):
        pledge_services.mark_paid(pledge_id=pledge.pk, session_id=f"cs_{pledge.pk}")


def test_a_new_pledge_shows_at_once_to_a_logged_in_visitor(
    client, campaign, neighbour, django_capture_on_commit_callbacks
):
    before = page_html(client, campaign)
    assert "Wees de eerste die dit initiatief steunt." in before
    assert "Wees de eerste" in page_html(client, campaign)  # fragments warm

    paid_pledge(campaign, "Buurvrouw", 250_00, django_capture_on_commit_callbacks)

    after = page_html(client, campaign)
    assert supporters(after) == ["Buurvrouw"]
    assert "<strong>€\xa0250</strong>" in after


def test_a_sign_up_shows_at_once_and_the_form_stays_personal(client, campaign, neighbour):
    task = TaskFactory(initiative=campaign.page, title="Koffie schenken", people_needed=2)
    html = page_html(client, campaign)
    assert "0 van 2 helpers" in html
    assert f'action="/tasks/{task.pk}/sign-up/"' in html

    task_services.sign_up(task=task, user=neighbour)

    html = page_html(client, campaign)
    assert "1 van 2 helpers" in html
    assert "1 buurtbewoner geeft tijd." in html
    assert f'action="/tasks/{task.pk}/withdraw/"' in html
    # Another neighbour reads the same warm fragments but gets their own form.
    client.force_login(UserFactory())
    other = page_html(client, campaign)
    assert "1 van 2 helpers" in other
    assert f'action="/tasks/{task.pk}/sign-up/"' in other
    assert f'action="/tasks/{task.pk}/withdraw/"' not in other


def test_the_version_moves_inside_the_transaction_of_the_change(campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=2)
    version = Campaign.objects.get(pk=campaign.pk).cache_version
    with transaction.atomic():
        task_services.sign_up(task=task, user=UserFactory())
        assert Campaign.objects.get(pk=campaign.pk).cache_version > version


def test_fragments_are_cached_until_the_version_moves(client, campaign, neighbour):
    page_html(client, campaign)
    Pledge.objects.create(
        campaign=campaign,
        amount_cents=5_00,
        guest_email="stil@example.nl",
        public_name="Stille Gever",
        status=Pledge.Status.PAID,
    )  # behind the services' back

    assert "Stille Gever" not in page_html(client, campaign)

    bump_page_version(campaign.pk)
    assert supporters(page_html(client, campaign)) == ["Stille Gever"]


def test_the_fragments_follow_a_published_budget(client, campaign, neighbour):
    assert "Post 0" in page_html(client, campaign)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.budget_lines = [BudgetLine(description="Gereedschap", amount_cents=1_000_00)]
    page.save_revision().publish()

    html = page_html(client, campaign)

    assert "Gereedschap" in html
    assert "Post 0" not in html


def test_a_preview_after_a_public_view_shows_the_revisions_budget(client, campaign):
    initiator = campaign.initiators.get()
    client.force_login(initiator)
    assert "Post 0" in page_html(client, campaign)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.budget_lines = [BudgetLine(description="Gereedschap", amount_cents=1_000_00)]
    page.save_revision(user=initiator)  # not published

    preview = client.get(reverse("campaigns:preview", args=[page.pk])).content.decode()

    assert "Gereedschap" in preview
    assert "Post 0" not in preview
    assert "Post 0" in page_html(client, campaign)


def test_only_initiators_get_the_post_an_update_link_whoever_came_first(client, campaign):
    client.force_login(UserFactory())
    assert "Nieuws plaatsen" not in page_html(client, campaign)

    client.force_login(campaign.initiators.get())
    assert "Nieuws plaatsen" in page_html(client, campaign)

    client.force_login(UserFactory())
    html = page_html(client, campaign)
    assert "Nieuws plaatsen" not in html
    assert 'id="updates"' not in html  # no updates yet: no section for visitors
