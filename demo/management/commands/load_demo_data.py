"""Load the demo city, neighbourhoods, organisations, residents and initiatives.

Running it again changes nothing: every object is looked up by a natural key first.
"""

import io

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from accounts.models import Membership, Organisation
from campaigns import services
from campaigns.audit import Action
from campaigns.models import (
    BudgetLine,
    Campaign,
    FundingProgramme,
    InitiativePage,
    Match,
    Pledge,
)
from campaigns.services import programmes as programme_services
from campaigns.services.pledges import create_pledge, mark_paid
from campaigns.state import fire
from campaigns.story import text_to_blocks
from cms.models import CityPage, HomePage, NeighbourhoodPage, PlatformSettings, StandardPage
from core.events import muted
from demo import content, privacy_content, translations
from demo.impact import ensure_impact_reports
from demo.info_pages import ensure_info_pages
from demo.payouts import TREASURER_PASSWORD, TREASURERS, ensure_payouts
from demo.register import ensure_register_items
from demo.two_factor import DEMO_TOTP_SECRET, ensure_totp
from tasks.models import SignUp, Task

MODERATOR_EMAIL = "moderator@wijkkapitaal.nl"
MODERATOR_PASSWORD = "wijkdemo-moderator"
RESIDENT_PASSWORD = "wijkdemo"


