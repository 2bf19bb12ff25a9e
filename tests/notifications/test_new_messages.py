"""Events that used to fire into nothing now reach someone: a requested standing offer,
a withdrawn sign-up, a cancelled campaign."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership
from campaigns.events import CampaignCancelled
from campaigns.models import DigestItem
from campaigns.services import updates as update_services
from core.events import announce
from notifications.jobs import send_digests
from tasks import services as task_services
from tasks.models import Task
from tests.factories import (
    OrganisationFactory,
    PledgeFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


@pytest.fixture
def campaign(neighbourhood):
    return make_initiative(neighbourhood, title="Repair Café", goal_cents=100_00)


def inbox(email):
    return [message for message in mail.outbox if message.to == [email]]


def standing_offer(neighbourhood, user, organisation=None):
    return task_services.list_standing_offer(
        neighbourhood=neighbourhood,
        user=user,
        organisation=organisation,
        kind=Task.Kind.SPACE,
        description="De achterzaal op zaterdag",
    )


def test_an_organisation_hears_when_its_standing_offer_is_requested(
    run_on_commit, neighbourhood, campaign
):
    baker, colleague = UserFactory(preferred_language="en"), UserFactory(preferred_language="nl")
    organisation = OrganisationFactory(name="Bakkerij De Korenschoof")
    Membership.objects.create(organisation=organisation, user=baker, role=Membership.Role.ADMIN)
    Membership.objects.create(organisation=organisation, user=colleague, role=Membership.Role.ADMIN)
    member = UserFactory()  # only admins may agree, so only they are asked
    Membership.objects.create(organisation=organisation, user=member)
    offer = standing_offer(neighbourhood, member, organisation)
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, title="Een zaal")
    initiator = campaign.initiators.get()
    mail.outbox.clear()

    run_on_commit(
        task_services.request_standing_offer, task=task, standing_offer=offer, user=initiator
    )

    (english,) = inbox(baker.email)
    assert english.subject == "Repair Café asks for your offer"
    assert "De achterzaal op zaterdag" in english.body and "Een zaal" in english.body
    (dutch,) = inbox(colleague.email)
    assert dutch.subject == "Repair Café vraagt om jullie aanbod"
    assert inbox(initiator.email) == inbox(member.email) == []


def test_a_standing_offer_of_a_person_is_told_to_that_person(
    run_on_commit, neighbourhood, campaign
):
    owner = UserFactory(preferred_language="en")
    offer = standing_offer(neighbourhood, owner)
    task = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, title="Een zaal")
    mail.outbox.clear()

    run_on_commit(
        task_services.request_standing_offer,
        task=task,
        standing_offer=offer,
        user=campaign.initiators.get(),
    )

    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_withdrawal_is_confirmed_with_a_calendar_cancellation_and_reaches_the_digest(
    run_on_commit, campaign
):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    task = TaskFactory(initiative=campaign.page, title="Koffie schenken", starts_at=starts)
    helper = UserFactory(preferred_language="en", first_name="Samira", last_name="")
    signup = task_services.sign_up(task=task, user=helper)
    mail.outbox.clear()

    run_on_commit(task_services.withdraw, signup=signup, user=helper)

    (message,) = inbox(helper.email)
    assert message.subject == "You are no longer signed up for “Koffie schenken”"
    _name, content, _mimetype = message.attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar.get("METHOD")) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event.get("STATUS")) == "CANCELLED"
    assert str(event.get("UID")) == f"task-{task.pk}@wijkkapitaal"

    assert DigestItem.objects.filter(kind=DigestItem.Kind.WITHDRAWAL).count() == 1
    mail.outbox.clear()
    send_digests()
    (digest,) = inbox(campaign.initiators.get().email)
    assert f"Afmelding: {helper.public_name}: Koffie schenken" in digest.body


def test_a_withdrawal_confirmation_is_not_sent_after_signing_up_again(
    campaign, django_capture_on_commit_callbacks
):
    from core.jobs import sweep_announcements
    from core.models import Announcement

    task = TaskFactory(initiative=campaign.page, title="Koffie schenken")
    helper = UserFactory()
    signup = task_services.sign_up(task=task, user=helper)
    task_services.withdraw(signup=signup, user=helper)
    task_services.sign_up(task=task, user=helper)
    Announcement.objects.exclude(name="signup.withdrawn").delete()
    mail.outbox.clear()

    assert sweep_announcements(now=timezone.now() + datetime.timedelta(minutes=1)) == 1

    assert mail.outbox == []
    assert Announcement.objects.get().delivered_at is not None


def test_a_cancelled_campaign_tells_donors_helpers_and_followers(run_on_commit, campaign):
    donor = PledgeFactory(campaign=campaign, guest_email="gever@example.nl", language="en")
    helper, follower, stranger = (UserFactory(preferred_language="en") for _ in range(3))
    task_services.sign_up(task=TaskFactory(initiative=campaign.page), user=helper)
    update_services.set_following(campaign=campaign, user=follower, follow=True)
    mail.outbox.clear()

    run_on_commit(announce, CampaignCancelled(campaign_id=campaign.pk))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [donor.guest_email, helper.email, follower.email]
    )
    assert {m.subject for m in mail.outbox} == {"Repair Café has been cancelled"}
    assert "refunded automatically" in mail.outbox[0].body
    assert inbox(stranger.email) == []
