"""Deleting tasks, offers, sign-ups and users un-counts the support they carried."""

import pytest

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign
from campaigns.services import ledger_totals
from tasks import services
from tasks.models import Offer, SignUp, Task
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


def task_formset(campaign, task, delete=True):
    from tasks.forms import TaskFormSet

    data = {
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "1",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "50",
        "tasks-0-id": str(task.pk),
        "tasks-0-title": task.title,
        "tasks-0-kind": task.kind,
        "tasks-0-people_needed": str(task.people_needed),
    }
    if delete:
        data["tasks-0-DELETE"] = "on"
    formset = TaskFormSet(
        data, prefix="tasks", queryset=Task.objects.filter(initiative=campaign.page)
    )
    assert formset.is_valid(), formset.errors
    return formset


def assert_totals_match_ledger(campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
    return campaign


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2])


def test_deleting_a_task_through_the_initiative_form_uncounts_its_helpers(campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=3)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    helper, giver = UserFactory(), UserFactory()
    services.sign_up(task=task, user=helper)
    offer = services.make_offer(task=space, user=giver, kind=Task.Kind.SPACE, description="Zaal")
    initiator = campaign.initiators.get()
    services.decide_offer(offer=offer, accept=True, user=initiator)
    assert assert_totals_match_ledger(campaign).supporter_count == 2

    services.save_task_edits(
        initiative=campaign.page, user=initiator, formset=task_formset(campaign, task)
    )
    services.save_task_edits(
        initiative=campaign.page, user=initiator, formset=task_formset(campaign, space)
    )

    assert not Task.objects.filter(pk__in=[task.pk, space.pk]).exists()
    assert assert_totals_match_ledger(campaign).supporter_count == 0


def test_delete_task_withdraws_helpers_and_offers_through_their_transitions(campaign):
    from django.core import mail

    task = TaskFactory(initiative=campaign.page, people_needed=3)
    initiator = campaign.initiators.get()
    helper, finished = UserFactory(), UserFactory()
    signed_up = services.sign_up(task=task, user=helper)
    done = services.sign_up(task=task, user=finished)
    services.confirm_hours(signup=done, hours="2", user=initiator)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=2)
    accepted = services.make_offer(
        task=space, user=UserFactory(), kind=Task.Kind.SPACE, description="Zaal"
    )
    services.decide_offer(offer=accepted, accept=True, user=initiator)
    pending = services.make_offer(
        task=space, user=UserFactory(), kind=Task.Kind.SPACE, description="Schuur"
    )
    assert assert_totals_match_ledger(campaign).supporter_count == 3
    mail.outbox.clear()

    services.delete_task(task=task, user=initiator)
    services.delete_task(task=space, user=initiator)

    assert not Task.objects.filter(pk__in=[task.pk, space.pk]).exists()
    assert not SignUp.objects.filter(pk__in=[signed_up.pk, done.pk]).exists()
    assert not Offer.objects.filter(pk__in=[accepted.pk, pending.pk]).exists()
    assert assert_totals_match_ledger(campaign).supporter_count == 0
    released = AuditEntry.objects.filter(
        action__in=[Action.SIGNUP_RELEASED, Action.OFFER_RELEASED]
    ).values_list("object_type", "object_id", "from_state", "to_state")
    assert set(released) == {
        ("tasks.signup", str(signed_up.pk), "signed_up", "withdrawn"),
        ("tasks.signup", str(done.pk), "done", "withdrawn"),
        ("tasks.offer", str(accepted.pk), "accepted", "withdrawn"),
        ("tasks.offer", str(pending.pk), "offered", "withdrawn"),
    }
    assert AuditEntry.objects.filter(action=Action.TASK_DELETED).count() == 2


def test_a_helper_who_also_donated_stays_counted_when_the_task_goes(campaign):
    from campaigns.services.totals import recount_totals
    from tests.factories import PledgeFactory

    task = TaskFactory(initiative=campaign.page)
    helper = UserFactory()
    PledgeFactory(campaign=campaign, donor=helper, guest_email="")
    recount_totals(campaign=campaign)
    services.sign_up(task=task, user=helper)

    services.delete_task(task=task, user=campaign.initiators.get())

    assert assert_totals_match_ledger(campaign).supporter_count == 1


