"""Every task service locks campaign, then task, then sign-up or offer, before it writes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import services
from tasks.models import Task
from tests.factories import TaskFactory, UserFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
LOCKED_TABLE = re.compile(r'FROM "(\w+)".*FOR (NO KEY )?UPDATE', re.I | re.S)
ORDER = ["campaigns_campaign", "tasks_task", "tasks_signup", "tasks_offer"]


def locks_and_first_write(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    statements = [query["sql"] for query in captured.captured_queries]
    first_write = next(i for i, sql in enumerate(statements) if WRITE.match(sql))
    locks = []
    for index, sql in enumerate(statements):
        match = LOCKED_TABLE.search(sql)
        if match:
            locks.append((index, match.group(1)))
    return locks, first_write


@pytest.fixture
def world(requires_postgres):
    campaign = make_initiative(site_tree()[2])
    initiator = campaign.initiators.get()
    hands = TaskFactory(initiative=campaign.page, people_needed=3)
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=2)
    helper = UserFactory()
    return campaign, initiator, hands, space, helper


def _offer(space, user):
    return services.make_offer(task=space, user=user, kind=Task.Kind.SPACE, description="Zaal")


SCENARIOS = {
    "create task": lambda c, i, h, s, u: services.save_task(
        task=Task(initiative_id=c.page_id, kind=Task.Kind.HANDS, title="Nieuw"), user=i
    ),
    "change task": lambda c, i, h, s, u: services.save_task(task=Task.objects.get(pk=h.pk), user=i),
    "sign up": lambda c, i, h, s, u: services.sign_up(task=h, user=u),
    "withdraw": lambda c, i, h, s, u: services.withdraw(
        signup=services.sign_up(task=h, user=u), user=u
    ),
    "confirm hours": lambda c, i, h, s, u: services.confirm_hours(
        signup=services.sign_up(task=h, user=u), hours="2", user=i
    ),
    "mark done": lambda c, i, h, s, u: services.mark_task_done(task=h, user=i),
    "make offer": lambda c, i, h, s, u: _offer(s, u),
    "accept offer": lambda c, i, h, s, u: services.decide_offer(
        offer=_offer(s, u), accept=True, user=i
    ),
    "withdraw offer": lambda c, i, h, s, u: services.withdraw_offer(offer=_offer(s, u), user=u),
    "delete task": lambda c, i, h, s, u: services.delete_task(task=s, user=i),
    "delete sign-up": lambda c, i, h, s, u: services.delete_signup(
        signup=services.sign_up(task=h, user=u)
    ),
    "release user": lambda c, i, h, s, u: services.release_user_support(u),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_locks_come_before_the_first_write_in_the_documented_order(world, name):
    campaign, initiator, hands, space, helper = world
    services.sign_up(task=hands, user=UserFactory())
    services.decide_offer(offer=_offer(space, UserFactory()), accept=True, user=initiator)
    if name == "release user":
        services.sign_up(task=hands, user=helper)
    scenario = SCENARIOS[name]

    locks, first_write = locks_and_first_write(lambda: scenario(*world))

    assert locks, "no row was locked"
    assert locks[0][1] == "campaigns_campaign"
    assert locks[0][0] < first_write
    tables = [table for _index, table in locks]
    ranks = [ORDER.index(table) for table in tables if table in ORDER]
    first_call = ranks[: ranks.index(0, 1)] if 0 in ranks[1:] else ranks
    assert first_call == sorted(first_call), tables
