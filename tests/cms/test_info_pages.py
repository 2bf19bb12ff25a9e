"""The pages people look for: FAQ, the organisations list, the footer and the contact form."""

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from cms.models import ContactPage, OrganisationIndexPage, PlatformSettings, StandardPage
from tests.factories import OrganisationFactory, UserFactory, moderator, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return site_tree()[0]


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def contact(home):
    return add(
        home,
        ContactPage(
            title="Contact",
            slug="contact",
            intro="<p>Stuur ons een bericht.</p>",
            thank_you_text="<p>Bedankt, we lezen het.</p>",
        ),
    )


def test_a_faq_block_renders_its_questions_as_details(client, home):
    page = add(
        home,
        StandardPage(
            title="Veelgestelde vragen",
            slug="faq",
            body=[
                (
                    "faq",
                    {
                        "heading": "Geven",
                        "questions": [
                            {"question": "Hoe betaal ik?", "answer": "<p>Via Stripe.</p>"}
                        ],
                    },
                )
            ],
        ),
    )

    html = client.get(page.url).content.decode()

    assert "<h2>Geven</h2>" in html
    assert '<details class="faq-item"><summary>Hoe betaal ik?</summary>' in html
    assert "Via Stripe." in html


def test_the_organisations_page_lists_visible_ones_with_their_badge_and_pages(client, home):
    page = add(home, OrganisationIndexPage(title="Organisaties", slug="organisaties"))
    checker = moderator()
    OrganisationFactory(name="Bakkerij De Korst", verified_at=timezone.now(), verified_by=checker)
    OrganisationFactory(name="Buurthuis De Wei")
    OrganisationFactory(name="Verborgen BV", hidden_at=timezone.now())
    for number in range(30):
        OrganisationFactory(name=f"Zaak {number:02}")

    first = client.get(page.url).content.decode()
    second = client.get(page.url, {"page": 2}).content.decode()

    assert "Bakkerij De Korst" in first and "badge-verified" in first
    assert 'href="/organisations/' in first
    assert "Verborgen BV" not in first + second
    assert "Zaak 29" in second and "Zaak 29" not in first
    assert "Page 1 of 2" in first or "Pagina 1 van 2" in first


def test_the_footer_links_the_pages_staff_chose(client, home, contact):
    settings = PlatformSettings.for_site(home.get_site())
    settings.footer_links = [("link", {"page": contact, "label": "Stel een vraag"})]
    settings.save()

    html = client.get("/").content.decode()

    footer = html[html.index('class="site-footer"') :]
    assert '<a href="/contact/">Stel een vraag</a>' in footer


def test_the_contact_page_shows_the_form(client, contact):
    response = client.get(contact.url)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "email", "subject", "message"):
        assert f'name="{name}"' in html
    assert "<div hidden>" in html  # the robots' field, out of sight and out of reach


def good(**changes):
    return {
        "name": "Anouk de Vries",
        "email": "anouk@example.nl",
        "subject": "Vraag over mijn gift",
        "message": "Ik gaf twee keer per ongeluk. Kan één gift terug?",
        **changes,
    }


def test_a_contact_message_reaches_every_moderator_and_is_kept_for_the_admin(
    client, contact, django_capture_on_commit_callbacks
):
    first, second = moderator(email="mod1@example.nl"), moderator(email="mod2@example.nl")
    UserFactory(email="resident@example.nl")
    moderator(email="gone@example.nl", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, good())

    assert response.status_code == 200
    assert "Bedankt, we lezen het." in response.content.decode()
    submission = FormSubmission.objects.get(page=contact)
    assert submission.form_data["email"] == "anouk@example.nl"
    assert "website" not in submission.form_data
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, second.email]
    message = mail.outbox[0]
    assert message.subject == "Contactformulier: Vraag over mijn gift"
    assert message.reply_to == ["anouk@example.nl"]
    assert "Ik gaf twee keer per ongeluk" in message.body
    assert f"/admin/forms/submissions/{contact.pk}/" in message.body


