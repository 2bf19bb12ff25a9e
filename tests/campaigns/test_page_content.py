"""What the initiative page shows: hours, in-kind gifts, supporters, updates, budget, tasks."""

import datetime
import io
import re

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage
from wagtail.images import get_image_model

from campaigns.caching import bump_page_version
from campaigns.models import BudgetLine, Campaign, InitiativePage, InitiativeUpdate, Pledge
from campaigns.models.pages import SUPPORTERS_SHOWN, UPDATES_SHOWN
from tasks.models import Offer, SignUp
from tests.factories import (
    OrganisationFactory,
    PledgeFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Repair Café", goal_cents=1_000_00)


def dutch_url(page):
    """The page's Dutch URL (a request under /en/ leaves English active in this thread)."""
    with translation.override("nl"):
        return page.url


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html, marker):
    """The HTML of the <section> whose opening tag contains ``marker``."""
    start = html.index(marker)
    start = html.rindex("<section", 0, start)
    return html[start : html.index("</section>", start)]


def in_kind_line(html):
    match = re.search(r'<p class="in-kind">(.*?)</p>', html)
    return match and match.group(1)


def supporter_names(html):
    return re.findall(r"<li><strong>(.*?)</strong>", section(html, 'class="supporters"'))


def hours(campaign, *amounts):
    for amount in amounts:
        SignUp.objects.create(
            task=TaskFactory(initiative=campaign.page),
            user=UserFactory(),
            status=SignUp.Status.DONE,
            hours_confirmed=amount,
        )


# Hours and what is given in kind


def test_half_hours_show_with_a_decimal_point_in_english(client, campaign):
    hours(campaign, "1.0", "0.5")

    html = page_html(client, "/en" + dutch_url(campaign.page))

    assert in_kind_line(html) == "Hours given: 1.5"


# Numbers are written the locale's way: "1,5", not "1.5", in Dutch.
def test_half_hours_show_with_a_decimal_comma_in_dutch(client, campaign):
    hours(campaign, "1.0", "0.5")

    html = page_html(client, dutch_url(campaign.page))

    assert in_kind_line(html) == "Gegeven uren: 1,5"


def test_whole_hours_show_without_decimals(client, campaign):
    hours(campaign, "1.5", "1.5", "2.0")

    assert in_kind_line(page_html(client, dutch_url(campaign.page))) == "Gegeven uren: 5"
    assert in_kind_line(page_html(client, "/en" + dutch_url(campaign.page))) == "Hours given: 5"


def test_only_accepted_offers_count_in_kind_and_their_organisations_are_sorted(client, campaign):
    task = TaskFactory(initiative=campaign.page, kind="space")
    other_task = TaskFactory(initiative=make_initiative(site_tree()[2], title="Elders").page)
    zaden = OrganisationFactory(name="Zadenwinkel Groen")
    bakkerij = OrganisationFactory(name="Bakkerij Aarts")
    offers = [
        (task, zaden, 50_00, Offer.Status.ACCEPTED),
        (task, bakkerij, 25_00, Offer.Status.ACCEPTED),
        (task, zaden, 5_00, Offer.Status.ACCEPTED),  # a second offer: the name shows once
        (task, None, 5_00, Offer.Status.ACCEPTED),  # a neighbour, not an organisation
        (task, OrganisationFactory(name="Gemeente Gouda"), 900_00, Offer.Status.OFFERED),
        (task, OrganisationFactory(name="Verhuur Vos"), 300_00, Offer.Status.DECLINED),
        (task, OrganisationFactory(name="Drukkerij Dam"), 200_00, Offer.Status.WITHDRAWN),
        (other_task, OrganisationFactory(name="Andere Wijk BV"), 700_00, Offer.Status.ACCEPTED),
    ]
    for offer_task, organisation, value, status in offers:
        Offer.objects.create(
            task=offer_task,
            user=UserFactory(),
            organisation=organisation,
            kind="space",
            description="Een ruimte",
            estimated_value_cents=value,
            status=status,
        )
    hours(campaign, "2.0")

    html = page_html(client, "/en" + dutch_url(campaign.page))

    assert in_kind_line(html) == "€85 in kind, 2 hours"
    assert "Giving space or materials: Bakkerij Aarts, Zadenwinkel Groen." in html
    for hidden in ("Gemeente Gouda", "Verhuur Vos", "Drukkerij Dam", "Andere Wijk BV"):
        assert hidden not in html
    dutch = page_html(client, dutch_url(campaign.page))
    assert in_kind_line(dutch) == "€\xa085 in natura, 2 uur"


