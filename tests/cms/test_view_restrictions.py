"""View restrictions are Wagtail's own: pages are served, refused and unlocked as it does."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from campaigns.models import InitiativePage
from tests.factories import NeighbourhoodPageFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home, city, neighbourhood = site_tree()
    campaign = make_initiative(neighbourhood, title="Buurtbieb")
    page = InitiativePage.objects.get(pk=campaign.page_id)
    return {"home": home, "city": city, "neighbourhood": neighbourhood, "page": page}


def restriction_ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def restrictions_of(page):
    """The ids of the restrictions Wagtail applies to ``page`` (its own and its ancestors')."""
    return restriction_ids(Page.objects.get(pk=page.pk).specific.get_view_restrictions())


def restrict(page, restriction_type, **kwargs):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **kwargs
    )


def test_without_restrictions_the_page_is_served_to_anonymous_visitors(client, tree):
    page = tree["page"]

    response = client.get(page.url)

    assert response.status_code == 200
    assert "Buurtbieb" in response.content.decode()
    assert restrictions_of(page) == set()


def test_a_login_restriction_on_the_neighbourhood_sends_visitors_to_log_in(client, tree):
    page = tree["page"]
    restriction = restrict(tree["neighbourhood"], PageViewRestriction.LOGIN)

    response = client.get(page.url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={page.url}"
    assert restrictions_of(page) == {restriction.pk}


# Wagtail's /_util/ views must come before its page view, whose pattern also matches
# ``_util/...`` (a page view of the project's own once swallowed them and answered 404).
def test_the_login_page_a_restricted_page_redirects_to_exists(client, tree):
    restrict(tree["neighbourhood"], PageViewRestriction.LOGIN)
    location = client.get(tree["page"].url)["Location"]

    assert client.get(location).status_code == 200


def test_a_login_restriction_on_the_neighbourhood_lets_members_in(client, tree):
    page = tree["page"]
    restrict(tree["neighbourhood"], PageViewRestriction.LOGIN)
    client.force_login(UserFactory())

    response = client.get(page.url)

    assert response.status_code == 200
    assert "Buurtbieb" in response.content.decode()


def test_a_restriction_on_the_site_root_covers_every_page_below(client, tree):
    restriction = restrict(tree["home"], PageViewRestriction.LOGIN)

    for page in (tree["city"], tree["neighbourhood"], tree["page"]):
        assert client.get(page.url).status_code == 302
        assert restrictions_of(page) == {restriction.pk}


def test_a_restriction_on_another_neighbourhood_does_not_apply(client, tree):
    other = NeighbourhoodPageFactory(parent=tree["city"])
    restrict(other, PageViewRestriction.LOGIN)
    page = tree["page"]

    assert client.get(page.url).status_code == 200
    assert client.get(other.url).status_code == 302
    assert restrictions_of(page) == set()


def test_a_password_restriction_on_the_page_shows_the_password_form(client, tree):
    page = tree["page"]
    restriction = restrict(page, PageViewRestriction.PASSWORD, password="buurtgeheim")

    response = client.get(page.url)

    html = response.content.decode()
    assert response.status_code == 200
    action = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    assert f'action="{action}"' in html
    assert 'name="password"' in html
    assert "Buurtbieb: samen maken we het." not in html  # the summary stays hidden
    assert restrictions_of(page) == {restriction.pk}


# The password form posts to Wagtail's /_util/authenticate_with_password/ view.
def test_the_right_password_opens_the_page(client, tree):
    page = tree["page"]
    restriction = restrict(page, PageViewRestriction.PASSWORD, password="buurtgeheim")
    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])

    response = client.post(action, {"password": "buurtgeheim", "return_url": page.url})

    assert response.status_code == 302
    assert "Buurtbieb: samen maken we het." in client.get(page.url).content.decode()


def test_restrictions_on_the_page_and_an_ancestor_are_both_returned(tree):
    page = tree["page"]
    on_page = restrict(page, PageViewRestriction.PASSWORD, password="geheim")
    on_city = restrict(tree["city"], PageViewRestriction.GROUPS)
    on_city.groups.add(Group.objects.get(name="Moderators"))

    assert restrictions_of(page) == {on_page.pk, on_city.pk}
    assert restrictions_of(tree["neighbourhood"]) == {on_city.pk}
    assert restrictions_of(tree["home"]) == set()


def test_an_alias_uses_its_source_pages_restrictions(client, tree):
    page = tree["page"]
    elsewhere = NeighbourhoodPageFactory(parent=tree["city"])
    alias = page.create_alias(parent=elsewhere)
    on_page = restrict(page, PageViewRestriction.PASSWORD, password="geheim")
    restrict(tree["neighbourhood"], PageViewRestriction.LOGIN)  # the source's parent only

    assert alias.alias_of_id == page.pk
    # The alias takes the source page's own restriction, not its source's ancestors'.
    assert restrictions_of(alias) == {on_page.pk}
    response = client.get(alias.url)
    assert response.status_code == 200
    assert f"/_util/authenticate_with_password/{on_page.pk}/{alias.pk}/" in (
        response.content.decode()
    )


def test_an_alias_follows_the_restrictions_of_its_own_ancestors(client, tree):
    page = tree["page"]
    elsewhere = NeighbourhoodPageFactory(parent=tree["city"])
    alias = page.create_alias(parent=elsewhere)
    on_source_parent = restrict(tree["neighbourhood"], PageViewRestriction.LOGIN)

    assert restrictions_of(alias) == set()
    assert restrictions_of(page) == {on_source_parent.pk}
    response = client.get(alias.url)
    assert response.status_code == 200
    assert "Buurtbieb" in response.content.decode()

    on_elsewhere = restrict(elsewhere, PageViewRestriction.LOGIN)
    assert restrictions_of(alias) == {on_elsewhere.pk}
    assert client.get(alias.url).status_code == 302
