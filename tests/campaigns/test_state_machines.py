"""The campaign, pledge and refund state machines: every allowed and every forbidden transition.

Each table below lists the allowed (state, transition) pairs with their target; every other
pair of a state and a declared transition is forbidden. A test checks that the tables are
exactly what the models declare, so a new transition cannot slip in untested.
"""

import io
import itertools

import pytest
from django.conf import settings
from django.core.management import call_command
from django_fsm import can_proceed

from campaigns.audit import Action
from campaigns.management.commands.state_diagrams import render_all
from campaigns.models import AuditEntry, Campaign, Pledge, Refund
from campaigns.services.errors import TransitionNotAllowed
from campaigns.state import fire
from tests.factories import PledgeFactory, make_initiative, site_tree

S, P, R = Campaign.Status, Pledge.Status, Refund.Status

CAMPAIGN_ALLOWED = {
    (S.DRAFT, "submit"): S.IN_REVIEW,
    (S.DRAFT, "approve"): S.LIVE,
    (S.IN_REVIEW, "approve"): S.LIVE,
    (S.IN_REVIEW, "request_changes"): S.DRAFT,
    (S.IN_REVIEW, "withdraw_from_review"): S.DRAFT,
    (S.LIVE, "succeed"): S.SUCCEEDED,
    (S.LIVE, "fail"): S.FAILED,
    (S.LIVE, "cancel"): S.CANCELLED,
    (S.SUCCEEDED, "realise"): S.REALISED,
}
CAMPAIGN_TRANSITIONS = sorted({name for _state, name in CAMPAIGN_ALLOWED})

PLEDGE_ALLOWED = {
    (P.PENDING, "pay"): P.PAID,
    (P.FAILED, "pay"): P.PAID,
    (P.EXPIRED, "pay"): P.PAID,
    (P.PENDING, "fail"): P.FAILED,
    (P.PENDING, "expire"): P.EXPIRED,
    (P.FAILED, "retry"): P.PENDING,
    (P.EXPIRED, "retry"): P.PENDING,
    (P.PAID, "request_refund"): P.REFUND_PENDING,
    (P.PAID, "complete_refund"): P.REFUNDED,
    (P.REFUND_PENDING, "complete_refund"): P.REFUNDED,
}
PLEDGE_TRANSITIONS = sorted({name for _state, name in PLEDGE_ALLOWED})

# A failed refund stays failed: staff's retry is a new refund row, not a transition.
REFUND_ALLOWED = {
    (R.PENDING, "succeed"): R.SUCCEEDED,
    (R.PENDING, "fail"): R.FAILED,
}
REFUND_TRANSITIONS = sorted({name for _state, name in REFUND_ALLOWED})


def declared(model):
    """{(source, transition name): target} as the model declares it."""
    field = model._meta.get_field("status")
    return {(t.source, t.name): t.target for t in field.get_all_transitions(model)}


def all_pairs(statuses, transitions):
    return list(itertools.product(list(statuses), transitions))


@pytest.mark.parametrize(
    ("model", "table"),
    [(Campaign, CAMPAIGN_ALLOWED), (Pledge, PLEDGE_ALLOWED), (Refund, REFUND_ALLOWED)],
)
def test_tables_list_exactly_the_declared_transitions(model, table):
    assert declared(model) == table


@pytest.mark.parametrize(("state", "name"), all_pairs(S, CAMPAIGN_TRANSITIONS))
def test_campaign_transition_is_allowed_only_from_its_sources(state, name):
    campaign = Campaign(status=state)
    allowed = (state, name) in CAMPAIGN_ALLOWED
    assert can_proceed(getattr(campaign, name)) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            fire(campaign, name, action="test")
        assert campaign.status == state


@pytest.mark.parametrize(("state", "name"), all_pairs(P, PLEDGE_TRANSITIONS))
def test_pledge_transition_is_allowed_only_from_its_sources(state, name):
    pledge = Pledge(status=state)
    allowed = (state, name) in PLEDGE_ALLOWED
    assert can_proceed(getattr(pledge, name)) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            fire(pledge, name, action="test")
        assert pledge.status == state


@pytest.mark.parametrize(("state", "name"), all_pairs(R, REFUND_TRANSITIONS))
def test_refund_transition_is_allowed_only_from_its_sources(state, name):
    refund = Refund(status=state)
    allowed = (state, name) in REFUND_ALLOWED
    assert can_proceed(getattr(refund, name)) is allowed
    if not allowed:
        with pytest.raises(TransitionNotAllowed):
            fire(refund, name, action="test")
        assert refund.status == state


@pytest.fixture
def campaign(db):
    return make_initiative(site_tree()[2])


def put_in_state(obj, state):
    type(obj).objects.filter(pk=obj.pk).update(status=state)
    obj.refresh_from_db()
    return obj


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "name"), list(CAMPAIGN_ALLOWED))
def test_allowed_campaign_transition_is_saved_and_audited(campaign, state, name):
    put_in_state(campaign, state)

    entry = fire(campaign, name, action=Action.CAMPAIGN_EDITED, actor_label="test")

    target = CAMPAIGN_ALLOWED[(state, name)]
    assert Campaign.objects.get(pk=campaign.pk).status == target
    assert (entry.from_state, entry.to_state) == (state, target)
    assert AuditEntry.objects.filter(pk=entry.pk, object_id=str(campaign.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "name"), list(PLEDGE_ALLOWED))
def test_allowed_pledge_transition_is_saved_and_audited(campaign, state, name):
    pledge = PledgeFactory(campaign=campaign, status=state)

    entry = fire(pledge, name, action=Action.PLEDGE_PAID, update_fields=["paid_at"])

    target = PLEDGE_ALLOWED[(state, name)]
    stored = Pledge.objects.get(pk=pledge.pk)
    assert stored.status == target
    assert (entry.from_state, entry.to_state) == (state, target)
    if name == "pay":
        assert stored.paid_at is not None


@pytest.mark.django_db
def test_a_loaded_status_cannot_be_assigned(campaign):
    pledge = PledgeFactory(campaign=campaign, status=P.PENDING)
    for obj, other in ((Campaign.objects.get(pk=campaign.pk), S.CANCELLED), (pledge, P.PAID)):
        with pytest.raises(AttributeError):
            obj.status = other
        obj.refresh_from_db()  # still possible: FSMModelMixin lifts the guard for a reload
        assert obj.status != other


def test_docs_state_machines_is_the_commands_output():
    out = io.StringIO()
    call_command("state_diagrams", stdout=out)
    assert out.getvalue() == render_all()
    docs = settings.BASE_DIR / "docs" / "state-machines.md"
    assert docs.read_text() == out.getvalue(), (
        "docs/state-machines.md is stale: run "
        "`python manage.py state_diagrams > docs/state-machines.md`"
    )
    assert "stateDiagram-v2" in out.getvalue()
    assert "live --> cancelled: cancel" in out.getvalue()
