"""Every message: its trigger sends exactly one e-mail to each right person, in their language."""

import datetime
import smtplib

import icalendar
import pytest
from django.core import mail, signing
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, Membership
from campaigns.models import Campaign, PaymentAttempt, Pledge
from campaigns.services import pledges as pledge_services
from campaigns.services import updates as update_services
from campaigns.services.initiatives import mark_live, request_changes
from campaigns.services.settlement import settle_campaign
from notifications.base import Recipient, deliver, unsubscribe_token
from notifications.jobs import send_digests, send_message, send_task_reminders
from notifications.messages import UpdatePosted
from notifications.models import NotificationPreference, SentMessage
from tasks import services as task_services
from tasks.models import Task
from tests.factories import (
    OrganisationFactory,
    TaskFactory,
    UserFactory,
    make_initiative,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the change and its after-commit work (notifications, eager Celery jobs)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def mails(key_fragment=None):
    return [m for m in mail.outbox if key_fragment is None or key_fragment in m.subject]


def inbox(email):
    return [m for m in mail.outbox if m.to == [email]]


@pytest.fixture
def campaign():
    return make_initiative(site_tree()[2], title="Repair Café", goal_cents=100_00)


def pay(
    run_on_commit, campaign, amount_cents, *, donor=None, email="", language="nl", updates=True
):
    """A paid pledge; a guest asks for update mail unless ``updates`` is False."""
    pledge, attempt = pledge_services.create_pledge(
        campaign=campaign,
        amount_cents=amount_cents,
        donor=donor,
        guest_email=email,
        public_name="Buur",
        language=language,
        wants_updates=updates,
    )
    session = f"cs_{pledge.pk}"
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        checkout_session_id=session, payment_intent_id=f"pi_{pledge.pk}"
    )
    run_on_commit(pledge_services.mark_paid, pledge_id=pledge.pk, session_id=session)
    return Pledge.objects.get(pk=pledge.pk)


def test_donation_receipt_goes_to_the_donor_in_their_language(run_on_commit, campaign):
    pay(run_on_commit, campaign, 10_00, email="gast@example.nl", language="en")
    english = UserFactory(email="dutch@example.nl", preferred_language="nl")
    pay(run_on_commit, campaign, 10_00, donor=english)

    guest = [m for m in inbox("gast@example.nl") if "donation" in m.subject]
    assert len(guest) == 1
    assert "Thank you for your donation of €10" in guest[0].body
    assert "all or nothing" in guest[0].body
    dutch = inbox("dutch@example.nl")
    assert len([m for m in dutch if "donatie" in m.subject.lower()]) == 1
    assert dutch[0].extra_headers["Content-Language"] == "nl"
    initiator = campaign.initiators.get().email
    assert not [m for m in inbox(initiator) if "donation" in m.subject.lower()]


def test_failed_payment_and_refund_messages(run_on_commit, campaign):
    pledge, attempt = pledge_services.create_pledge(
        campaign=campaign,
        amount_cents=10_00,
        guest_email="gast@example.nl",
        public_name="B",
        language="en",
    )
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checkout_session_id="cs_f")
    run_on_commit(
        pledge_services.mark_unpaid, pledge_id=pledge.pk, to_status="failed", session_id="cs_f"
    )
    assert [m.subject for m in inbox("gast@example.nl")] == [
        "Your donation to Repair Café did not go through"
    ]

    paid = pay(run_on_commit, campaign, 20_00, email="terug@example.nl", language="en")
    run_on_commit(pledge_services.request_refund, pledge=paid)
    refunds = [m for m in inbox("terug@example.nl") if "refunded" in m.subject]
    assert len(refunds) == 1