def test_the_contact_address_of_the_platform_gets_it_too(
    client, home, contact, django_capture_on_commit_callbacks
):
    settings = PlatformSettings.for_site(home.get_site())
    settings.contact_email = "info@wijkkapitaal.nl"
    settings.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact.url, good())

    assert [m.to for m in mail.outbox] == [["info@wijkkapitaal.nl"]]


@pytest.mark.parametrize(
    "language, prefix, expected",
    [
        ("nl", "", "Vul je e-mailadres in, zodat we je kunnen antwoorden."),
        ("en", "/en", "Enter your e-mail address, so that we can answer you."),
    ],
)
def test_bad_input_is_answered_in_the_visitors_language_with_400(
    client, contact, language, prefix, expected
):
    moderator()

    response = client.post(prefix + contact.url, good(email="", message="x" * 3001))

    assert response.status_code == 400
    html = response.content.decode()
    assert expected in html
    assert "3001" in html and "3000" in html  # the length and the limit are named
    assert "Anouk de Vries" in html  # what was typed is kept
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_a_robot_that_fills_the_hidden_field_is_thanked_and_ignored(
    client, contact, django_capture_on_commit_callbacks
):
    moderator()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact.url, good(website="http://spam.example"))

    assert response.status_code == 200
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_too_many_messages_get_429_and_keep_the_text(client, contact, settings):
    settings.WIJKKAPITAAL = {
        **settings.WIJKKAPITAAL,
        "RATE_LIMITS": {
            **settings.WIJKKAPITAAL["RATE_LIMITS"],
            "contact": {"ip": "2/h", "user": "2/h"},
        },
    }
    for _ in range(2):
        assert client.post(contact.url, good()).status_code == 200

    response = client.post(contact.url, good(subject="Derde bericht"))

    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Derde bericht" in html
    assert "kort na elkaar" in html
    assert FormSubmission.objects.count() == 2


def test_the_demo_builds_the_dutch_pages_and_links_them_from_the_footer(client):
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)

    html = client.get("/").content.decode()
    footer = html[html.index('class="site-footer"') :]
    for path, title in (
        ("/hoe-het-werkt/", "Hoe het werkt"),
        ("/veelgestelde-vragen/", "Veelgestelde vragen"),
        ("/over-ons/", "Over Wijkkapitaal"),
        ("/organisaties/", "Organisaties"),
        ("/contact/", "Contact"),
    ):
        assert f'<a href="{path}">{title}</a>' in footer
        assert client.get(path).status_code == 200
    assert "Bakkerij De Goudse Korst" in client.get("/organisaties/").content.decode()
    assert (
        "<summary>Hoe betaal ik?</summary>" in client.get("/veelgestelde-vragen/").content.decode()
    )


def test_every_demo_text_has_dutch_and_english():
    from demo import info_content

    for data in [*info_content.STANDARD_PAGES, info_content.CONTACT, info_content.ORGANISATIONS]:
        dutch, english = (info_content.in_language(data, code) for code in ("nl", "en"))
        assert (
            dutch["title"]
            and english["title"]
            and dutch["title"] != english["title"]
            or (data["key"] == "contact")
        )
        assert repr(dutch) != repr(english)
        assert "'nl'" not in repr(dutch) and "'en'" not in repr(english)


def test_contact_messages_are_deleted_after_the_retention_period(contact, home):
    from datetime import timedelta

    from cms.jobs import forget_contact_messages

    other_form = add(home, StandardPage(title="Geen formulier", slug="geen-formulier"))
    old = FormSubmission.objects.create(page=contact, form_data=good())
    recent = FormSubmission.objects.create(page=contact, form_data=good())
    kept_elsewhere = FormSubmission.objects.create(page=other_form, form_data={})
    FormSubmission.objects.filter(pk__in=[old.pk, kept_elsewhere.pk]).update(
        submit_time=timezone.now() - timedelta(days=366)
    )

    assert forget_contact_messages() == 1

    remaining = set(FormSubmission.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, kept_elsewhere.pk}
