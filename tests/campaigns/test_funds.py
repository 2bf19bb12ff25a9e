"""Programmes from the front end: who sees and decides what, what donors are told."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Organisation
from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, FundingProgramme, ProgrammeApplication
from campaigns.services.programmes import NotAllowed, decide_application, save_programme
from tests.factories import (
    FundingProgrammeFactory,
    OrganisationFactory,
    UserFactory,
    approve_programme,
    make_initiative,
    pay,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return site_tree()


@pytest.fixture
def fund():
    organisation = OrganisationFactory(
        kind=Organisation.Kind.MUNICIPALITY, name="Gemeente Gouda", slug="gemeente-gouda"
    )
    admin, member = UserFactory(), UserFactory()
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    Membership.objects.create(organisation=organisation, user=member, role=Membership.Role.MEMBER)
    return organisation, admin, member


def test_an_initiator_applies_and_a_member_approves_with_a_note(client, tree, fund):
    organisation, _admin, member = fund
    programme = FundingProgrammeFactory(organisation=organisation, name="Gouds Wijkfonds")
    campaign = make_initiative(tree[2], status=Campaign.Status.DRAFT)
    client.force_login(campaign.initiators.get())

    page = client.get(f"/programmes/apply/{campaign.page_id}/")
    assert "Gouds Wijkfonds" in page.content.decode().replace("\xa0", " ")
    response = client.post(
        f"/programmes/apply/{campaign.page_id}/",
        {"programme": programme.pk, "motivation": "Voor de hele straat"},
    )
    assert response.status_code == 302
    application = ProgrammeApplication.objects.get()
    assert application.status == ProgrammeApplication.Status.APPLIED

    client.force_login(member)
    dashboard = client.get(f"/programmes/fund/{organisation.slug}/")
    assert dashboard.status_code == 200
    assert "Voor de hele straat" in dashboard.content.decode().replace("\xa0", " ")
    response = client.post(
        f"/programmes/applications/{application.pk}/decide/",
        {"decision": "approve", "note": "Mooi plan"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("approved", "Mooi plan")
    assert AuditEntry.objects.filter(
        action=Action.APPLICATION_APPROVED, object_id=str(application.pk), actor=member
    ).exists()


def test_only_the_funds_members_see_and_decide_its_applications(client, tree, fund):
    organisation, _admin, _member = fund
    programme = FundingProgrammeFactory(organisation=organisation)
    campaign = make_initiative(tree[2])
    application = ProgrammeApplication.objects.create(programme=programme, campaign=campaign)
    outsider = UserFactory()
    Membership.objects.create(
        organisation=OrganisationFactory(kind=Organisation.Kind.FUND),
        user=outsider,
        role=Membership.Role.ADMIN,
    )
    client.force_login(outsider)

    assert client.get(f"/programmes/fund/{organisation.slug}/").status_code == 403
    response = client.post(
        f"/programmes/applications/{application.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        decide_application(application=application, user=outsider, approve=True)
    application.refresh_from_db()
    assert application.status == ProgrammeApplication.Status.APPLIED


def test_only_the_funds_admins_manage_programmes(client, fund):
    organisation, admin, member = fund
    form = {
        "name": "Gouds Wijkfonds",
        "budget": "25.000",
        "match_per_euro": "0,50",
        "cap_per_initiative": "1000",
        "min_donors": "0",
        "opens_on": timezone.localdate().isoformat(),
        "join_mode": "application",
        "counts_toward_goal": "on",
        "priority": "10",
        "categories": ["green", "play"],
    }
    client.force_login(member)
    assert client.post(f"/programmes/fund/{organisation.slug}/new/", form).status_code == 403
    with pytest.raises(NotAllowed):
        save_programme(
            programme=FundingProgramme(
                organisation=organisation,
                name="x",
                slug="x",
                budget_cents=1,
                cap_per_initiative_cents=1,
                opens_on=timezone.localdate(),
            ),
            user=member,
        )
    assert not FundingProgramme.objects.exists()

    client.force_login(admin)
    response = client.post(f"/programmes/fund/{organisation.slug}/new/", form)
    assert response.status_code == 302, response.content.decode().replace("\xa0", " ")
    programme = FundingProgramme.objects.get()
    assert (programme.budget_cents, programme.cap_per_initiative_cents) == (25_000_00, 1_000_00)
    assert (programme.match_numerator, programme.match_denominator) == (1, 2)
    assert programme.categories == ["green", "play"]


def test_a_bad_programme_form_says_what_is_wrong_in_both_languages(client, fund):
    organisation, admin, _member = fund
    client.force_login(admin)
    form = {
        "name": "X",
        "budget": "abc",
        "match_per_euro": "1",
        "cap_per_initiative": "10",
        "min_donors": "0",
        "opens_on": "2026-01-10",
        "closes_on": "2026-01-01",
        "join_mode": "automatic",
        "priority": "1",
    }
    response = client.post(f"/programmes/fund/{organisation.slug}/new/", form)
    assert response.status_code == 400
    html = response.content.decode().replace("\xa0", " ")
    assert "bijvoorbeeld 250 of 12,50" in html
    assert "Een programma kan niet sluiten voordat het opent." in html
    response = client.post(f"/en/programmes/fund/{organisation.slug}/new/", form)
    assert "A programme cannot close before it opens." in response.content.decode().replace(
        "\xa0", " "
    )


def test_the_initiative_page_says_what_a_donation_is_worth_and_shows_the_split(client, tree):
    campaign = make_initiative(tree[2], goal_cents=10_000_00)
    programme = FundingProgrammeFactory(name="Gouds Wijkfonds", budget_cents=1_250_00)
    approve_programme(campaign, programme)
    pay(campaign, 10_00)

    html = client.get(campaign.page.url).content.decode().replace("\xa0", " ")
    assert (
        "Gouds Wijkfonds verdubbelt je gift: € 10 wordt € 20; € 1.240 aan verdubbeling over."
        in html
    )
    assert "€ 10 van 1 buurtbewoner" in html
    assert "€ 10 verdubbeld door" in html

    donate = (
        client.get(f"/en/initiatives/{campaign.page_id}/donate/")
        .content.decode()
        .replace("\xa0", " ")
    )
    assert "Gouds Wijkfonds doubles your donation: €10 becomes €20; €1,240 of match left." in donate


def test_the_page_says_when_the_match_has_run_out(client, tree):
    campaign = make_initiative(tree[2], goal_cents=10_000_00)
    programme = FundingProgrammeFactory(name="Gouds Wijkfonds", budget_cents=10_00)
    approve_programme(campaign, programme)
    client.force_login(UserFactory())
    url = f"/en{campaign.page.url}"
    before = client.get(url).content.decode().replace("\xa0", " ")
    assert "€10 of match left" in before

    pay(campaign, 10_00)

    html = client.get(url).content.decode().replace("\xa0", " ")
    assert "The match of Gouds Wijkfonds has run out" in html
    assert "€10 doubled by" in html  # the cached split followed the new match


def test_an_automatic_programme_joins_eligible_initiatives_when_they_go_live(tree):
    home, city, neighbourhood = tree
    automatic = FundingProgrammeFactory(join_mode=FundingProgramme.JoinMode.AUTOMATIC)
    automatic.places.add(city)
    elsewhere = FundingProgrammeFactory(
        join_mode=FundingProgramme.JoinMode.AUTOMATIC, categories=["green"]
    )
    campaign = make_initiative(neighbourhood, category="repair")

    application = ProgrammeApplication.objects.get(campaign=campaign)
    assert (application.programme, application.status) == (automatic, "approved")
    assert not ProgrammeApplication.objects.filter(programme=elsewhere).exists()


def test_city_and_neighbourhood_pages_list_open_programmes(client, tree):
    _home, city, neighbourhood = tree
    open_one = FundingProgrammeFactory(name="Gouds Wijkfonds")
    open_one.places.add(city)
    FundingProgrammeFactory(
        name="Oud fonds",
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
        opens_on=timezone.localdate() - datetime.timedelta(days=9),
    )
    for url in (city.url, neighbourhood.url):
        html = client.get(url).content.decode().replace("\xa0", " ")
        assert "Gouds Wijkfonds" in html
        assert "Oud fonds" not in html
    assert client.get(open_one.get_absolute_url()).status_code == 200


def test_the_dashboard_exports_safe_csv(client, tree, fund):
    organisation, _admin, member = fund
    programme = FundingProgrammeFactory(organisation=organisation, name="=SUM(A1)")
    campaign = make_initiative(tree[2])
    approve_programme(campaign, programme)
    pay(campaign, 30_00)
    client.force_login(member)

    response = client.get(f"/programmes/fund/{organisation.slug}/{programme.pk}/export.csv")

    lines = response.content.decode().replace("\xa0", " ").splitlines()
    assert lines[0] == "programme,initiative,budget,reserved,committed,paid_out,remaining"
    assert lines[1] == "'=SUM(A1),,2500000,3000,0,0,2497000"
    assert lines[2].endswith(",500000,3000,0,0,497000")


def test_staff_manage_programmes_and_decide_applications_in_the_wagtail_admin(client, tree):
    from tests.factories import moderator

    programme = FundingProgrammeFactory(name="Gouds Wijkfonds")
    campaign = make_initiative(tree[2])
    application = ProgrammeApplication.objects.create(programme=programme, campaign=campaign)
    staff = moderator(is_superuser=True)
    client.force_login(staff)

    assert "Gouds Wijkfonds" in client.get("/admin/funding_programmes/").content.decode()
    listing = client.get("/admin/programme_applications/").content.decode()
    assert f"/admin/co-funding/applications/{application.pk}/decide/" in listing
    response = client.post(
        f"/admin/co-funding/applications/{application.pk}/decide/",
        {"decision": "decline", "note": "Buiten ons gebied"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("declined", "Buiten ons gebied")
    assert AuditEntry.objects.filter(
        action=Action.APPLICATION_DECLINED, object_id=str(application.pk), actor=staff
    ).exists()
    # The generic edit form never reaches the running totals.
    client.post(f"/admin/programme_applications/edit/{application.pk}/", {"status": "approved"})
    application.refresh_from_db()
    assert application.status == "declined"


def test_staff_create_a_programme_in_the_wagtail_admin_through_the_service(client, tree, fund):
    from tests.factories import moderator

    organisation, _admin, _member = fund
    client.force_login(moderator(is_superuser=True))
    response = client.post(
        "/admin/funding_programmes/new/",
        {
            "organisation": organisation.pk,
            "name": "Gouds Wijkfonds",
            "slug": "gouds-wijkfonds",
            "currency": "EUR",
            "budget_cents": "25.000",
            "match_numerator": "1",
            "match_denominator": "1",
            "cap_per_initiative_cents": "5000",
            "places": [tree[1].pk],
            "categories": "[]",
            "min_donors": "0",
            "opens_on": timezone.localdate().isoformat(),
            "join_mode": "automatic",
            "counts_toward_goal": "on",
            "priority": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = FundingProgramme.objects.get()
    assert (programme.budget_cents, programme.cap_per_initiative_cents) == (25_000_00, 5_000_00)
    assert list(programme.places.all()) == [tree[1].page_ptr]
    assert AuditEntry.objects.filter(
        action=Action.PROGRAMME_SAVED, object_id=str(programme.pk)
    ).exists()


def test_the_page_says_how_many_donors_the_match_waits_for(client, tree):
    campaign = make_initiative(tree[2])
    approve_programme(campaign, FundingProgrammeFactory(name="Gouds Wijkfonds", min_donors=5))

    html = client.get(f"/en{campaign.page.url}").content.decode()

    assert "Gouds Wijkfonds starts matching once 5 neighbours have given." in html


def test_an_initiative_cannot_apply_to_a_programme_it_does_not_fit_or_that_is_closed(tree):
    from campaigns.services.programmes import (
        NotEligible,
        ProgrammeClosed,
        apply_to_programme,
    )

    campaign = make_initiative(tree[2], category="repair")
    initiator = campaign.initiators.get()
    green = FundingProgrammeFactory(categories=["green"])
    small = FundingProgrammeFactory(max_goal_cents=500_00)
    closed = FundingProgrammeFactory(
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    for programme, error in ((green, NotEligible), (small, NotEligible), (closed, ProgrammeClosed)):
        with pytest.raises(error):
            apply_to_programme(campaign=campaign, programme=programme, user=initiator)
    with pytest.raises(NotAllowed):
        apply_to_programme(
            campaign=campaign, programme=FundingProgrammeFactory(), user=UserFactory()
        )
    assert not ProgrammeApplication.objects.exists()
