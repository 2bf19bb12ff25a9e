"""Amounts are typed and shown in euros, stored in cents: the form field and the admins."""

import pytest
from django.utils import timezone, translation

from accounts.models import Organisation
from campaigns.models import FundingProgramme, InitiativePage
from cms.models import PlatformSettings
from core.forms import EuroCentsField
from tests.factories import (
    FundingProgrammeFactory,
    OrganisationFactory,
    make_initiative,
    moderator,
    site_tree,
)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("1.234,50", 1_234_50),
        ("1234.50", 1_234_50),
        ("1234,5", 1_234_50),
        ("€ 250", 250_00),
        ("5.000", 5_000_00),
        ("0,01", 1),
        ("12.500", 12_500_00),
    ],
)
def test_euros_as_people_type_them_become_cents(typed, cents):
    with translation.override("nl"):
        assert EuroCentsField(max_cents=100_000_00).clean(typed) == cents


@pytest.mark.parametrize(
    ("typed", "language", "message"),
    [
        ("abc", "en", "Enter an amount in euros, for example 250 or 12,50."),
        ("12,3a", "en", "Enter an amount in euros, for example 250 or 12,50."),
        ("1e5", "en", "Enter an amount in euros, for example 250 or 12,50."),
        ("-5", "en", "The amount cannot be negative."),
        ("12,345", "en", "An amount has at most two decimals (cents)."),
        ("10000,01", "en", "The amount can be at most €10,000."),
        ("abc", "nl", "Vul een bedrag in euro's in, bijvoorbeeld 250 of 12,50."),
        ("-5", "nl", "Het bedrag kan niet negatief zijn."),
        ("12,345", "nl", "Een bedrag heeft hoogstens twee decimalen (centen)."),
        ("10000,01", "nl", "Het bedrag mag hoogstens € 10.000 zijn."),
    ],
)
def test_bad_amounts_get_a_clear_message(typed, language, message):
    field = EuroCentsField(max_cents=10_000_00)
    with translation.override(language):
        form_errors = _errors(field, typed)
    assert [error.replace("\xa0", " ") for error in form_errors] == [message]


def _errors(field, value):
    from django.core.exceptions import ValidationError

    try:
        field.clean(value)
    except ValidationError as error:
        return error.messages
    return []


def test_cents_are_shown_as_euros_in_the_visitors_language():
    field = EuroCentsField()
    with translation.override("nl"):
        assert (field.prepare_value(1_234_50), field.prepare_value(5_000_00)) == (
            "1.234,50",
            "5.000",
        )
    with translation.override("en"):
        assert (field.prepare_value(1_234_50), field.prepare_value(5_000_00)) == (
            "1234.50",
            "5000",
        )
    assert field.has_changed(1_234_50, "1.234,50") is False
    assert field.has_changed(1_234_50, "1.234,51") is True


@pytest.fixture
def staff_client(client, db):
    client.force_login(moderator(is_superuser=True))
    return client


def _programme_data(programme, **changes):
    data = {
        "organisation": programme.organisation_id,
        "name": programme.name,
        "slug": programme.slug,
        "currency": "EUR",
        "budget_cents": "25.000",
        "match_numerator": "1",
        "match_denominator": "1",
        "cap_per_initiative_cents": "5.000",
        "categories": "[]",
        "min_donors": "0",
        "opens_on": timezone.localdate().isoformat(),
        "join_mode": "application",
        "priority": "10",
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_staff_edit_a_programme_budget_in_euros_and_cents_are_stored(staff_client):
    programme = FundingProgrammeFactory(
        organisation=OrganisationFactory(kind=Organisation.Kind.FUND), budget_cents=25_000_00
    )
    url = f"/admin/funding_programmes/edit/{programme.pk}/"

    form = staff_client.get(url).content.decode()
    assert 'value="25.000"' in form

    response = staff_client.post(url, _programme_data(programme, budget_cents="30.000,50"))

    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.budget_cents == 30_000_50
    listing = staff_client.get("/admin/funding_programmes/").content.decode()
    assert "€\xa030.000,50" in listing or "€ 30.000,50" in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Vul een bedrag in euro's in, bijvoorbeeld 250 of 12,50."),
        ("-100", "Het bedrag kan niet negatief zijn."),
        ("100,555", "Een bedrag heeft hoogstens twee decimalen (centen)."),
        ("100.000.000,01", "Het bedrag mag hoogstens € 100.000.000 zijn."),
    ],
)
def test_bad_programme_budgets_get_a_clear_message_and_nothing_is_saved(
    staff_client, typed, message
):
    programme = FundingProgrammeFactory(budget_cents=25_000_00)
    response = staff_client.post(
        f"/admin/funding_programmes/edit/{programme.pk}/",
        _programme_data(programme, budget_cents=typed),
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["budget_cents"])
    assert message in errors.replace("\xa0", " ")
    programme.refresh_from_db()
    assert programme.budget_cents == 25_000_00
    assert FundingProgramme.objects.count() == 1


@pytest.mark.django_db
def test_the_volunteer_hour_value_is_set_in_euros(staff_client):
    site = site_tree()[0].get_site()
    url = f"/admin/settings/cms/platformsettings/{site.pk}/"
    assert 'value="15"' in staff_client.get(url).content.decode()
    data = {
        "tagline": "Begin bij wat de wijk al heeft.",
        "contact_email": "",
        "volunteer_hour_value_cents": "17,50",
        "footer_links-count": "0",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PlatformSettings.for_site(site).volunteer_hour_value_cents == 17_50


@pytest.mark.django_db
def test_the_initiative_page_form_shows_the_goal_and_budget_lines_in_euros(staff_client):
    campaign = make_initiative(site_tree()[2], goal_cents=1_250_00)
    form_class = InitiativePage.get_edit_handler().get_form_class()
    assert isinstance(form_class.base_fields["goal_cents"], EuroCentsField)
    line_form = form_class.formsets["budget_lines"].form
    assert isinstance(line_form.base_fields["amount_cents"], EuroCentsField)
    assert form_class.base_fields["goal_cents"].max_cents == 250_000_00

    html = staff_client.get(f"/admin/pages/{campaign.page_id}/edit/").content.decode()
    assert 'name="goal_cents"' in html and 'value="1.250"' in html


@pytest.mark.django_db
def test_the_inspect_view_shows_a_programme_budget_in_euros(staff_client):
    programme = FundingProgrammeFactory(budget_cents=25_000_50)
    assert programme.get_budget_cents_display() == "€\xa025.000,50"
    html = staff_client.get(f"/admin/funding_programmes/inspect/{programme.pk}/").content.decode()
    assert "€\xa025.000,50" in html or "€ 25.000,50" in html
    assert "2500050" not in html
