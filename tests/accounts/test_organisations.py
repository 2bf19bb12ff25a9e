"""Organisations: roles, invitations tied to an address, one KvK number each, verification."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organisation
from campaigns.audit import Action
from campaigns.models import AuditEntry
from campaigns.services.organisations import verify_organisation
from core.errors import ServiceError
from tasks import services as task_services
from tests.factories import OrganisationFactory, UserFactory, moderator, site_tree

pytestmark = pytest.mark.django_db


def organisation_data(**overrides):
    data = {
        "kind": "business",
        "name": "Bakkerij De Korst",
        "kvk_number": "",
        "address": "",
        "neighbourhood": "",
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_and_organisation():
    admin = UserFactory()
    organisation = OrganisationFactory(kvk_number="12345678")
    Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    return admin, organisation


@pytest.fixture
def invitation(admin_and_organisation):
    admin, organisation = admin_and_organisation
    return services.invite_member(
        organisation=organisation, email="Collega@Example.nl", invited_by=admin
    )


def test_the_creator_becomes_admin_and_invitees_join_as_members(client, invitation):
    creator = UserFactory()
    client.force_login(creator)
    client.post("/organisations/new/", organisation_data(name="Fietsenmaker"))
    created = Organisation.objects.get(name="Fietsenmaker")
    assert created.membership_set.get().role == Membership.Role.ADMIN

    newcomer = UserFactory(email="collega@example.nl")
    client.force_login(newcomer)
    response = client.post(f"/organisations/invitation/{invitation.token}/")
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == Membership.Role.MEMBER


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("/en", "This invitation was sent to another e-mail address"),
        ("", "Deze uitnodiging is naar een ander e-mailadres gestuurd"),
    ],
)
def test_someone_with_another_address_gets_a_clear_403(client, invitation, prefix, message):
    stranger = UserFactory(email="iemand-anders@example.nl")
    EmailAddress.objects.create(user=stranger, email="collega@example.nl", verified=False)
    client.force_login(stranger)

    shown = client.get(f"{prefix}/organisations/invitation/{invitation.token}/")
    accepted = client.post(f"{prefix}/organisations/invitation/{invitation.token}/")

    for response in (shown, accepted):
        assert response.status_code == 403
        assert message in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_verified_second_address_may_accept(client, invitation):
    user = UserFactory(email="prive@example.nl")
    EmailAddress.objects.create(user=user, email="collega@example.nl", verified=True)
    client.force_login(user)
    response = client.post(f"/organisations/invitation/{invitation.token}/")
    assert response.status_code == 302
    assert invitation.organisation.members.filter(pk=user.pk).exists()


@pytest.mark.parametrize(
    ("prefix", "heading"), [("/en", "Invitation expired"), ("", "Uitnodiging verlopen")]
)
def test_an_invitation_expires_after_seven_days(client, invitation, prefix, heading):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    client.force_login(UserFactory(email="collega@example.nl"))

    shown = client.get(f"{prefix}/organisations/invitation/{invitation.token}/")
    accepted = client.post(f"{prefix}/organisations/invitation/{invitation.token}/")

    for response in (shown, accepted):
        assert response.status_code == 410
        assert heading in response.content.decode()
    assert invitation.organisation.membership_set.count() == 1


def test_an_invitation_is_used_once(client, invitation):
    invited = UserFactory(email="collega@example.nl")
    client.force_login(invited)
    client.post(f"/organisations/invitation/{invitation.token}/")
    Membership.objects.filter(user=invited).delete()  # removed from the organisation since

    again = client.post(f"/en/organisations/invitation/{invitation.token}/")

    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert not Membership.objects.filter(user=invited).exists()


def test_members_may_not_invite_through_the_service(admin_and_organisation):
    _, organisation = admin_and_organisation
    member = UserFactory()
    Membership.objects.create(organisation=organisation, user=member)
    with pytest.raises(ServiceError):
        services.invite_member(organisation=organisation, email="x@example.nl", invited_by=member)
    assert not Invitation.objects.exists()


def test_a_kvk_number_belongs_to_one_organisation(client, admin_and_organisation):
    client.force_login(UserFactory())
    response = client.post(
        "/en/organisations/new/", organisation_data(name="Bakkerij Kopie", kvk_number="1234.56 78")
    )
    assert response.status_code == 400
    assert "already belongs to an organisation" in " ".join(
        response.context["form"].errors["kvk_number"]
    )
    assert not Organisation.objects.filter(name="Bakkerij Kopie").exists()


def test_the_database_refuses_a_second_organisation_with_one_kvk_number(admin_and_organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(kvk_number="12345678")
    OrganisationFactory(kvk_number="")
    OrganisationFactory(kvk_number="")  # many organisations have no number


def verified_badge(html):
    return 'class="badge-verified"' in html


def test_verified_only_after_a_moderator_checked_it(client, admin_and_organisation):
    admin, organisation = admin_and_organisation
    _, _, neighbourhood = site_tree()
    task_services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=admin,
        organisation=organisation,
        kind="space",
        description="Onze achterzaal",
    )
    profile = f"/en/organisations/{organisation.slug}/"
    assert not verified_badge(client.get(profile).content.decode())
    assert not verified_badge(client.get(neighbourhood.url).content.decode())

    client.force_login(admin)
    assert client.get("/admin/organisations/kvk/").status_code in (302, 403)
    checker = moderator()
    checker.is_staff = True
    checker.save()
    client.force_login(checker)
    listing = client.get("/admin/organisations/kvk/")
    assert organisation.name in listing.content.decode()
    client.post("/admin/organisations/kvk/", {"organisation": organisation.pk, "action": "verify"})

    organisation.refresh_from_db()
    assert organisation.verified_by == checker and organisation.is_verified
    entry = AuditEntry.objects.get(action=Action.ORGANISATION_VERIFIED)
    assert (entry.actor, entry.object_id, entry.data["kvk_number"]) == (
        checker,
        str(organisation.pk),
        "12345678",
    )
    client.logout()
    assert verified_badge(client.get(profile).content.decode())
    assert verified_badge(client.get(neighbourhood.url).content.decode())


def test_only_moderators_verify_and_a_changed_number_needs_checking_again(
    client, admin_and_organisation
):
    admin, organisation = admin_and_organisation
    with pytest.raises(ServiceError):
        verify_organisation(organisation=organisation, moderator=admin)
    verify_organisation(organisation=organisation, moderator=moderator())

    client.force_login(admin)
    client.post(
        f"/organisations/{organisation.slug}/edit/",
        organisation_data(name=organisation.name, kvk_number="87654321"),
    )

    organisation.refresh_from_db()
    assert organisation.kvk_number == "87654321"
    assert not organisation.is_verified
