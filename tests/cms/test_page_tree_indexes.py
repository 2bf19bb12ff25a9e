"""At 100,000 initiatives, finding a page's children and routing to a page use indexes."""

import pytest
from django.db import connection
from wagtail.models import Page

from cms.models import NeighbourhoodPage
from tests.factories import make_initiative, site_tree
from tests.query_plans import plan

pytestmark = pytest.mark.django_db


def test_a_pages_children_have_an_index_on_depth_and_path(requires_postgres):
    """Treebeard's children lookup is ``path LIKE '<parent>%' AND depth = n``. On a test
    database of a few pages the planner rightly prefers any index; the full-size bench
    (bench/README.md, "second round") shows the lookup going from 36 ms to 0.2 ms. Here:
    the index exists, serves exactly those two conditions, and the lookup is right."""
    _home, city, neighbourhood = site_tree()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'wagtailcore_page_depth_path'"
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith(
        "ON public.wagtailcore_page USING btree (depth, path varchar_pattern_ops)"
    )
    assert list(NeighbourhoodPage.objects.live().child_of(city)) == [neighbourhood]


def test_routing_finds_a_deep_page_by_its_indexed_slug(requires_postgres, client):
    _home, _city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Geveltuinen")
    page = campaign.page
    assert client.get(page.url).status_code == 200
    lookup = Page.objects.filter(slug=page.slug, url_path__in=[page.url_path])
    assert "wagtailcore_page_slug" in plan(lookup, off=("seqscan",))