def test_editing_tasks_in_the_form_keeps_a_status_set_meanwhile(campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=2)
    formset = task_formset(campaign, task, delete=False)
    services.sign_up(task=task, user=UserFactory())
    services.sign_up(task=task, user=UserFactory())

    services.save_task_edits(
        initiative=campaign.page, user=campaign.initiators.get(), formset=formset
    )

    task.refresh_from_db()
    assert task.status == Task.Status.FULL


def test_lowering_the_need_in_the_form_fills_the_task(campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=3)
    services.sign_up(task=task, user=UserFactory())
    task.people_needed = 1
    formset = task_formset(campaign, task, delete=False)

    services.save_task_edits(
        initiative=campaign.page, user=campaign.initiators.get(), formset=formset
    )

    task.refresh_from_db()
    assert (task.people_needed, task.status) == (1, Task.Status.FULL)


def test_release_user_support_uncounts_everything_a_person_gives(campaign):
    from accounts.models import Membership
    from tests.factories import OrganisationFactory

    other = make_initiative(site_tree()[2], title="Moestuin")
    initiator = campaign.initiators.get()
    person = UserFactory()
    organisation = OrganisationFactory()
    Membership.objects.create(organisation=organisation, user=person)
    hands = TaskFactory(initiative=campaign.page, people_needed=1)
    services.sign_up(task=hands, user=person)
    elsewhere = TaskFactory(initiative=other.page)
    services.sign_up(task=elsewhere, user=person)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    by_org = services.make_offer(
        task=space,
        user=person,
        organisation=organisation,
        kind=Task.Kind.SPACE,
        description="Kantine",
    )
    services.decide_offer(offer=by_org, accept=True, user=initiator)
    standing = services.list_standing_offer(
        neighbourhood=site_tree()[2],
        user=person,
        kind=Offer.Kind.SKILL,
        description="Fietsen repareren",
    )
    stays = UserFactory()
    services.sign_up(task=elsewhere, user=stays)
    assert assert_totals_match_ledger(campaign).supporter_count == 2
    assert assert_totals_match_ledger(other).supporter_count == 2

    services.release_user_support(person)

    assert assert_totals_match_ledger(campaign).supporter_count == 0
    assert assert_totals_match_ledger(other).supporter_count == 1
    assert not SignUp.objects.filter(user=person, status__in=SignUp.ACTIVE_STATUSES).exists()
    assert set(Offer.objects.filter(user=person).values_list("status", flat=True)) == {
        Offer.Status.WITHDRAWN
    }
    standing.refresh_from_db()
    assert standing.is_withdrawn
    hands.refresh_from_db()
    space.refresh_from_db()
    assert hands.is_open and space.is_open

    person.delete()
    assert_totals_match_ledger(campaign)
    assert_totals_match_ledger(other)


def test_delete_signup_and_delete_offer_uncount_and_free_the_place(campaign):
    initiator = campaign.initiators.get()
    task = TaskFactory(initiative=campaign.page, people_needed=1)
    signup = services.sign_up(task=task, user=UserFactory())
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    offer = services.make_offer(
        task=space, user=UserFactory(), kind=Task.Kind.SPACE, description="Zaal"
    )
    services.decide_offer(offer=offer, accept=True, user=initiator)
    assert assert_totals_match_ledger(campaign).supporter_count == 2

    services.delete_signup(signup=signup)
    services.delete_offer(offer=offer)

    assert assert_totals_match_ledger(campaign).supporter_count == 0
    task.refresh_from_db()
    space.refresh_from_db()
    assert task.is_open and space.is_open


def test_deleting_a_user_any_way_uncounts_their_help(campaign):
    task = TaskFactory(initiative=campaign.page, people_needed=1)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=1)
    person = UserFactory()
    services.sign_up(task=task, user=person)
    offer = services.make_offer(task=space, user=person, kind=Task.Kind.SPACE, description="Zaal")
    services.decide_offer(offer=offer, accept=True, user=campaign.initiators.get())
    assert assert_totals_match_ledger(campaign).supporter_count == 1

    person.delete()

    assert assert_totals_match_ledger(campaign).supporter_count == 0
    task.refresh_from_db()
    space.refresh_from_db()
    assert task.is_open and space.is_open
