"""The staff pledge list pages by seeking on (created_at, id), never by OFFSET."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.admin_views import PledgeIndexView
from campaigns.models import Pledge
from core.admin_paging import KeysetPaginator
from tests.factories import PledgeFactory, make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db

PER_PAGE = 3
URL = "/admin/pledges/"


@pytest.fixture
def campaigns():
    neighbourhood = site_tree()[2]
    return (
        make_initiative(neighbourhood, title="Geveltuinen"),
        make_initiative(neighbourhood, title="Speeltuin Noord"),
    )


@pytest.fixture
def staff_client(client, monkeypatch):
    monkeypatch.setattr(PledgeIndexView, "get_paginate_by", lambda view, queryset: PER_PAGE)
    client.force_login(moderator())
    return client


def pledges(campaign, count, **kwargs):
    """``count`` pledges, oldest first, a minute apart unless ``created_at`` is given."""
    made = PledgeFactory.create_batch(count, campaign=campaign, **kwargs)
    if "created_at" not in kwargs:
        start = made[0].created_at
        for index, pledge in enumerate(made):
            Pledge.objects.filter(pk=pledge.pk).update(created_at=start + timedelta(minutes=index))
    return made


def ids(response):
    return [pledge.pk for pledge in response.context["object_list"]]


def link(response, rel):
    """The href of the pagination's "prev" or "next" link, as the browser would follow it."""
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def walk(client, url, rel="next"):
    """Every page from ``url`` on, following the pagination links; each page's response gets
    its ``url``."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        response.url = url
        pages.append(response)
        url = link(response, rel)
    return pages


def test_pages_follow_each_other_newest_first_without_gaps(staff_client, campaigns):
    made = pledges(campaigns[0], 8)
    pages = walk(staff_client, URL)
    assert [ids(page) for page in pages] == [
        [p.pk for p in reversed(made[5:8])],
        [p.pk for p in reversed(made[2:5])],
        [p.pk for p in reversed(made[0:2])],
    ]
    assert "Naar de eerste pagina" in pages[1].content.decode()
    assert "Naar de eerste pagina" not in pages[0].content.decode()
    back = walk(staff_client, pages[-1].url, "prev")
    assert [ids(page) for page in back] == [ids(page) for page in reversed(pages)]


def test_pledges_sharing_a_timestamp_are_neither_skipped_nor_repeated(staff_client, campaigns):
    same = pledges(campaigns[0], 7)[0].created_at
    Pledge.objects.update(created_at=same)
    forward = [ids(page) for page in walk(staff_client, URL)]
    seen = [pk for page in forward for pk in page]
    assert seen == sorted(Pledge.objects.values_list("pk", flat=True), reverse=True)
    assert [len(page) for page in forward] == [3, 3, 1]

    backward = walk(staff_client, walk(staff_client, URL)[-1].url, "prev")
    assert [ids(page) for page in backward] == list(reversed(forward))


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_a_deep_page_costs_what_the_second_does_and_seeks_without_offset(staff_client, campaigns):
    wanted, other = campaigns
    pledges(wanted, 14)
    pledges(other, 4)
    first = f"{URL}?campaign={wanted.pk}"
    urls = [first]
    while next_url := link(staff_client.get(urls[-1]), "next"):
        urls.append(next_url)
    assert len(urls) == 5

    second, second_sql = _page_queries(staff_client, urls[1])
    deepest, deepest_sql = _page_queries(staff_client, urls[4])

    assert len(deepest_sql) == len(second_sql)
    assert not [sql for sql in second_sql + deepest_sql if "OFFSET" in sql.upper()]
    rows = [sql for sql in deepest_sql if sql.startswith("SELECT") and "LIMIT 4" in sql]
    assert len(rows) == 1, rows
    assert '"campaigns_pledge"."created_at" <=' in rows[0]
    assert '"campaigns_pledge"."id" <' in rows[0]
    assert len(ids(deepest)) == 2
    assert set(Pledge.objects.filter(pk__in=ids(deepest)).values_list("campaign", flat=True)) == {
        wanted.pk
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "garbled",
        signing.dumps(["after", ["-created_at", "-id"], ["2026-01-01T00:00:00+00:00", "1"]]),
        "x" * 500,
    ],
    ids=["garbled", "signed-elsewhere", "long"],
)
def test_a_bad_cursor_shows_the_first_page_and_says_so(staff_client, campaigns, cursor):
    made = pledges(campaigns[0], 5)
    response = staff_client.get(URL, {"p": cursor})
    assert response.status_code == 200
    assert ids(response) == [p.pk for p in reversed(made[2:])]
    assert "Deze paginalink is niet (meer) geldig" in response.content.decode()


def test_a_cursor_made_for_the_other_direction_is_refused(staff_client, campaigns):
    pledges(campaigns[0], 5)
    newest_first = link(staff_client.get(URL), "next")
    cursor = parse_qs(urlsplit(newest_first).query)["p"][0]
    response = staff_client.get(URL, {"ordering": "created_at", "p": cursor})
    assert ids(response) == list(
        Pledge.objects.order_by("created_at").values_list("pk", flat=True)[:PER_PAGE]
    )
    assert "Deze paginalink is niet (meer) geldig" in response.content.decode()


def test_filters_and_ordering_are_kept_across_pages(staff_client, campaigns):
    wanted, other = campaigns
    paid = pledges(wanted, 5)
    pledges(wanted, 2, status=Pledge.Status.FAILED)
    pledges(other, 3)

    pages = walk(staff_client, f"{URL}?campaign={wanted.pk}&status=paid&ordering=created_at")

    assert [ids(page) for page in pages] == [
        [p.pk for p in paid[:3]],
        [p.pk for p in paid[3:]],
    ]
    next_url = link(pages[0], "next")
    assert f"campaign={wanted.pk}" in next_url and "status=paid" in next_url
    assert "ordering=created_at" in next_url


def test_the_csv_from_a_later_page_holds_every_filtered_row(staff_client, campaigns):
    wanted, other = campaigns
    pledges(wanted, 5)
    pledges(other, 2)
    later_page = link(staff_client.get(f"{URL}?campaign={wanted.pk}"), "next")

    response = staff_client.get(f"{later_page}&export=csv")

    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 5


def test_a_cursor_past_the_end_shows_the_last_page(staff_client, campaigns):
    made = pledges(campaigns[0], 5)
    next_url = link(staff_client.get(URL), "next")
    Pledge.objects.filter(pk__in=[p.pk for p in made[:2]]).delete()
    response = staff_client.get(next_url)
    assert ids(response) == [p.pk for p in reversed(made[2:])]
    assert link(response, "next") is None


def test_other_orderings_keep_numbered_pages(staff_client, campaigns):
    made = pledges(campaigns[0], 5)
    response = staff_client.get(URL, {"ordering": "-id", "p": "2"})
    assert not response.context["paginator"].is_keyset
    assert ids(response) == [p.pk for p in reversed(made[:2])]
    assert "Pagina 2 van 2" in response.content.decode()


def test_the_paginator_refuses_a_key_it_cannot_seek_on():
    with pytest.raises(ValueError):
        KeysetPaginator(Pledge.objects.all(), 3, key=("-created_at", "id"))


def _explain(sql):
    """PostgreSQL's plan for ``sql``, with the plans that suit a few rows discouraged (a
    scan of the whole table, a bitmap scan and a sort): the question is whether an index
    serves the seek in its order. If none could, the plan would still hold the Sort."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_pledge")
        for plan_kind in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"), [("campaign={pk}", "pledge_campaign_created"), ("", "pledge_created")]
)
def test_postgresql_seeks_a_deep_page_in_the_index(
    requires_postgres, staff_client, campaigns, query, index
):
    pledges(campaigns[0], 10)
    pledges(campaigns[1], 4)
    url = f"{URL}?{query.format(pk=campaigns[0].pk)}"
    for _ in range(2):
        url = link(staff_client.get(url), "next")
    _, sql = _page_queries(staff_client, url)
    rows = [q for q in sql if q.startswith("SELECT") and "LIMIT 4" in q]

    plan = _explain(rows[0])

    # On a few dozen rows either pledge index may serve it (the campaign one with its
    # campaign in the condition, or the ledger's own with the campaign as a filter); what
    # matters is that an index reads the page in order from the cursor, without a sort.
    assert re.search(rf"Index Scan Backward using ({index}|pledge_created)\b", plan), plan
    assert re.search(r"Index Cond: .*created_at <= ", plan), plan
    assert "Sort" not in plan, plan