def test_sign_up_confirmation_carries_a_calendar_file_that_parses(run_on_commit, campaign):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    task = TaskFactory(
        initiative=campaign.page,
        title="Koffie schenken",
        place="Buurthuis",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    helper = UserFactory(preferred_language="en")
    bystander = UserFactory()

    run_on_commit(task_services.sign_up, task=task, user=helper)

    messages = inbox(helper.email)
    assert len(messages) == 1
    assert messages[0].subject == "You are signed up for “Koffie schenken”"
    name, content, mimetype = messages[0].attachments[0]
    assert mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTEND") == starts + datetime.timedelta(hours=2)
    assert str(event.get("LOCATION")) == "Buurthuis"
    assert str(event.get("SUMMARY")) == "Koffie schenken"
    assert inbox(bystander.email) == []


def test_reminders_go_to_helpers_of_tasks_starting_tomorrow_only(run_on_commit, campaign):
    tomorrow = TaskFactory(
        initiative=campaign.page,
        title="Morgen",
        starts_at=timezone.now() + datetime.timedelta(hours=24),
    )
    later = TaskFactory(
        initiative=campaign.page,
        title="Later",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    helper, quitter, other = UserFactory(), UserFactory(), UserFactory()
    task_services.sign_up(task=tomorrow, user=helper)
    signup = task_services.sign_up(task=tomorrow, user=quitter)
    task_services.withdraw(signup=signup, user=quitter)
    task_services.sign_up(task=later, user=other)
    mail.outbox.clear()

    send_task_reminders()
    send_task_reminders()

    assert [m.to for m in mail.outbox] == [[helper.email]]
    assert "Morgen" in mail.outbox[0].subject


def test_task_change_and_cancellation_reach_the_signed_up_helpers(run_on_commit, campaign):
    task = TaskFactory(initiative=campaign.page, title="Schilderen", people_needed=3)
    helper, quitter = UserFactory(), UserFactory()
    task_services.sign_up(task=task, user=helper)
    signup = task_services.sign_up(task=task, user=quitter)
    task_services.withdraw(signup=signup, user=quitter)
    mail.outbox.clear()

    task.place = "Achter de kerk"
    run_on_commit(task_services.save_task, task=task, user=campaign.initiators.get())
    assert [m.to for m in mail.outbox] == [[helper.email]]
    assert "Achter de kerk" in mail.outbox[0].body

    task.place = "Toch in het buurthuis"
    run_on_commit(task_services.save_task, task=task, user=campaign.initiators.get())
    assert len(inbox(helper.email)) == 2  # a second change is news too


def test_fifty_donations_in_an_hour_give_one_digest(run_on_commit, campaign):
    for n in range(50):
        pay(run_on_commit, campaign, 5_00, email=f"donor{n}@example.nl")
    initiator = campaign.initiators.get()
    assert not [m for m in inbox(initiator.email) if "New for" in m.subject or "Nieuw" in m.subject]

    send_digests()
    send_digests()

    def digests():
        return [m for m in inbox(initiator.email) if "(Buur)" in m.body]

    assert len(digests()) == 1
    assert digests()[0].body.count("(Buur)") == 50

    pay(run_on_commit, campaign, 5_00, email="late@example.nl")
    send_digests()
    assert len(digests()) == 1  # the next one waits until an hour has passed


def test_the_digest_lists_sign_ups_withdrawals_and_offers_once_and_nothing_rolled_back(
    run_on_commit, campaign
):
    helper = UserFactory(first_name="Samira", last_name="")
    organisation = OrganisationFactory(name="Bakkerij De Korenschoof")
    hands = TaskFactory(initiative=campaign.page, title="Stoelen sjouwen")
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, title="Een zaal")
    baker = UserFactory()
    Membership.objects.create(organisation=organisation, user=baker)
    signup = run_on_commit(task_services.sign_up, task=hands, user=helper)
    run_on_commit(task_services.withdraw, signup=signup, user=helper)
    run_on_commit(task_services.sign_up, task=hands, user=helper)  # the same sign-up again
    run_on_commit(
        task_services.make_offer,
        task=space,
        user=baker,
        organisation=organisation,
        kind="space",
        description="Achterzaal op zaterdag",
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        pay(run_on_commit, campaign, 5_00, email="rolled-back@example.nl")
        raise RuntimeError("the surrounding change fails")

    send_digests()

    (digest,) = [m for m in inbox(campaign.initiators.get().email) if "Stoelen" in m.body]
    assert digest.body.count(f"- Aanmelding: {helper.public_name}: Stoelen sjouwen") == 1
    assert digest.body.count(f"- Afmelding: {helper.public_name}: Stoelen sjouwen") == 1
    assert "Bakkerij De Korenschoof: Achterzaal op zaterdag" in digest.body
    assert "rolled-back" not in digest.body and "€ 5" not in digest.body


def test_milestones_are_announced_once_each(run_on_commit, campaign):
    supporter = UserFactory(preferred_language="en")
    pay(run_on_commit, campaign, 30_00, donor=supporter)
    pay(run_on_commit, campaign, 25_00, email="b@example.nl", language="en")
    pay(run_on_commit, campaign, 10_00, email="c@example.nl", language="en")
    pay(run_on_commit, campaign, 40_00, email="d@example.nl", language="en")
    pay(run_on_commit, campaign, 5_00, email="no-news@example.nl", updates=False)

    half = [m for m in mail.outbox if "50%" in m.subject]
    full = [m for m in mail.outbox if "100%" in m.subject]
    initiator = campaign.initiators.get().email
    assert sorted(m.to[0] for m in half) == sorted([initiator, supporter.email, "b@example.nl"])
    assert sorted(m.to[0] for m in full) == sorted(
        [initiator, supporter.email, "b@example.nl", "c@example.nl", "d@example.nl"]
    )


@pytest.mark.parametrize(("raised", "subject"), [(100_00, "is funded"), (10_00, "did not reach")])
def test_campaign_outcome_goes_to_every_supporter(run_on_commit, campaign, raised, subject):
    pay(run_on_commit, campaign, raised, email="donor@example.nl", language="en")
    helper = UserFactory(preferred_language="en")
    task_services.sign_up(task=TaskFactory(initiative=campaign.page), user=helper)
    outsider = UserFactory()
    mail.outbox.clear()

    run_on_commit(
        settle_campaign,
        campaign_id=campaign.pk,
        now=campaign.deadline_at + datetime.timedelta(seconds=1),
    )

    outcome = [m for m in mail.outbox if subject in m.subject]
    assert sorted(m.to[0] for m in outcome) == sorted(["donor@example.nl", helper.email])
    assert inbox(outsider.email) == []
    if raised < 100_00:
        assert "refunded" in outcome[0].body


def test_moderation_decisions_reach_the_initiators_only(run_on_commit):
    neighbourhood = site_tree()[2]
    campaign = make_initiative(neighbourhood, status=Campaign.Status.IN_REVIEW)
    initiator = campaign.initiators.get()
    run_on_commit(request_changes, campaign=campaign, comment="Graag een foto toevoegen.")
    changes = inbox(initiator.email)
    assert len(changes) == 1
    assert "Graag een foto toevoegen." in changes[0].body

    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.IN_REVIEW)
    run_on_commit(mark_live, campaign=campaign)
    assert len(inbox(initiator.email)) == 2
    assert all(m.to == [initiator.email] for m in mail.outbox)


def test_offer_decisions_reach_the_offerer(run_on_commit, campaign):
    space = TaskFactory(initiative=campaign.page, kind=Task.Kind.SPACE, people_needed=2)
    baker, other = UserFactory(preferred_language="en"), UserFactory(preferred_language="en")
    organisation = OrganisationFactory()
    Membership.objects.create(organisation=organisation, user=baker)
    offer = task_services.make_offer(
        task=space, user=baker, organisation=organisation, kind="space", description="Zaal"
    )
    declined = task_services.make_offer(task=space, user=other, kind="space", description="Tuin")
    initiator = campaign.initiators.get()

    run_on_commit(task_services.decide_offer, offer=offer, accept=True, user=initiator)
    run_on_commit(task_services.decide_offer, offer=declined, accept=False, user=initiator)

    assert [m.subject for m in inbox(baker.email)] == ["Your offer to Repair Café was accepted"]
    assert [m.subject for m in inbox(other.email)] == ["About your offer to Repair Café"]


def test_an_update_reaches_supporters_and_followers_but_not_others(run_on_commit, campaign):
    pay(run_on_commit, campaign, 10_00, email="donor@example.nl")
    pay(run_on_commit, campaign, 10_00, email="no-news@example.nl", updates=False)
    follower, stranger, opted_out = UserFactory(), UserFactory(), UserFactory()
    update_services.set_following(campaign=campaign, user=follower, follow=True)
    update_services.set_following(campaign=campaign, user=opted_out, follow=True)
    NotificationPreference.objects.create(email=opted_out.email, updates=False)
    mail.outbox.clear()

    run_on_commit(
        update_services.post_update,
        campaign=campaign,
        author=campaign.initiators.get(),
        title="Eerste middag",
        body="Het was druk!",
    )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(["donor@example.nl", follower.email])
    assert all("Eerste middag" in m.subject for m in mail.outbox)
    assert inbox(stranger.email) == []


def test_organisation_invitation(run_on_commit):
    from accounts.services import invite_member

    inviter = UserFactory()
    organisation = OrganisationFactory()
    organisation.membership_set.create(user=inviter, role="admin")
    run_on_commit(
        invite_member, organisation=organisation, email="Nieuw@Example.nl", invited_by=inviter
    )
    invitation = Invitation.objects.get()
    assert [m.to for m in mail.outbox] == [["nieuw@example.nl"]]
    assert invitation.token in mail.outbox[0].body


def test_every_email_has_html_text_and_a_one_click_unsubscribe(run_on_commit, campaign):
    pay(run_on_commit, campaign, 10_00, email="gast@example.nl")
    message = mail.outbox[0]
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/e-mail/unsubscribe/" in message.body


def test_a_batch_that_crashes_halfway_delivers_each_message_exactly_once(campaign, monkeypatch):
    from campaigns.models import InitiativeUpdate

    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuws", body="Tekst")
    recipients = [Recipient(email=f"buur{n}@example.nl") for n in range(10)]
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 6:
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver(UpdatePosted(update), recipients)
    assert len(mail.outbox) == 5

    deliver(UpdatePosted(update), recipients)  # the retry
    deliver(UpdatePosted(update), recipients)  # and a duplicate run

    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in recipients)
    assert SentMessage.objects.filter(message="update_posted").count() == 10


