import pytest
from django.core.management import call_command
from django.db import models

from accounts.models import Organisation, User
from campaigns.audit import Action
from campaigns.models import (
    AuditEntry,
    Campaign,
    InitiativePage,
    Payout,
    PayoutBatch,
    Pledge,
    SpendingProof,
)
from campaigns.services import ledger_totals
from cms.models import CityPage, NeighbourhoodPage
from core.models import Announcement
from tasks.models import SignUp, Task
from tests.celery_broker import broker_down

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Organisation,
            CityPage,
            NeighbourhoodPage,
            InitiativePage,
            Campaign,
            Pledge,
            Task,
            SignUp,
        )
    }


def test_demo_data_covers_every_state_and_loads_twice_without_duplicates(mailoutbox):
    call_command("load_demo_data", verbosity=0)
    assert mailoutbox == []  # nothing is mailed to the demo's made-up people
    first = _counts()
    call_command("load_demo_data", verbosity=0)
    assert _counts() == first

    assert first["CityPage"] == 1
    assert first["NeighbourhoodPage"] == 3
    assert first["InitiativePage"] >= 8
    statuses = set(Campaign.objects.values_list("status", flat=True))
    assert {"draft", "in_review", "live", "succeeded", "failed", "realised"} <= statuses
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"business", "housing_corporation", "association"} <= kinds
    assert User.objects.filter(groups__name="Moderators").exists()


def test_demo_bruisplaats_matches_the_story_and_the_ledger():
    call_command("load_demo_data", verbosity=0)
    campaign = Campaign.objects.get(page__slug="de-bruisplaats")
    assert campaign.status == Campaign.Status.REALISED
    assert campaign.raised_cents == 3_555_00
    assert campaign.percentage == 118
    assert campaign.supporter_count == 97
    tasks = Task.objects.filter(initiative=campaign.page)
    assert tasks.count() == 12
    assert tasks.filter(status=Task.Status.DONE).count() == 12
    for each in Campaign.objects.all():
        assert (each.raised_cents, each.supporter_count) == ledger_totals(each)


def test_demo_bruisplaats_is_paid_out_and_realised_and_another_payout_awaits_the_bank():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    bruisplaats = Payout.objects.get(campaign__page__slug="de-bruisplaats")
    assert bruisplaats.status == Payout.Status.PAID
    assert bruisplaats.amount_cents == 3_555_00
    assert bruisplaats.first_approver != bruisplaats.second_approver
    assert SpendingProof.objects.get(campaign=bruisplaats.campaign).status == "approved"
    waiting = Payout.objects.get(status=Payout.Status.APPROVED)
    assert waiting.campaign.page.slug == "bankjes-voor-de-wijk"
    assert PayoutBatch.objects.count() == 1


def test_loading_the_demo_queues_no_mail_for_a_worker(
    mailoutbox, django_capture_on_commit_callbacks
):
    """The services' announcements are muted during the load: no outbox row is written,
    so neither a worker nor the sweep ever mails the demo's made-up people."""
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", verbosity=0)
    assert Campaign.objects.filter(status="succeeded").exists()
    assert mailoutbox == []
    assert not Announcement.objects.exists()


def test_demo_programmes_match_a_live_initiative_twice():
    from campaigns.models import FundingProgramme, Match
    from campaigns.services.matching import programme_ledger

    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)

    wijkfonds = FundingProgramme.objects.get(slug="gouds-wijkfonds")
    assert (wijkfonds.organisation.kind, wijkfonds.join_mode) == ("municipality", "automatic")
    assert (wijkfonds.budget_cents, wijkfonds.cap_per_initiative_cents) == (25_000_00, 5_000_00)
    corporation = FundingProgramme.objects.get(slug="groen-en-spelen-thuis-in-gouda")
    assert corporation.organisation.kind == "housing_corporation"
    assert (corporation.match_numerator, corporation.match_denominator) == (1, 2)

    campaign = Campaign.objects.get(page__slug="speeltuin-de-wip")
    assert campaign.status == Campaign.Status.LIVE
    matched = dict(
        Match.objects.filter(campaign=campaign)
        .values_list("programme__slug")
        .annotate(total=models.Sum("amount_cents"))
    )
    assert matched == {"gouds-wijkfonds": 80_00, "groen-en-spelen-thuis-in-gouda": 40_00}
    for programme in (wijkfonds, corporation):
        programme.refresh_from_db()
        assert programme.reserved_cents == programme_ledger(programme)["reserved_cents"]
    bruisplaats = Campaign.objects.get(page__slug="de-bruisplaats")
    assert not Match.objects.filter(campaign=bruisplaats).exists()


def test_every_realised_demo_initiative_had_its_spending_approved():
    """The demo realises initiatives the one way there is: paid out, an account of
    spending sent and approved by a moderator."""
    call_command("load_demo_data", verbosity=0)
    realised = Campaign.objects.filter(status=Campaign.Status.REALISED)
    assert set(realised.values_list("page__slug", flat=True)) == {
        "de-bruisplaats",
        "buurtmoestuin-oosterwei",
    }
    for campaign in realised:
        assert Payout.objects.get(campaign=campaign).status == Payout.Status.PAID
        assert SpendingProof.objects.get(campaign=campaign).status == "approved"
        entry = AuditEntry.objects.get(action=Action.CAMPAIGN_REALISED, object_id=str(campaign.pk))
        assert entry.actor.groups.filter(name="Moderators").exists()
