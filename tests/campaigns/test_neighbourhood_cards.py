"""A neighbourhood page shows its first twelve initiatives and links to the rest."""

import pytest

from campaigns.templatetags.campaign_tags import NEIGHBOURHOOD_PAGE_CARDS
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [3, NEIGHBOURHOOD_PAGE_CARDS + 2])
def test_a_busy_neighbourhood_shows_twelve_cards_and_links_to_all(client, count):
    _, _, neighbourhood = site_tree()
    for index in range(count):
        make_initiative(neighbourhood, title=f"Initiatief {index}")
    html = client.get(neighbourhood.url).content.decode()
    assert "Initiatief 0" in html
    link = f'href="/initiatives/?neighbourhood={neighbourhood.pk}">Alle initiatieven in deze buurt'
    if count > NEIGHBOURHOOD_PAGE_CARDS:
        assert sum(f">Initiatief {i}</a>" in html for i in range(count)) == NEIGHBOURHOOD_PAGE_CARDS
        assert link in html
        listing = client.get(f"/initiatives/?neighbourhood={neighbourhood.pk}")
        assert len(listing.context["page_obj"]) == count
    else:
        assert sum(f">Initiatief {i}</a>" in html for i in range(count)) == count
        assert link not in html