def test_the_celery_job_retries_smtp_errors_until_everyone_has_it(campaign, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from campaigns.models import InitiativeUpdate

    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuws", body="Tekst")
    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] in (2, 4):
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    batch = [(f"buur{n}@example.nl", "nl", "") for n in range(4)]
    send_message.apply(args=["update_posted", update.pk], kwargs={"recipients": batch})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for email, _, _ in batch)


def test_unsubscribe_works_without_login_and_stops_that_category_only(run_on_commit, campaign):
    email = "buur@example.nl"
    token = unsubscribe_token(email, "updates")
    anonymous = Client()

    page = anonymous.get(f"/en/e-mail/unsubscribe/{token}/")
    assert page.status_code == 200 and email in page.content.decode()
    assert not opted_out()  # a GET alone changes nothing

    done = anonymous.post(f"/en/e-mail/unsubscribe/{token}/")
    assert done.status_code == 200
    preference = NotificationPreference.objects.get(email=email)
    assert (preference.updates, preference.reminders, preference.digests) == (False, True, True)

    pay(run_on_commit, campaign, 10_00, email=email)
    assert len(inbox(email)) == 1  # the receipt still arrives


def opted_out():
    return NotificationPreference.objects.filter(
        Q(updates=False) | Q(reminders=False) | Q(digests=False)
    ).exists()


