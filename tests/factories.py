"""factory-boy and wagtail-factories builders for the page tree, users and initiatives."""

import datetime

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from accounts.models import Organisation, User
from campaigns import services
from campaigns.models import (
    BudgetLine,
    Campaign,
    FundingProgramme,
    InitiativePage,
    Pledge,
    ProgrammeApplication,
)
from cms.models import CityPage, HomePage, NeighbourhoodPage
from demo.two_factor import current_code, ensure_totp
from tasks.models import SignUp, Task

PASSWORD = "a-good-test-password-42"
# The authenticator-app secret of every staff user the factories make (see two_factor below).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"resident{n}@example.nl")
    display_name = factory.Sequence(lambda n: f"Buur {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        """Staff get an authenticator app (TOTP_SECRET), as the admin requires; pass
        ``two_factor=False`` for one without, or ``True`` for anyone."""
        wanted = (user.is_staff or user.is_superuser) if extracted is None else extracted
        if create and wanted:
            ensure_totp(user, TOTP_SECRET)


def totp_code(secret=TOTP_SECRET):
    """The authenticator app's code for now."""
    return current_code(secret)


def moderator(**kwargs):
    """A member of the Moderators group (Wagtail admin access), with TOTP set up."""
    user = UserFactory(**{"two_factor": True, **kwargs})
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Wijkkapitaal"
    slug = "wijkkapitaal"


class CityPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CityPage

    title = factory.Sequence(lambda n: f"Stad {n}")
    slug = factory.Sequence(lambda n: f"stad-{n}")


class NeighbourhoodPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NeighbourhoodPage

    title = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    intro = "Een wijk vol plannen."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Bakkerij {n}")
    slug = factory.Sequence(lambda n: f"bakkerij-{n}")
    kind = Organisation.Kind.BUSINESS


def site_tree():
    """Home → city → neighbourhood, with the home page as the default site's root."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first() or HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    city = CityPageFactory(parent=home)
    neighbourhood = NeighbourhoodPageFactory(parent=city)
    return home, city, neighbourhood


def make_initiative(
    neighbourhood,
    *,
    initiator=None,
    status=Campaign.Status.LIVE,
    title="Repair Café",
    goal_cents=1_000_00,
    budget_lines=1,
    deadline=None,
    funding_model="all_or_nothing",
    category="repair",
):
    """An initiative through the real services: draft, then submitted and published if asked."""
    initiator = initiator or UserFactory()
    per_line = goal_cents // budget_lines
    amounts = [per_line] * (budget_lines - 1) + [goal_cents - per_line * (budget_lines - 1)]
    page = InitiativePage(
        title=title,
        slug=f"{slugify(title)}-{InitiativePage.objects.count() + 1}",
        summary=f"{title}: samen maken we het.",
        category=category,
        location="Buurthuis",
        goal_cents=goal_cents,
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=30),
        funding_model=funding_model,
    )
    lines = [
        BudgetLine(description=f"Post {i}", amount_cents=amount, sort_order=i)
        for i, amount in enumerate(amounts)
    ]
    campaign = services.create_initiative(
        user=initiator, neighbourhood=neighbourhood, page=page, budget_lines=lines
    )
    if status == Campaign.Status.DRAFT:
        return campaign
    services.submit_for_review(campaign=campaign, user=initiator)
    if status == Campaign.Status.IN_REVIEW:
        return campaign
    campaign.page.get_latest_revision().publish()
    campaign.refresh_from_db()
    if status != Campaign.Status.LIVE:
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        services.initiatives.refresh_listing_keys(campaign_id=campaign.pk)
        campaign.refresh_from_db()
    return campaign


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    kind = Task.Kind.HANDS
    title = factory.Sequence(lambda n: f"Klus {n}")
    people_needed = 3


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    task = factory.SubFactory(TaskFactory)
    user = factory.SubFactory(UserFactory)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    amount_cents = 25_00
    guest_email = factory.Sequence(lambda n: f"donor{n}@example.nl")
    public_name = factory.Sequence(lambda n: f"Donateur {n}")
    status = Pledge.Status.PAID
    paid_at = factory.LazyFunction(timezone.now)


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme that doubles donations (€1 per €1) up to €5,000 per initiative."""

    class Meta:
        model = FundingProgramme

    organisation = factory.SubFactory(
        OrganisationFactory, kind=Organisation.Kind.MUNICIPALITY, name="Gemeente Gouda"
    )
    name = factory.Sequence(lambda n: f"Wijkfonds {n}")
    slug = factory.Sequence(lambda n: f"wijkfonds-{n}")
    budget_cents = 25_000_00
    match_numerator = 1
    match_denominator = 1
    cap_per_initiative_cents = 5_000_00
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    join_mode = FundingProgramme.JoinMode.APPLICATION


def approve_programme(campaign, programme):
    """Join a campaign to a programme as if the fund had approved its application."""
    from campaigns.services.programmes import decide_application

    application = ProgrammeApplication.objects.create(programme=programme, campaign=campaign)
    return decide_application(application=application, user=moderator(), approve=True)


def pay(campaign, amount_cents=10_00, **donor):
    """A pledge created and paid through the real services; returns it reloaded."""
    from campaigns.services.pledges import create_pledge, mark_paid

    if not donor:
        donor = {"guest_email": f"buur{Pledge.objects.count()}@example.nl"}
    pledge, _attempt = create_pledge(campaign=campaign, amount_cents=amount_cents, **donor)
    mark_paid(pledge_id=pledge.pk, session_id=f"cs_{pledge.pk}")
    pledge.refresh_from_db()
    return pledge
