"""Shared helpers of the capital tests: downloads, the ledger's own totals, random data."""

import csv
import io
import json
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from campaigns.models import Campaign, ImpactReport, Match
from campaigns.services import ledger_totals
from campaigns.services.impact import save_impact_report
from core.moderation import file_report, hide_reported
from tasks.capital.meter import public_campaigns
from tasks.models import Offer, SignUp, Task
from tasks.services.offers import decide_offer, make_offer
from tasks.services.signups import confirm_hours, sign_up
from tests.factories import (
    FundingProgrammeFactory,
    UserFactory,
    approve_programme,
    make_initiative,
    moderator,
    pay,
)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def json_rows(client, url, key):
    return json.loads(download(client, url))[key]


def csv_rows(client, url):
    return list(csv.DictReader(io.StringIO(download(client, url))))


def ledger(scope):
    """Totals recomputed from the ledger and the task rows, campaign by campaign."""
    raised = matched = in_kind = tasks_done = participants = 0
    hours = Decimal(0)
    for campaign in public_campaigns(scope):
        raised += ledger_totals(campaign)[0]
        matched += sum(
            match.amount_cents
            for match in Match.objects.filter(campaign=campaign)
            if match.status in Match.ACTIVE_STATUSES
        )
        for signup in SignUp.objects.filter(task__initiative_id=campaign.page_id):
            if signup.status == SignUp.Status.DONE:
                hours += signup.hours_confirmed or 0
        for offer in Offer.objects.filter(task__initiative_id=campaign.page_id):
            if offer.status == Offer.Status.ACCEPTED:
                in_kind += offer.estimated_value_cents or 0
        tasks_done += Task.objects.filter(
            initiative_id=campaign.page_id, status=Task.Status.DONE
        ).count()
        report = ImpactReport.objects.filter(campaign=campaign).first()
        if report is not None and report.hidden_at is None:
            participants += report.participants
    return {
        "raised_cents": raised,
        "matched_cents": matched,
        "hours": hours,
        "in_kind_cents": in_kind,
        "tasks_done": tasks_done,
        "participants": participants,
    }


def export_totals(rows):
    """Totals of an export's rows, the combined row included; cells may be text (CSV)."""

    def number(value, kind=int):
        return kind(value) if value not in (None, "") else kind(0)

    totals = {"raised_cents": 0, "matched_cents": 0, "hours": Decimal(0), "in_kind_cents": 0}
    for row in rows:
        totals["raised_cents"] += number(row["raised_cents"])
        totals["matched_cents"] += number(row["matched_cents"])
        totals["hours"] += number(row["hours"], lambda v: Decimal(str(v)))
        totals["in_kind_cents"] += number(row["in_kind_cents"])
    return totals


DONOR_NAMES = ["Anneke de Vries", "Pieter Bakker", "Fatima El Amrani", "Joost van Dijk"]


def random_neighbourhood_data(neighbourhood, seed, *, initiatives=4):
    """Initiatives with random donations, helpers with confirmed hours and accepted offers.

    Donors and helpers get recognisable names, so that the exports can be searched for them.
    """
    rng = random.Random(seed)
    people = []
    for index in range(initiatives):
        initiator = UserFactory()
        campaign = make_initiative(
            neighbourhood,
            initiator=initiator,
            title=f"Initiatief {seed}-{index}",
            category=rng.choice(["repair", "green", "play"]),
        )
        if index == 0:
            approve_programme(campaign, FundingProgrammeFactory())
        for _ in range(rng.randint(3 if index == 0 else 0, 6)):
            name = rng.choice(DONOR_NAMES)
            donor = UserFactory(display_name=name)
            people.append(donor)
            pay(campaign, rng.randint(5, 80) * 100, donor=donor)
        task = Task.objects.create(
            initiative=campaign.page, kind=Task.Kind.HANDS, title="Klus", people_needed=5
        )
        for _ in range(rng.randint(0, 3)):
            helper = UserFactory(display_name=f"Helper Hendriks{seed}")
            people.append(helper)
            signup = sign_up(task=task, user=helper)
            confirm_hours(signup=signup, hours=Decimal(rng.randint(1, 16)) / 2, user=initiator)
        space = Task.objects.create(initiative=campaign.page, kind=Task.Kind.SPACE, title="Ruimte")
        if rng.random() < 0.7:
            giver = UserFactory(display_name=f"Gever Gerritsen{seed}")
            people.append(giver)
            offer = make_offer(
                task=space,
                user=giver,
                kind=Offer.Kind.SPACE,
                description="Onze zaal",
                estimated_value_cents=rng.randint(1, 500) * 100,
            )
            decide_offer(offer=offer, accept=True, user=initiator)
    realise_some_with_impact(neighbourhood, seed)
    return people


def realise_some_with_impact(neighbourhood, seed):
    """Realise some of the initiatives and report their participants; a moderator hides
    one report, which then counts nowhere. Its own random stream leaves the rest alone."""
    rng = random.Random(f"impact-{seed}")
    campaigns = Campaign.objects.filter(page__path__startswith=neighbourhood.path).order_by("pk")
    reports = []
    for campaign in campaigns:
        if rng.random() < 0.6:
            Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.REALISED)
            campaign.refresh_from_db()
            reports.append(
                save_impact_report(
                    campaign=campaign,
                    user=campaign.initiators.first(),
                    participants=rng.randint(1, 400),
                    story="Het is gelukt.",
                )
            )
    if len(reports) > 1:
        hidden = reports[rng.randrange(len(reports))]
        file_report(key="impact", object_id=hidden.pk, reason="spam")
        hide_reported(
            content_type=ContentType.objects.get_for_model(ImpactReport),
            object_id=hidden.pk,
            actor=moderator(),
        )


def meter_totals(meter):
    return {
        "raised_cents": meter.raised_cents,
        "matched_cents": meter.matched_cents,
        "hours": meter.hours,
        "in_kind_cents": meter.in_kind_cents,
    }


def sum_hours(queryset):
    return queryset.aggregate(total=Sum("hours_confirmed"))["total"]
