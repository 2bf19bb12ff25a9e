"""Signing up for tasks: places are never over-filled, whatever the concurrency."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import ledger_totals
from tasks import services
from tasks.models import SignUp, Task
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree


def run_in_threads(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = ("ok", function())
        except Exception as error:  # collected and asserted on below
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_neighbours_race_for_three_places(requires_postgres):
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, people_needed=3)
    users = [UserFactory() for _ in range(30)]

    results = run_in_threads(
        [lambda user=user: services.sign_up(task=task, user=user) for user in users]
    )

    succeeded = [value for outcome, value in results if outcome == "ok"]
    refused = [value for outcome, value in results if outcome == "error"]
    assert len(succeeded) == 3
    assert len(refused) == 27
    assert all(isinstance(error, services.TaskFull) for error in refused), refused
    assert all("full" in str(error) or "vol" in str(error) for error in refused)
    assert SignUp.objects.filter(task=task, status=SignUp.Status.SIGNED_UP).count() == 3
    task.refresh_from_db()
    assert task.status == Task.Status.FULL
    campaign.refresh_from_db()
    assert campaign.supporter_count == 3 == ledger_totals(campaign)[1]


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_neighbour_clicking_twice_gets_one_sign_up(requires_postgres):
    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, people_needed=5)
    user = UserFactory()

    results = run_in_threads([lambda: services.sign_up(task=task, user=user)] * 2)

    assert [outcome for outcome, _ in results].count("ok") == 1
    assert SignUp.objects.filter(task=task, user=user).count() == 1
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1


@pytest.fixture
def live_task(db):
    campaign = make_initiative(site_tree()[2])
    return campaign, TaskFactory(initiative=campaign.page, people_needed=2)


def test_sign_up_withdraw_and_sign_up_again(client, live_task):
    campaign, task = live_task
    user = UserFactory()
    client.force_login(user)

    response = client.post(f"/tasks/{task.pk}/sign-up/", {"note": "Ik neem een ladder mee"})
    assert response.status_code == 302
    signup = SignUp.objects.get(task=task, user=user)
    assert signup.note == "Ik neem een ladder mee"
    assert "Klus" in client.get("/tasks/mine/").content.decode()
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1

    client.post(f"/tasks/{task.pk}/withdraw/")
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.WITHDRAWN
    campaign.refresh_from_db()
    assert campaign.supporter_count == 0

    client.post(f"/tasks/{task.pk}/sign-up/")
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.SIGNED_UP
    assert SignUp.objects.filter(task=task).count() == 1


def test_helper_who_also_donated_counts_once(client, live_task):
    from campaigns.services.totals import recount_totals
    from tests.factories import PledgeFactory

    campaign, task = live_task
    user = UserFactory()
    PledgeFactory(campaign=campaign, donor=user, guest_email="")
    recount_totals(campaign=campaign)
    services.sign_up(task=task, user=user)

    campaign.refresh_from_db()
    assert campaign.supporter_count == 1 == ledger_totals(campaign)[1]


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("full", "This task is full"),
        ("done", "already done"),
        ("started", "already started"),
        ("not_live", "not looking for helpers"),
        ("material", "make an offer instead"),
    ],
)
def test_sign_up_is_refused_with_a_clear_message(client, live_task, setup, fragment):
    campaign, task = live_task
    if setup == "full":
        for _ in range(2):
            services.sign_up(task=task, user=UserFactory())
    elif setup == "done":
        Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)
    elif setup == "started":
        Task.objects.filter(pk=task.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=1)
        )
    elif setup == "not_live":
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SUCCEEDED)
    elif setup == "material":
        Task.objects.filter(pk=task.pk).update(kind=Task.Kind.MATERIAL)
    before = SignUp.objects.count()
    client.force_login(UserFactory())

    response = client.post(f"/en/tasks/{task.pk}/sign-up/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert SignUp.objects.count() == before


def test_sign_up_with_htmx_updates_the_card_in_place(client, live_task):
    _, task = live_task
    client.force_login(UserFactory())

    response = client.post(f"/en/tasks/{task.pk}/sign-up/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="task task-open" id="task-{task.pk}"')
    assert "1 of 2 helpers" in html
    assert "You are signed up." in html


def test_withdrawing_after_the_task_started_is_refused(client, live_task):
    _, task = live_task
    user = UserFactory()
    services.sign_up(task=task, user=user)
    Task.objects.filter(pk=task.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(user)

    client.post(f"/tasks/{task.pk}/withdraw/")

    assert SignUp.objects.get(task=task, user=user).status == SignUp.Status.SIGNED_UP


def test_guests_must_log_in_to_sign_up(client, live_task):
    _, task = live_task
    response = client.post(f"/tasks/{task.pk}/sign-up/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert SignUp.objects.count() == 0


def test_initiator_marks_done_and_confirms_hours_which_show_on_the_page(client, live_task):
    campaign, task = live_task
    helper = UserFactory()
    signup = services.sign_up(task=task, user=helper)
    client.force_login(campaign.initiators.get())

    client.post(f"/tasks/{task.pk}/done/")
    client.post(f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": "3,5"})

    task.refresh_from_db()
    signup.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert str(signup.hours_confirmed) == "3.5"
    html = client.get("/en" + campaign.page.url).content.decode()
    assert "1 of 1 task done" in html
    assert "Hours given: 3.5" in html


def test_hours_must_be_a_sensible_number(client, live_task):
    campaign, task = live_task
    signup = services.sign_up(task=task, user=UserFactory())
    client.force_login(campaign.initiators.get())

    for bad in ("-2", "5000", "veel"):
        client.post(f"/tasks/sign-ups/{signup.pk}/hours/", {"hours": bad})
        signup.refresh_from_db()
        assert signup.hours_confirmed is None
