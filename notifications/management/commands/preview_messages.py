"""Render every e-mail in every language to files, so staff can read them before they go out.

Uses sample objects that are built in memory and never saved.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.forms.models import FormSubmission

from accounts.models import DataExport, Invitation, Organisation, User
from campaigns.models import (
    Campaign,
    DigestItem,
    InitiativePage,
    InitiativeUpdate,
    Payout,
    PayoutAccount,
    Pledge,
)
from core.models import SpreadsheetExport
from notifications.base import Recipient
from notifications.messages import REGISTRY, TaskCancelled
from tasks.models import Offer, RegisterMessage, SignUp, Task


def sample_objects():
    now = timezone.now()
    initiator = User(email="anouk@example.nl", display_name="Anouk de Vries")
    neighbour = User(email="mehmet@example.nl", display_name="Mehmet Yilmaz")
    page = InitiativePage(
        pk=1,
        title="Repair Café Goverwelle",
        draft_title="Repair Café Goverwelle",
        goal_cents=1_200_00,
        deadline=now.date() + datetime.timedelta(days=20),
        funding_model="all_or_nothing",
    )
    campaign = Campaign(
        pk=1,
        page=page,
        page_id=1,
        raised_cents=780_00,
        supporter_count=20,
        moderator_note="Voeg graag een foto van de plek toe.",
    )
    pledge = Pledge(
        pk=1,
        campaign=campaign,
        amount_cents=25_00,
        guest_email="buur@example.nl",
        public_name="Buur Els",
        language="nl",
    )
    task = Task(
        pk=1,
        initiative=page,
        kind="hands",
        title="Koffie schenken",
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=3),
        place="Buurthuis Goverwelle",
        estimated_hours=Decimal("3"),
    )
    signup = SignUp(pk=1, task=task, user=neighbour)
    organisation = Organisation(name="Bakkerij De Goudse Korst", slug="bakkerij")
    offer = Offer(
        pk=1,
        task=task,
        user=neighbour,
        organisation=organisation,
        kind="space",
        description="Onze achterzaal, dinsdagavond",
    )
    update = InitiativeUpdate(
        pk=1,
        campaign=campaign,
        title="De eerste reparatiemiddag",
        body="Twaalf fietsen en vijf lampen gerepareerd!\n\nTot volgende maand.",
    )
    invitation = Invitation(
        pk=1,
        organisation=organisation,
        email="collega@example.nl",
        token="voorbeeld",
        invited_by=initiator,
    )
    items = [
        DigestItem(campaign=campaign, kind="donation", object_id=1, summary="€ 25 (Buur Els)"),
        DigestItem(
            campaign=campaign, kind="signup", object_id=1, summary="Mehmet Yilmaz: Koffie schenken"
        ),
        DigestItem(
            campaign=campaign,
            kind=DigestItem.Kind.WITHDRAWAL,
            object_id=2,
            summary="Sanne Bakker: Koffie schenken",
        ),
    ]
    export = DataExport(
        pk=1,
        user=neighbour,
        token="voorbeeld",
        ready_at=now,
        expires_at=now + datetime.timedelta(7),
    )
    spreadsheet_export = SpreadsheetExport(
        pk=1,
        requested_by=initiator,
        token="voorbeeld",
        title="Toezeggingen",
        listing_path="/admin/pledges/",
        query="status=paid",
        filename="pledges",
        rows=48_213,
        expires_at=now + datetime.timedelta(7),
    )
    campaign.payout_account = PayoutAccount(
        campaign=campaign, iban="NL91ABNA0417164300", holder_name="Stichting Repair Café"
    )
    payout = Payout(
        pk=1,
        campaign=campaign,
        amount_cents=780_00,
        lines=[
            {"key": "raised", "amount_cents": 780_00},
            {"key": "platform_fee", "amount_cents": 0},
            {"key": "payment_fees", "amount_cents": 0},
        ],
    )
    register_message = RegisterMessage(
        pk=1,
        item=Offer(pk=2, user=initiator, kind="material", description="Een trapladder om te lenen"),
        sender=neighbour,
        body="Mag ik de ladder zaterdag lenen voor de geveltuinen?",
    )
    contact = FormSubmission(
        pk=1,
        page_id=1,
        form_data={
            "name": "Els de Buur",
            "email": "buur@example.nl",
            "subject": "Vraag over mijn gift",
            "message": "Ik gaf per ongeluk twee keer. Kan één gift terug?",
            "language": "nl",
        },
    )
    return {
        "register_message": register_message,
        "contact": contact,
        "payout": payout,
        "export": export,
        "spreadsheet_export": spreadsheet_export,
        "pledge": pledge,
        "signup": signup,
        "task": task,
        "campaign": campaign,
        "offer": offer,
        "update": update,
        "invitation": invitation,
        "items": items,
    }


def build_message(cls, objects):
    if cls is TaskCancelled:
        return cls({"task_id": 1, "title": "Koffie schenken", "page_title": "Repair Café"})
    name = cls.__mro__[1].__name__
    by_base = {
        "PledgeMessage": "pledge",
        "SignUpMessage": "signup",
        "CampaignMessage": "campaign",
        "Milestone": "campaign",
        "OfferDecision": "offer",
        "PayoutMessage": "payout",
    }
    by_key = {
        "task_changed": "task",
        "update_posted": "update",
        "organisation_invitation": "invitation",
        "data_export_ready": "export",
        "spreadsheet_export_ready": "spreadsheet_export",
        "initiator_digest": "campaign",
        "standing_offer_requested": "offer",
        "offer_request_answered": "offer",
        "register_message": "register_message",
        "contact_message": "contact",
    }
    obj = objects[by_key.get(cls.key) or by_base[name]]
    if cls.key == "initiator_digest":
        return cls(obj, objects["items"])
    return cls(obj)


class Command(BaseCommand):
    help = "Render every e-mail message in every language into OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir")

    def handle(self, *args, outdir, **options):
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        objects = sample_objects()
        index = []
        for key, cls in sorted(REGISTRY.items()):
            message = build_message(cls, objects)
            for language, _name in settings.LANGUAGES:
                recipient = Recipient(email="buur@example.nl", language=language, name="Els")
                email = message.build(recipient, preference_id=0)
                stem = f"{key}.{language}"
                (out / f"{stem}.txt").write_text(f"Subject: {email.subject}\n\n{email.body}")
                (out / f"{stem}.html").write_text(email.alternatives[0][0])
                (out / f"{stem}.eml").write_bytes(email.message().as_bytes())
                index.append(
                    f'<li><a href="{stem}.html">{escape(key)} ({language})</a>: '
                    f"{escape(email.subject)}</li>"
                )
        (out / "index.html").write_text(
            "<!DOCTYPE html><meta charset='utf-8'><title>Wijkkapitaal e-mails</title><ul>"
            + "".join(index)
            + "</ul>"
        )
        self.stdout.write(f"{len(index)} messages rendered into {out}")
