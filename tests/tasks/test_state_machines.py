"""The declared state machines of tasks, sign-ups and offers: every allowed and every
forbidden (state, transition) pair, and no way around them."""

import pytest
from django_fsm import can_proceed

from tasks.models import Offer, SignUp, Task

TASK = Task.Status
SIGNUP = SignUp.Status
OFFER = Offer.Status

# (model, transition) -> {source state: target state}; every other state is forbidden.
ALLOWED = {
    (Task, "fill"): {TASK.OPEN: TASK.FULL},
    (Task, "reopen"): {TASK.FULL: TASK.OPEN},
    (Task, "complete"): {TASK.OPEN: TASK.DONE, TASK.FULL: TASK.DONE},
    (SignUp, "withdraw"): {SIGNUP.SIGNED_UP: SIGNUP.WITHDRAWN},
    (SignUp, "sign_up_again"): {SIGNUP.WITHDRAWN: SIGNUP.SIGNED_UP},
    (SignUp, "complete"): {SIGNUP.SIGNED_UP: SIGNUP.DONE, SIGNUP.DONE: SIGNUP.DONE},
    (SignUp, "release"): {SIGNUP.SIGNED_UP: SIGNUP.WITHDRAWN, SIGNUP.DONE: SIGNUP.WITHDRAWN},
    (Offer, "accept"): {OFFER.OFFERED: OFFER.ACCEPTED},
    (Offer, "decline"): {OFFER.OFFERED: OFFER.DECLINED},
    (Offer, "withdraw"): {OFFER.OFFERED: OFFER.WITHDRAWN, OFFER.PAUSED: OFFER.WITHDRAWN},
    (Offer, "pause"): {OFFER.OFFERED: OFFER.PAUSED},
    (Offer, "resume"): {OFFER.PAUSED: OFFER.OFFERED},
    (Offer, "await_giver"): {OFFER.OFFERED: OFFER.REQUESTED},
    (Offer, "consent"): {OFFER.REQUESTED: OFFER.ACCEPTED},
    (Offer, "refuse"): {OFFER.REQUESTED: OFFER.DECLINED},
    (Offer, "release"): {
        OFFER.REQUESTED: OFFER.WITHDRAWN,
        OFFER.OFFERED: OFFER.WITHDRAWN,
        OFFER.ACCEPTED: OFFER.WITHDRAWN,
        OFFER.PAUSED: OFFER.WITHDRAWN,
    },
}

CASES = [
    pytest.param(model, name, state, allowed.get(state), id=f"{model.__name__}-{state}-{name}")
    for (model, name), allowed in ALLOWED.items()
    for state in model.Status.values
]


@pytest.mark.parametrize(("model", "transition", "state", "target"), CASES)
def test_transition_table(model, transition, state, target):
    obj = model(status=state)
    method = getattr(obj, transition)

    assert can_proceed(method) is (target is not None)
    if target is None:
        return
    method()
    assert obj.status == target


def test_the_table_names_every_declared_transition():
    for model in (Task, SignUp, Offer):
        declared = {t.name for t in model._meta.get_field("status").get_all_transitions(model)}
        listed = {name for (owner, name) in ALLOWED if owner is model}
        assert declared == listed, model


def test_every_state_is_reachable_or_the_default():
    for model in (Task, SignUp, Offer):
        targets = {
            target
            for (owner, _), allowed in ALLOWED.items()
            if owner is model
            for target in allowed.values()
        }
        default = model._meta.get_field("status").default
        assert set(model.Status.values) == targets | {default}, model


def test_decisions_stamp_the_time():
    offer = Offer(status=OFFER.OFFERED)
    offer.accept()
    assert offer.decided_at is not None


@pytest.mark.parametrize(
    ("model", "state", "other"),
    [
        (Task, TASK.OPEN, TASK.DONE),
        (SignUp, SIGNUP.SIGNED_UP, SIGNUP.DONE),
        (Offer, OFFER.OFFERED, OFFER.ACCEPTED),
    ],
)
def test_assigning_a_status_directly_is_refused(model, state, other):
    obj = model(status=state)
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        obj.status = other
    assert obj.status == state


@pytest.mark.django_db
def test_a_refused_transition_in_a_service_is_a_service_error():
    from campaigns.services.errors import TransitionNotAllowed
    from campaigns.state import fire
    from tests.factories import TaskFactory, make_initiative, site_tree

    campaign = make_initiative(site_tree()[2])
    task = TaskFactory(initiative=campaign.page, status=TASK.DONE)
    with pytest.raises(TransitionNotAllowed):
        fire(task, "fill", action="task_filled")
    task.refresh_from_db()
    assert task.status == TASK.DONE