@pytest.mark.parametrize("tamper", ["forged", "altered", "garbage"])
def test_forged_or_altered_unsubscribe_tokens_are_refused(tamper):
    token = unsubscribe_token("buur@example.nl", "updates")
    if tamper == "forged":
        token = signing.dumps(
            {"e": "buur@example.nl", "c": "updates"},
            key="not-our-secret",
            salt="wijkkapitaal.unsubscribe",
        )
    elif tamper == "altered":
        other = NotificationPreference.objects.create(email="ander@example.nl")
        payload = signing.b64_encode(f'[{other.pk},"updates"]'.encode()).decode()
        token = payload + ":" + token.split(":")[-1]
    else:
        token = "nonsense"
    response = Client().post(f"/en/e-mail/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not opted_out()


def test_preferences_page_for_logged_in_users(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/e-mail/", {"updates": "on", "digests": "on"})
    preference = NotificationPreference.objects.get(email=user.email)
    assert (preference.updates, preference.reminders, preference.digests) == (True, False, True)


def test_preview_messages_renders_every_message_in_both_languages(tmp_path):
    from django.core.management import call_command

    from notifications.messages import REGISTRY

    call_command("preview_messages", str(tmp_path))
    for key in REGISTRY:
        for language in ("nl", "en"):
            assert (tmp_path / f"{key}.{language}.html").exists()
            assert (tmp_path / f"{key}.{language}.txt").read_text().startswith("Subject: ")


def test_a_removed_task_tells_its_helpers_it_is_cancelled(run_on_commit, campaign):
    from tasks.forms import TaskFormSet

    task = TaskFactory(initiative=campaign.page, title="Schilderen", people_needed=3)
    helper, bystander = UserFactory(preferred_language="en"), UserFactory()
    task_services.sign_up(task=task, user=helper)
    mail.outbox.clear()
    formset = TaskFormSet(
        {
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "1",
            "tasks-MIN_NUM_FORMS": "0",
            "tasks-MAX_NUM_FORMS": "50",
            "tasks-0-id": str(task.pk),
            "tasks-0-title": task.title,
            "tasks-0-kind": "hands",
            "tasks-0-people_needed": "3",
            "tasks-0-DELETE": "on",
        },
        prefix="tasks",
        queryset=Task.objects.filter(initiative=campaign.page),
    )
    assert formset.is_valid(), formset.errors

    run_on_commit(
        task_services.save_task_edits,
        initiative=campaign.page,
        user=campaign.initiators.get(),
        formset=formset,
    )

    assert not Task.objects.filter(pk=task.pk).exists()
    assert [m.subject for m in mail.outbox] == ["“Schilderen” has been cancelled"]
    assert mail.outbox[0].to == [helper.email]
    assert inbox(bystander.email) == []


def test_a_claim_left_unsent_by_a_dead_sender_is_taken_over_after_the_lease(campaign):
    from campaigns.models import InitiativeUpdate
    from notifications.base import CLAIM_LEASE

    update = InitiativeUpdate.objects.create(campaign=campaign, title="Nieuws", body="Tekst")
    message = UpdatePosted(update)
    recipient = Recipient(email="buur@example.nl")
    SentMessage.objects.create(  # claimed by a worker that was killed before it sent
        message=message.key,
        object_key=message.object_key,
        recipient=recipient.email,
        claim="00000000-0000-0000-0000-000000000001",
    )

    assert deliver(message, [recipient]) == 0  # the claim may still be sending
    SentMessage.objects.update(claimed_at=timezone.now() - CLAIM_LEASE - datetime.timedelta(1))
    assert deliver(message, [recipient]) == 1
    assert deliver(message, [recipient]) == 0

    assert [m.to for m in mail.outbox] == [[recipient.email]]
    assert SentMessage.objects.get().sent_at is not None
