"""A guest who signs up and verifies the same address sees their earlier donations."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.utils import timezone

from accounts.models import User
from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, Follow, Pledge
from campaigns.services import ledger_totals, recount_totals
from campaigns.services.guest_pledges import attach_guest_pledges
from campaigns.services.retention import _forget_guest_emails_of
from tests.factories import (
    PledgeFactory,
    SignUpFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Zonnebloem-2026!"


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Buurtmoestuin")


def sign_up(client, email):
    client.post(
        "/en/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Buur"},
    )
    return User.objects.get(email__iexact=email)


def confirm_link():
    return re.search(r"https?://[^/\s]+(/\S*accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]


def my_donations(client, user):
    client.force_login(user)
    return client.get("/en/donations/mine/").content.decode()


def test_guest_donations_show_in_my_donations_once_the_same_address_is_verified(client, campaign):
    pledge = PledgeFactory(
        campaign=campaign, guest_email="Buur.Els@Example.nl", amount_cents=42_00, wants_updates=True
    )
    recount_totals(campaign=campaign)

    user = sign_up(client, "buur.els@example.nl")  # another case, same address

    pledge.refresh_from_db()
    assert pledge.donor is None  # signed up, not yet verified: nothing is claimed
    assert "Buurtmoestuin" not in my_donations(client, user)
    client.logout()

    assert client.post(confirm_link()).status_code == 302

    pledge.refresh_from_db()
    assert pledge.donor == user and pledge.guest_email == ""
    page = my_donations(client, user)
    assert "Buurtmoestuin" in page and "€42" in page
    entry = AuditEntry.objects.get(action=Action.PLEDGE_ATTACHED_TO_ACCOUNT)
    assert (entry.object_id, entry.actor, entry.amount_cents) == (str(pledge.pk), user, 42_00)
    assert Follow.objects.filter(user=user, campaign=campaign).exists()  # ticked the box
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)


def test_an_unverified_address_claims_nothing_even_when_the_signal_fires(campaign):
    PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    intruder = UserFactory()
    address = EmailAddress.objects.create(user=intruder, email="els@example.nl", verified=False)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert not Pledge.objects.filter(donor=intruder).exists()
    assert not AuditEntry.objects.filter(action=Action.PLEDGE_ATTACHED_TO_ACCOUNT).exists()


def test_donations_attached_to_one_account_are_not_claimable_by_another(campaign):
    owner, other = UserFactory(), UserFactory()
    PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    PledgeFactory(campaign=campaign, donor=owner, guest_email="")

    assert attach_guest_pledges(user=owner, email="els@example.nl") == 1
    assert attach_guest_pledges(user=other, email="ELS@example.nl") == 0
    assert attach_guest_pledges(user=other, email=owner.email) == 0

    assert Pledge.objects.filter(donor=owner).count() == 2
    assert not Pledge.objects.filter(donor=other).exists()


def test_confirming_twice_attaches_once_with_one_audit_entry(campaign):
    user = UserFactory(email="els@example.nl")
    PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    PledgeFactory(campaign=campaign, guest_email="els@example.nl", status="pending", paid_at=None)
    address = user.emailaddress_set.get()

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert Pledge.objects.filter(donor=user).count() == 2
    assert AuditEntry.objects.filter(action=Action.PLEDGE_ATTACHED_TO_ACCOUNT).count() == 2
    assert attach_guest_pledges(user=user, email="els@example.nl") == 0


def test_a_guest_who_also_helped_with_the_account_then_counts_once(campaign):
    user = UserFactory(email="els@example.nl")
    PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    SignUpFactory(task=TaskFactory(initiative=campaign.page), user=user)
    campaign = recount_totals(campaign=campaign)
    assert campaign.supporter_count == 2  # the address and the account, not yet known as one

    attach_guest_pledges(user=user, email="els@example.nl")

    campaign.refresh_from_db()
    assert campaign.supporter_count == 1
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)


def test_an_address_the_retention_job_forgot_claims_nothing(campaign):
    PledgeFactory(campaign=campaign, guest_email="els@example.nl")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SUCCEEDED)
    _forget_guest_emails_of(campaign.pk, timezone.now())
    user = UserFactory(email="els@example.nl")

    assert attach_guest_pledges(user=user, email="els@example.nl") == 0
    assert not Pledge.objects.filter(donor=user).exists()
