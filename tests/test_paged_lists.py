"""A resident's own lists ("Mijn donaties", "Mijn taken", "Mijn initiatieven") come a page
at a time, newest first, and answer a bad page number with a page, never an error."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Pledge
from campaigns.views import manage
from core.money import format_money
from tasks.views import mine as my_task_views
from tests.factories import (
    PledgeFactory,
    SignUpFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def donor_with_30_pledges(neighbourhood):
    donor = UserFactory()
    first, second = make_initiative(neighbourhood), make_initiative(neighbourhood, title="Tuin")
    pledges = [
        PledgeFactory(campaign=first if index % 2 else second, donor=donor, amount_cents=1000)
        for index in range(27)
    ]
    pledges += PledgeFactory.create_batch(
        3, campaign=first, donor=donor, amount_cents=500, status=Pledge.Status.FAILED
    )
    PledgeFactory(campaign=first, amount_cents=9900)  # someone else's
    return donor, pledges


def _donations(client, **query):
    return client.get(reverse("payments:my_donations"), query)


def test_my_donations_come_25_a_page_newest_first_under_one_total(client, donor_with_30_pledges):
    donor, pledges = donor_with_30_pledges
    client.force_login(donor)

    first = _donations(client)
    second = _donations(client, page=2)

    newest_first = [pledge.pk for pledge in reversed(pledges)]
    assert [p.pk for p in first.context["pledges"]] == newest_first[:25]
    assert [p.pk for p in second.context["pledges"]] == newest_first[25:]
    html = first.content.decode()
    assert "Pagina 1 van 2" in html and "?page=2" in html
    total = format_money(27 * 1000, "EUR")  # paid only; the failed ones gave nothing
    assert f"Je hebt {total} gegeven aan 2 initiatieven." in html


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("99999", 2), ("-3", 2), ("", 1)])
def test_a_bad_page_number_shows_a_page(client, donor_with_30_pledges, page, shown):
    client.force_login(donor_with_30_pledges[0])
    response = _donations(client, page=page)
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown


def test_a_donor_without_pledges_sees_no_total_and_no_pages(client):
    client.force_login(UserFactory())
    html = _donations(client).content.decode()
    assert "Je hebt nog niet gedoneerd." in html
    assert "gegeven aan" not in html and 'class="pagination"' not in html


def test_my_tasks_page_the_sign_ups_and_keep_other_lists_apart(client, neighbourhood, monkeypatch):
    monkeypatch.setattr(my_task_views, "MY_TASKS_PER_PAGE", 2)
    helper = UserFactory()
    page = make_initiative(neighbourhood).page
    signups = [SignUpFactory(user=helper, task=TaskFactory(initiative=page)) for _ in range(3)]
    client.force_login(helper)

    first = client.get(reverse("tasks:my_tasks"))
    last = client.get(reverse("tasks:my_tasks"), {"page": "99999", "offers_page": "abc"})

    assert [s.pk for s in first.context["signups"]] == [signups[2].pk, signups[1].pk]
    assert [s.pk for s in last.context["signups"]] == [signups[0].pk]
    assert last.status_code == 200 and last.context["offers_page"].number == 1
    assert 'href="?page=2"' in first.content.decode()


def test_my_initiatives_come_a_page_at_a_time(client, neighbourhood, monkeypatch):
    monkeypatch.setattr(manage, "MY_INITIATIVES_PER_PAGE", 2)
    initiator = UserFactory()
    for title in ("Eerste", "Tweede", "Derde"):
        make_initiative(
            neighbourhood, initiator=initiator, title=title, status=Campaign.Status.DRAFT
        )
    client.force_login(initiator)

    first = client.get(reverse("campaigns:my_initiatives"))
    second = client.get(reverse("campaigns:my_initiatives"), {"page": "2"})

    assert [c.page.draft_title for c in first.context["campaigns"]] == ["Derde", "Tweede"]
    assert [c.page.draft_title for c in second.context["campaigns"]] == ["Eerste"]
