"""The listing's place filter: a city, then one of its neighbourhoods.

The form offers the cities and the chosen city's neighbourhoods only, so its size follows
what one city holds, not the whole country.
"""

import re

import pytest

from tests.factories import NeighbourhoodPageFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cities():
    _, gouda, binnenstad = site_tree()
    korte_akkeren = NeighbourhoodPageFactory(parent=gouda, title="Korte Akkeren")
    _, utrecht, lombok = site_tree()
    for index in range(5):
        NeighbourhoodPageFactory(parent=utrecht, title=f"Utrechtse wijk {index}")
    return {
        "gouda": gouda,
        "utrecht": utrecht,
        "binnenstad": binnenstad,
        "korte_akkeren": korte_akkeren,
        "lombok": lombok,
        "in_binnenstad": make_initiative(binnenstad, title="Geveltuinen"),
        "in_korte_akkeren": make_initiative(korte_akkeren, title="Repair Café"),
        "in_lombok": make_initiative(lombok, title="Buurtmoestuin"),
    }


def _titles(response):
    return {card.title for card in response.context["page_obj"]}


def _offered_neighbourhoods(response):
    select = re.search(r'<select name="neighbourhood".*?</select>', response.text, re.S).group()
    return re.findall(r'<option value="(\d+)"', select)


def test_a_city_lists_the_initiatives_of_all_its_neighbourhoods(client, two_cities):
    response = client.get(f"/initiatives/?city={two_cities['gouda'].pk}")
    assert response.status_code == 200
    assert _titles(response) == {"Geveltuinen", "Repair Café"}
    offered = _offered_neighbourhoods(response)
    assert sorted(offered) == sorted(
        str(two_cities[name].pk) for name in ("binnenstad", "korte_akkeren")
    )


def test_without_a_city_no_neighbourhood_is_offered_and_the_form_says_why(client, two_cities):
    response = client.get("/en/initiatives/")
    assert response.status_code == 200
    assert _offered_neighbourhoods(response) == []
    assert "Choose a city first." in response.text
    dutch = client.get("/initiatives/").text
    assert "Kies eerst een stad." in dutch and "Alle steden" in dutch
    assert _titles(response) == {"Geveltuinen", "Repair Café", "Buurtmoestuin"}


def test_a_neighbourhood_link_fills_in_its_city_and_offers_its_siblings(client, two_cities):
    lombok = two_cities["lombok"]
    response = client.get(f"/initiatives/?neighbourhood={lombok.pk}")
    assert response.status_code == 200
    assert _titles(response) == {"Buurtmoestuin"}
    assert len(_offered_neighbourhoods(response)) == 6
    city_select = re.search(r'<select name="city".*?</select>', response.text, re.S).group()
    assert f'<option value="{two_cities["utrecht"].pk}" selected>' in city_select


def test_a_neighbourhood_left_over_from_another_city_gives_way_to_the_city(client, two_cities):
    response = client.get(
        f"/initiatives/?city={two_cities['gouda'].pk}&neighbourhood={two_cities['lombok'].pk}"
    )
    assert response.status_code == 200
    assert _titles(response) == {"Geveltuinen", "Repair Café"}
    assert (
        "selected>"
        not in re.search(r'<select name="neighbourhood".*?</select>', response.text, re.S).group()
    )


def test_a_neighbourhood_and_its_city_narrow_to_the_neighbourhood(client, two_cities):
    response = client.get(
        f"/initiatives/?city={two_cities['gouda'].pk}"
        f"&neighbourhood={two_cities['korte_akkeren'].pk}"
    )
    assert response.status_code == 200
    assert _titles(response) == {"Repair Café"}


@pytest.mark.parametrize(
    "query", ["city=abc", "city=999999", "neighbourhood=999999", "city=1%00", "neighbourhood=-3"]
)
def test_an_unknown_place_is_refused_in_both_languages(client, two_cities, query):
    response = client.get(f"/en/initiatives/?{query}")
    assert response.status_code == 400
    assert "Some filters were not valid and were ignored." in response.text
    assert _titles(response) == {"Geveltuinen", "Repair Café", "Buurtmoestuin"}
    dutch = client.get(f"/initiatives/?{query}")
    assert dutch.status_code == 400
    assert "Sommige filters waren ongeldig" in dutch.text
