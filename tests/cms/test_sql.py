"""ModelQuery: a fixed SQL statement whose rows become model instances, as the ORM builds them."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.blocks import StreamValue

from campaigns.models import InitiativePage, Pledge
from cms.sql import ModelQuery
from tasks.models import SignUp
from tests.factories import PledgeFactory, TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

PLEDGES = Pledge._meta.db_table
SIGNUPS = SignUp._meta.db_table


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Buurtmoestuin")


@pytest.fixture
def pledge(campaign):
    return PledgeFactory(
        campaign=campaign,
        amount_cents=12_50,
        public_name="Tante Truus",
        is_anonymous=True,
        message="Veel succes",
        paid_at=datetime.datetime(2030, 3, 1, 9, 30, tzinfo=datetime.UTC),
    )


def test_datetimes_come_back_timezone_aware(pledge):
    query = ModelQuery(Pledge, f"SELECT id, paid_at, created_at FROM {PLEDGES} WHERE id = %s")

    found = query.first([pledge.pk])

    assert timezone.is_aware(found.paid_at)
    assert timezone.is_aware(found.created_at)
    assert found.paid_at == datetime.datetime(2030, 3, 1, 9, 30, tzinfo=datetime.UTC)
    assert found.created_at == Pledge.objects.get(pk=pledge.pk).created_at


def test_decimal_fields_come_back_as_decimal(campaign):
    signup = SignUp.objects.create(
        task=TaskFactory(initiative=campaign.page), user=UserFactory(), hours_confirmed="2.5"
    )
    query = ModelQuery(SignUp, f"SELECT id, hours_confirmed FROM {SIGNUPS} WHERE id = %s")

    found = query.first([signup.pk])

    assert isinstance(found.hours_confirmed, Decimal)
    assert found.hours_confirmed == Decimal("2.5")


def test_booleans_and_other_typed_columns(pledge, campaign):
    other = PledgeFactory(campaign=campaign, is_anonymous=False)
    query = ModelQuery(
        Pledge,
        f"SELECT id, is_anonymous, reference, amount_cents FROM {PLEDGES}"
        " WHERE campaign_id = %s ORDER BY id",
    )

    first, second = query.all([campaign.pk])

    assert (first.pk, second.pk) == (pledge.pk, other.pk)
    assert first.is_anonymous is True
    assert second.is_anonymous is False
    assert isinstance(first.reference, uuid.UUID)
    assert first.reference == pledge.reference
    assert first.amount_cents == 12_50


def test_instances_are_loaded_not_new(pledge):
    """As with a queryset: saved state, the database alias, and save() updates the row."""
    found = ModelQuery(Pledge, f"SELECT * FROM {PLEDGES} WHERE id = %s").first([pledge.pk])

    assert found._state.adding is False
    assert found._state.db == "default"
    assert found.get_deferred_fields() == set()
    found.message = "Nieuw bericht"
    found.save(update_fields=["message"])
    assert Pledge.objects.count() == 1
    assert Pledge.objects.get(pk=pledge.pk).message == "Nieuw bericht"


def test_unselected_fields_are_deferred_and_load_on_access(pledge, django_assert_num_queries):
    query = ModelQuery(Pledge, f"SELECT id, amount_cents FROM {PLEDGES} WHERE id = %s")

    found = query.first([pledge.pk])

    assert "public_name" in found.get_deferred_fields()
    assert "amount_cents" not in found.get_deferred_fields()
    with django_assert_num_queries(1):
        assert found.public_name == "Tante Truus"
    with django_assert_num_queries(0):
        assert found.public_name == "Tante Truus"
        assert found.amount_cents == 12_50


def test_columns_match_fields_by_name_and_extra_columns_become_attributes(pledge):
    query = ModelQuery(
        Pledge,
        f"SELECT amount_cents * 2 AS doubled, message, UPPER(public_name) AS shout, id"
        f" FROM {PLEDGES} WHERE id = %s",
    )

    found = query.first([pledge.pk])

    assert found.pk == pledge.pk
    assert found.message == "Veel succes"
    assert found.doubled == 25_00
    assert found.shout == "TANTE TRUUS"
    assert {"public_name", "amount_cents"} <= found.get_deferred_fields()
    assert "doubled" not in {field.attname for field in Pledge._meta.concrete_fields}


def test_first_returns_none_and_all_an_empty_list_without_rows(pledge):
    query = ModelQuery(Pledge, f"SELECT * FROM {PLEDGES} WHERE id = %s")

    assert query.first([pledge.pk + 1000]) is None
    assert query.all([pledge.pk + 1000]) == []
    assert query.first([pledge.pk]).pk == pledge.pk  # the same statement does find rows


def test_a_statement_without_the_primary_key_is_refused(pledge):
    query = ModelQuery(Pledge, f"SELECT amount_cents, public_name FROM {PLEDGES} WHERE id = %s")

    with pytest.raises(ValueError, match="must select the primary key"):
        query.all([pledge.pk])
    with pytest.raises(ValueError, match="must select the primary key"):
        query.first([pledge.pk + 1000])  # even when no row comes back


def test_a_joined_page_row_becomes_the_specific_page_with_converted_fields(campaign):
    """Page and subclass columns joined: the StreamField and the date get their converters."""
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.story = [("paragraph", "<p>Samen zaaien.</p>")]
    page.save_revision().publish()
    query = ModelQuery(
        InitiativePage,
        "SELECT p.*, s.* FROM wagtailcore_page p"
        f" JOIN {InitiativePage._meta.db_table} s ON s.page_ptr_id = p.id WHERE p.id = %s",
    )

    found = query.first([page.pk])

    assert type(found) is InitiativePage
    assert found.title == "Buurtmoestuin"
    assert found.url_path == page.url_path
    assert found.deadline == page.deadline
    assert isinstance(found.deadline, datetime.date)
    assert isinstance(found.story, StreamValue)
    assert "Samen zaaien." in str(found.story)
    assert found.live is True