def test_helpers_are_counted_once_however_many_tasks_they_help_with(client, campaign):
    first, second, third = (TaskFactory(initiative=campaign.page) for _ in range(3))
    busy, other, gone = UserFactory(), UserFactory(), UserFactory()
    SignUp.objects.create(task=first, user=busy)
    SignUp.objects.create(task=second, user=busy, status=SignUp.Status.DONE)
    SignUp.objects.create(task=third, user=other)
    SignUp.objects.create(task=third, user=gone, status=SignUp.Status.WITHDRAWN)
    elsewhere = make_initiative(site_tree()[2], title="Elders")
    SignUp.objects.create(task=TaskFactory(initiative=elsewhere.page), user=UserFactory())

    assert "2 neighbours give time." in page_html(client, "/en" + dutch_url(campaign.page))
    assert "2 buurtbewoners geven tijd." in page_html(client, dutch_url(campaign.page))

    SignUp.objects.filter(user=other).update(status=SignUp.Status.WITHDRAWN)
    bump_page_version(campaign.pk)  # changed behind the services' back
    assert "1 neighbour gives time." in page_html(client, "/en" + dutch_url(campaign.page))


# Supporters


def test_supporters_are_paid_pledges_most_recent_first_and_anonymous_stays_anonymous(
    client, campaign
):
    now = timezone.now()

    def pledge(name, status=Pledge.Status.PAID, paid_hours_ago=None, **kwargs):
        paid_at = None if paid_hours_ago is None else now - datetime.timedelta(hours=paid_hours_ago)
        PledgeFactory(campaign=campaign, public_name=name, status=status, paid_at=paid_at, **kwargs)

    pledge("Oudste Gever", paid_hours_ago=3)
    pledge("Zonder Datum")  # paid, but without a payment time: last
    pledge("Nieuwste Gever", paid_hours_ago=1)
    pledge("Terugbetaling Gever", Pledge.Status.REFUND_PENDING, paid_hours_ago=2)
    pledge("Geheime Gever", paid_hours_ago=0.5, is_anonymous=True, message="Zet 'm op")
    pledge("Wachtende Gever", Pledge.Status.PENDING)
    pledge("Mislukte Gever", Pledge.Status.FAILED)
    pledge("Verlopen Gever", Pledge.Status.EXPIRED)
    pledge("Terugbetaalde Gever", Pledge.Status.REFUNDED, paid_hours_ago=0.1)

    html = page_html(client, dutch_url(campaign.page))

    assert supporter_names(html) == [
        "Anoniem",
        "Nieuwste Gever",
        "Terugbetaling Gever",
        "Oudste Gever",
        "Zonder Datum",
    ]
    assert "Geheime Gever" not in html
    assert "Zet &#x27;m op" in section(html, 'class="supporters"')
    for hidden in ("Wachtende", "Mislukte", "Verlopen", "Terugbetaalde"):
        assert hidden not in html


def test_at_most_twenty_four_supporters_are_shown(client, campaign):
    start = timezone.now() - datetime.timedelta(days=1)
    Pledge.objects.bulk_create(
        Pledge(
            campaign=campaign,
            amount_cents=5_00,
            guest_email=f"gever{i}@example.nl",
            public_name=f"Gever {i:02}",
            status=Pledge.Status.PAID,
            paid_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(30)
    )

    names = supporter_names(page_html(client, dutch_url(campaign.page)))

    assert SUPPORTERS_SHOWN == 24
    assert names == [f"Gever {i:02}" for i in range(29, 5, -1)]


# Updates


def test_updates_newest_first_and_at_most_ten(client, campaign):
    start = timezone.now() - datetime.timedelta(days=30)
    for i in range(12):
        update = InitiativeUpdate.objects.create(
            campaign=campaign, title=f"Nieuws {i:02}", body="…"
        )
        InitiativeUpdate.objects.filter(pk=update.pk).update(
            created_at=start + datetime.timedelta(days=i)
        )
    elsewhere = make_initiative(site_tree()[2], title="Elders")
    InitiativeUpdate.objects.create(campaign=elsewhere, title="Nieuws van elders", body="…")

    html = page_html(client, dutch_url(campaign.page))

    titles = re.findall(r"<h3>(.*?)</h3>", section(html, 'id="updates"'))
    assert UPDATES_SHOWN == 10
    assert titles == [f"Nieuws {i:02}" for i in range(11, 1, -1)]
    assert "Nieuws van elders" not in html


# The initiator's preview


def budget_lines_shown(html):
    table = section(html, 'id="budget-heading"')
    return re.findall(r"<tr><td>(.*?)</td>", table)


def test_the_preview_shows_the_latest_revisions_budget_and_the_public_page_the_published_one(
    client, campaign
):
    initiator = campaign.initiators.get()
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.summary = "Een nieuwe samenvatting in concept."
    page.budget_lines = [
        BudgetLine(description="Gereedschap", amount_cents=600_00, sort_order=0),
        BudgetLine(description="Koffie en thee", amount_cents=400_00, sort_order=1),
    ]
    page.save_revision(user=initiator)  # not published
    client.force_login(initiator)

    preview = page_html(client, reverse("campaigns:preview", args=[page.pk]))

    assert budget_lines_shown(preview) == ["Gereedschap", "Koffie en thee"]
    assert "Een nieuwe samenvatting in concept." in preview
    assert "Voorbeeld: zo komt je initiatief eruit te zien." in preview

    public = page_html(client, dutch_url(page))
    assert budget_lines_shown(public) == ["Post 0"]
    assert "Een nieuwe samenvatting in concept." not in public
    assert "Voorbeeld:" not in public
    assert list(
        BudgetLine.objects.filter(page_id=page.pk).values_list("description", flat=True)
    ) == ["Post 0"]


def test_the_preview_of_a_draft_shows_its_budget(client):
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.DRAFT, budget_lines=3)
    client.force_login(campaign.initiators.get())

    preview = page_html(client, reverse("campaigns:preview", args=[campaign.page_id]))

    assert budget_lines_shown(preview) == ["Post 0", "Post 1", "Post 2"]
    assert "€\xa01.000" in section(preview, 'id="budget-heading"')