class Command(BaseCommand):
    help = "Load demo data (idempotent). It sends no e-mail."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo_data refuses to run under production settings: it creates users "
                "with published passwords. Use it on a laptop or a test system only."
            )
        # Loading runs the real services, whose notifications (and Wagtail's moderation
        # e-mails) would go to the demo's made-up people: the services' notifications are
        # muted at the source, so no job is queued for any worker, and Wagtail's e-mails,
        # sent right away, go to the dummy backend.
        with (
            muted(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        ):
            self.load()

    @transaction.atomic
    def load(self):
        home = self.ensure_home()
        city = self.ensure_child(
            home,
            CityPage,
            content.CITY["slug"],
            title=content.CITY["title"],
            intro=content.CITY["intro"],
        )
        neighbourhoods = {}
        for data in content.NEIGHBOURHOODS:
            neighbourhoods[data["slug"]] = self.ensure_child(
                city,
                NeighbourhoodPage,
                data["slug"],
                title=data["title"],
                intro=data["intro"],
                vision=data["vision"],
                themes=[("theme", {"title": t, "description": d}) for t, d in data["themes"]],
            )
        self.ensure_legal_pages(home)
        ensure_info_pages(home, self.ensure_child)
        self.ensure_moderator()
        residents = {email: self.ensure_user(email, name) for email, name in content.RESIDENTS}
        self.ensure_organisations(neighbourhoods, residents)
        ensure_register_items(neighbourhoods, residents)
        today = timezone.localdate()
        for data in content.initiatives(today):
            self.ensure_initiative(data, neighbourhoods[data["neighbourhood"]], residents)
        self.ensure_programmes(city, today)
        ensure_payouts()
        ensure_impact_reports()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(
            f"Moderator login (Wagtail admin at /admin/): {MODERATOR_EMAIL} / {MODERATOR_PASSWORD}"
        )
        self.stdout.write(f"Resident login: {content.RESIDENTS[0][0]} / {RESIDENT_PASSWORD}")
        self.stdout.write(
            f"Payout approvers: {TREASURERS[0][0]} and {TREASURERS[1][0]} / {TREASURER_PASSWORD}"
        )
        self.stdout.write(
            f"Staff two-factor code: authenticator-app secret {DEMO_TOTP_SECRET}, "
            "or `manage.py demo_totp_code` prints the current code."
        )

    def ensure_home(self):
        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home:
            return home
        root = Page.get_first_root_node()
        welcome = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage")
        home = HomePage(
            title=content.HOME["title"], slug=content.HOME["slug"], intro=content.HOME["intro"]
        )
        root.add_child(instance=home)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True, site_name="Wijkkapitaal"
            )
        else:
            site.root_page = home
            site.site_name = "Wijkkapitaal"
            site.save()
        for page in welcome:
            page.delete()
        return home

    def ensure_child(self, parent, model, slug, **fields):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def ensure_legal_pages(self, home):
        """The privacy statement and terms, found by the footer through the site setting.

        The home page and both pages get their English translations in the English tree.
        """
        pages = {
            key: self.ensure_child(
                home, StandardPage, data["slug"], title=data["title"], body=data["body"]
            )
            for key, data in (
                ("privacy", privacy_content.PRIVACY),
                ("terms", privacy_content.TERMS),
            )
        }
        platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
        platform.privacy_page, platform.terms_page = pages["privacy"], pages["terms"]
        platform.save()
        translations.translate_home(home, **content.HOME_EN)
        for key, data in (
            ("privacy", privacy_content.PRIVACY_EN),
            ("terms", privacy_content.TERMS_EN),
        ):
            translations.translate_standard_page(pages[key], **data)

    def ensure_moderator(self):
        user = self.ensure_user(MODERATOR_EMAIL, "Moderator Wijkkapitaal", MODERATOR_PASSWORD)
        user.groups.add(Group.objects.get(name="Moderators"))
        ensure_totp(user)
        return user

    def ensure_user(self, email, name, password=RESIDENT_PASSWORD):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            first, _, last = name.partition(" ")
            user = User.objects.create_user(
                email=email, password=password, display_name=name, first_name=first, last_name=last
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def ensure_organisations(self, neighbourhoods, residents):
        members = list(residents.values())
        for index, data in enumerate(content.ORGANISATIONS):
            organisation, _ = Organisation.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    **{k: v for k, v in data.items() if k not in ("slug", "neighbourhood")},
                    "neighbourhood": neighbourhoods[data["neighbourhood"]],
                },
            )
            Membership.objects.get_or_create(
                organisation=organisation,
                user=members[-(index + 1)],
                defaults={"role": Membership.Role.ADMIN},
            )

    def cover_image(self, title, colour):
        Image = get_image_model()
        existing = Image.objects.filter(title=title).first()
        if existing:
            return existing
        picture = PILImage.new("RGB", (1200, 600), colour)
        draw = ImageDraw.Draw(picture)
        for step in range(0, 600, 6):
            shade = tuple(min(255, c + step // 6) for c in colour)
            draw.rectangle([0, step, 1200, step + 6], fill=shade)
        draw.ellipse([820, 120, 1120, 420], fill=tuple(min(255, c + 90) for c in colour))
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=80)
        return Image.objects.create(
            title=title, file=ImageFile(buffer, name=f"{title[:40].lower().replace(' ', '-')}.jpg")
        )

    def ensure_initiative(self, data, neighbourhood, residents):
        if InitiativePage.objects.child_of(neighbourhood).filter(slug=data["slug"]).exists():
            return
        initiator = residents[data["initiator"]]
        page = InitiativePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            story=text_to_blocks("\n\n".join(data["story"])),
            category=data["category"],
            location=data["location"],
            goal_cents=sum(amount for _, amount in data["budget"]),
            deadline=data["deadline"],
            funding_model=data["funding_model"],
            cover_image=self.cover_image(data["title"], data["colour"]),
        )
        lines = [
            BudgetLine(description=text, amount_cents=amount, sort_order=i)
            for i, (text, amount) in enumerate(data["budget"])
        ]
        campaign = services.create_initiative(
            user=initiator, neighbourhood=neighbourhood, page=page, budget_lines=lines
        )
        self.add_tasks(campaign.page, data.get("tasks_done", 0), residents, data["state"])
        state = data["state"]
        if state == "draft":
            return
        services.submit_for_review(campaign=campaign, user=initiator)
        if state == "in_review":
            return
        campaign.page.get_latest_revision().publish()
        campaign.refresh_from_db()
        if state in ("succeeded", "failed", "realised"):
            # A realised one closes funded here; demo.payouts pays it out and has its
            # account of spending approved, which is what makes an initiative realised.
            self.close(campaign, "succeeded" if state == "realised" else state)
        self.add_pledges(campaign, data["raised_cents"], data["donors"])
        services.recount_totals(campaign=campaign)

    def close(self, campaign, status):
        """Demo history: put a campaign in the state its deadline would have given it."""
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        transition, action = {
            Campaign.Status.SUCCEEDED: ("succeed", Action.CAMPAIGN_SUCCEEDED),
            Campaign.Status.FAILED: ("fail", Action.CAMPAIGN_FAILED),
        }[status]
        fire(campaign, transition, action=action, actor_label="demo", update_fields=["closed_at"])

    def add_tasks(self, page, done_count, residents, state):
        helpers = list(residents.values())
        templates = (
            content.TASK_TEMPLATES
            if page.slug == "de-bruisplaats"
            else (content.TASK_TEMPLATES[: max(4, done_count + 2)])
        )
        for position, (kind, title, needed, hours, *unit) in enumerate(templates):
            done = position < done_count
            task = Task.objects.create(
                initiative=page,
                kind=kind,
                title=title,
                people_needed=needed,
                unit=unit[0] if unit else "",
                estimated_hours=hours,
                position=position,
                place=page.location,
                status=Task.Status.DONE if done else Task.Status.OPEN,
            )
            if done and kind in Task.PEOPLE_KINDS or (done and page.slug == "de-bruisplaats"):
                SignUp.objects.create(
                    task=task,
                    user=helpers[position % len(helpers)],
                    status=SignUp.Status.DONE,
                    hours_confirmed=hours or 2,
                )

    def add_pledges(self, campaign, raised_cents, donors):
        per_donor = (raised_cents // donors) // 100 * 100
        amounts = [per_donor] * (donors - 1) + [raised_cents - per_donor * (donors - 1)]
        names = ["Buurvrouw Els", "Familie Hoek", "Bakkerij De Goudse Korst", "Tom", "Gerda"]
        now = timezone.now()
        Pledge.objects.bulk_create(
            Pledge(
                campaign=campaign,
                amount_cents=amount,
                currency=campaign.currency,
                guest_email=f"donor{n}.{campaign.page.slug}@example.nl",
                public_name=names[n % len(names)] if n % 3 else "",
                is_anonymous=n % 3 == 0,
                message="Succes met jullie plan!" if n % 4 == 1 else "",
                status=Pledge.Status.PAID,
                paid_at=now,
            )
            for n, amount in enumerate(amounts)
        )

    def ensure_programmes(self, city, today):
        """Gouda's municipal fund (automatic) and the housing corporation's programme (by
        application), and one live initiative that both match."""
        moderator = get_user_model().objects.get(email=MODERATOR_EMAIL)
        for data in content.PROGRAMMES:
            if FundingProgramme.objects.filter(slug=data["slug"]).exists():
                continue
            fields = {k: v for k, v in data.items() if k not in ("organisation", "places")}
            programme = FundingProgramme(
                organisation=Organisation.objects.get(slug=data["organisation"]),
                opens_on=today.replace(month=1, day=1),
                **fields,
            )
            programme_services.save_programme(programme=programme, user=moderator)
            programme.places.set([city] if data["places"] else [])
            programme_services.attach_to_live_campaigns(programme_id=programme.pk)
        campaign = Campaign.objects.select_related("page").get(
            page__slug=content.MATCHED_INITIATIVE
        )
        if Match.objects.filter(campaign=campaign).exists():
            return
        initiator = campaign.initiators.first()
        for programme in FundingProgramme.objects.filter(
            join_mode=FundingProgramme.JoinMode.APPLICATION
        ):
            if (
                programme.accepts(campaign.page)
                and not campaign.programme_applications.filter(programme=programme).exists()
            ):
                application = programme_services.apply_to_programme(
                    campaign=campaign,
                    programme=programme,
                    user=initiator,
                    motivation="Een speeltuin midden tussen de huurwoningen.",
                )
                admin = programme.organisation.membership_set.first().user
                programme_services.decide_application(
                    application=application, user=admin, approve=True, note="Van harte!"
                )
        for n, amount in enumerate(content.MATCHED_DONATIONS):
            pledge, _attempt = create_pledge(
                campaign=campaign,
                amount_cents=amount,
                guest_email=f"verdubbeld{n}.{campaign.page.slug}@example.nl",
                public_name="Buurman Ruud" if n == 1 else "",
                is_anonymous=n != 1,
            )
            mark_paid(pledge_id=pledge.pk, session_id=f"cs_demo_{pledge.pk}")
