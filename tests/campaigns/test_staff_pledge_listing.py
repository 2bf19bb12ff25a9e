"""The staff pledge list: a campaign filter by number, bounded counting, a streamed CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.admin_views import PledgeIndexView, PledgeViewSet
from campaigns.models import Pledge
from core.admin_paging import CappedCountPaginator
from tests.factories import PledgeFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_campaigns():
    neighbourhood = site_tree()[2]
    return (
        make_initiative(neighbourhood, title="Geveltuinen"),
        make_initiative(neighbourhood, title="Speeltuin Noord"),
    )


@pytest.fixture
def staff_client(client):
    client.force_login(moderator())
    return client


def test_the_campaign_filter_is_a_number_and_lists_no_campaigns(staff_client, two_campaigns):
    wanted, other = two_campaigns
    mine = PledgeFactory(campaign=wanted, public_name="Els")
    PledgeFactory(campaign=other, public_name="Kees")

    response = staff_client.get("/admin/pledges/", {"campaign": wanted.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert [pledge.pk for pledge in response.context["object_list"]] == [mine.pk]
    assert 'type="number" name="campaign"' in html
    assert "Speeltuin Noord" not in html  # no option (or row) for the other campaign
    assert "Geveltuinen" in html  # the active filter and the row name the chosen one
    assert f'href="/admin/pledges/?campaign={wanted.pk}"' in html


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_an_unknown_campaign_number_shows_no_pledges_and_says_so(
    staff_client, two_campaigns, value
):
    PledgeFactory(campaign=two_campaigns[0])

    response = staff_client.get("/admin/pledges/", {"campaign": value})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "Er is geen campagne met dit nummer." in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "99999", "-1"])
def test_bad_page_numbers_show_a_page(staff_client, two_campaigns, page):
    PledgeFactory.create_batch(3, campaign=two_campaigns[0])
    response = staff_client.get("/admin/pledges/", {"p": page})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3


def test_the_list_counts_no_further_than_its_cap(staff_client, two_campaigns, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 4)
    PledgeFactory.create_batch(6, campaign=two_campaigns[0])

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get("/admin/pledges/")

    assert response.status_code == 200
    assert response.context["paginator"].count == 4
    assert "Meer dan 4 toezeggingen" in response.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "campaigns_pledge" in q["sql"]]
    assert counts and all("LIMIT 5" in sql and "ORDER BY" not in sql for sql in counts), counts


def test_the_list_is_newest_first_in_a_stable_order(staff_client, two_campaigns):
    pledges = PledgeFactory.create_batch(3, campaign=two_campaigns[0])
    Pledge.objects.update(created_at=pledges[0].created_at)  # a tie, broken by id
    response = staff_client.get("/admin/pledges/")
    assert [p.pk for p in response.context["object_list"]] == [p.pk for p in reversed(pledges)]


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_streams_every_row_with_its_campaign_and_neutralised_cells(
    staff_client, two_campaigns
):
    wanted, other = two_campaigns
    PledgeFactory(campaign=wanted, public_name="=cmd()", message="+31 6")
    PledgeFactory(campaign=other, guest_email="kees@example.nl")
    PledgeFactory(campaign=other, donor=moderator(email="anouk@example.nl"), guest_email="")

    response = staff_client.get("/admin/pledges/", {"export": "csv"})

    assert response.streaming
    rows = _csv(response)
    columns = PledgeViewSet.list_export
    title, status = columns.index("campaign_title"), columns.index("campaign_status")
    assert {(row[title], row[status]) for row in rows[1:]} == {
        ("Geveltuinen", "Live"),
        ("Speeltuin Noord", "Live"),
    }
    by_email = {row[columns.index("email")]: row for row in rows[1:]}
    assert by_email["kees@example.nl"][title] == "Speeltuin Noord"
    assert by_email["kees@example.nl"][columns.index("campaign_id")] == str(other.pk)
    assert by_email["anouk@example.nl"][title] == "Speeltuin Noord"
    assert rows[0][title] == "Campagne"  # the headings are the staff member's language
    assert "'=cmd()" in {row[columns.index("public_name")] for row in rows[1:]}
    assert "'+31 6" in {row[columns.index("message")] for row in rows[1:]}


def test_the_csv_follows_the_campaign_filter(staff_client, two_campaigns):
    PledgeFactory.create_batch(2, campaign=two_campaigns[0])
    PledgeFactory(campaign=two_campaigns[1])
    rows = _csv(
        staff_client.get("/admin/pledges/", {"export": "csv", "campaign": two_campaigns[1].pk})
    )
    assert len(rows) == 2


def _export_queries(client):
    with CaptureQueriesContext(connection) as queries:
        rows = _csv(client.get("/admin/pledges/", {"export": "csv"}))
    return len(rows), len(queries)


def test_the_csv_costs_the_same_queries_for_more_rows_and_campaigns(
    staff_client, two_campaigns, monkeypatch
):
    monkeypatch.setattr(PledgeIndexView, "export_chunk_size", 5)
    PledgeFactory(campaign=two_campaigns[0])
    PledgeFactory(campaign=two_campaigns[1], donor=moderator(), guest_email="")
    small_rows, small = _export_queries(staff_client)
    neighbourhood = two_campaigns[0].page.get_parent()
    for index in range(4):
        campaign = make_initiative(neighbourhood, title=f"Moestuin {index}")
        PledgeFactory.create_batch(4, campaign=campaign)
        PledgeFactory(campaign=campaign, donor=moderator(), guest_email="")
    big_rows, big = _export_queries(staff_client)
    assert (small_rows, big_rows) == (3, 23)
    assert big == small


def test_an_xlsx_export_too_big_for_memory_is_refused_with_a_message(
    staff_client, two_campaigns, monkeypatch
):
    monkeypatch.setattr(PledgeIndexView, "xlsx_max_rows", 2)
    PledgeFactory.create_batch(2, campaign=two_campaigns[0])
    assert staff_client.get("/admin/pledges/", {"export": "xlsx"}).status_code == 200

    PledgeFactory(campaign=two_campaigns[0])
    response = staff_client.get(
        "/admin/pledges/", {"export": "xlsx", "status": "paid"}, follow=True
    )
    assert response.redirect_chain[0][0] == "/admin/pledges/?status=paid"
    assert "Filter de lijst of download het CSV-bestand." in response.content.decode()