# The cover image


def png_file(name="omslag.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (40, 120, 60)).save(buffer, "PNG")
    return ImageFile(buffer, name=name)


@pytest.fixture
def with_cover(campaign):
    image = get_image_model().objects.create(title="Omslag", file=png_file())
    page = InitiativePage.objects.get(pk=campaign.page_id)
    page.cover_image = image
    page.save_revision().publish()
    return image


@pytest.fixture
def rendition_cache_writes(monkeypatch):
    """Keys written to the (locmem) cache that are Wagtail rendition entries."""
    written = []
    original_set, original_set_many = LocMemCache.set, LocMemCache.set_many

    def spy_set(self, key, *args, **kwargs):
        written.append(key)
        return original_set(self, key, *args, **kwargs)

    def spy_set_many(self, data, *args, **kwargs):
        written.extend(data)
        return original_set_many(self, data, *args, **kwargs)

    monkeypatch.setattr(LocMemCache, "set", spy_set)
    monkeypatch.setattr(LocMemCache, "set_many", spy_set_many)

    def renditions():
        keys = [key for key in written if str(key).startswith("wagtail-rendition-")]
        written.clear()
        return keys

    return renditions


def hero_img(html):
    match = re.search(r'<img [^>]*class="hero-image"[^>]*>', html)
    return match and match.group(0)


def test_the_cover_image_renders_as_the_hero_rendition(client, campaign, with_cover):
    html = page_html(client, dutch_url(campaign.page))

    img = hero_img(html)
    assert img is not None
    rendition = with_cover.renditions.get()
    assert rendition.filter_spec == "fill-1200x600"
    assert f'src="{rendition.url}"' in img
    assert 'width="1200"' in img and 'height="600"' in img


# The hero is inside a cached fragment: Wagtail's image tag, which writes the rendition
# back to the cache on every call, runs only when the fragment is rendered.
def test_a_second_view_does_not_write_the_rendition_again(
    client, campaign, with_cover, rendition_cache_writes
):
    first = page_html(client, dutch_url(campaign.page))
    assert rendition_cache_writes()  # the first view made the rendition and cached it

    second = page_html(client, dutch_url(campaign.page))

    assert rendition_cache_writes() == []
    assert with_cover.renditions.count() == 1
    assert hero_img(second) == hero_img(first)


def test_tasks_follow_their_position_then_their_age(client, campaign):
    page = InitiativePage.objects.get(pk=campaign.page_id)
    for title, position in [("Derde", 2), ("Eerste", 1), ("Tweede", 1)]:
        TaskFactory(initiative=page, title=title, position=position)

    html = section(page_html(client, dutch_url(page)), 'id="tasks"')

    assert re.findall(r"<h3>(.*?)</h3>", html) == ["Eerste", "Tweede", "Derde"]


def test_wagtails_own_preview_shows_no_donate_button_or_sign_up(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.LIVE)
    page = InitiativePage.objects.get(pk=campaign.page_id)
    TaskFactory(initiative=page, title="Koffie zetten", kind="hands")
    public = page_html(client, dutch_url(page))
    assert "donate-button" in public
    assert "task-actions" in public

    preview = page.make_preview_request().content.decode()

    assert "Koffie zetten" in preview
    assert "donate-button" not in preview
    assert "task-actions" not in preview
