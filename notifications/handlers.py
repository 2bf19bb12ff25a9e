"""What each announced event sends. Subscribed in NotificationsConfig.ready().

A message to a few people is sent here and now (``deliver``), so the outbox row counts
as delivered only once the mail went out. A message to a whole audience is split into
batch jobs (:func:`notifications.jobs.fan_out`); the row is delivered once they are
queued. Either way, the sent-once log makes a second delivery mail nobody twice.
"""

from wagtail.contrib.forms.models import FormSubmission

from accounts.events import DataExportReady, OrganisationInvited
from campaigns import events as campaign_events
from campaigns.models import Campaign
from cms.events import ContactMessageReceived
from core.events import SpreadsheetExportReady, subscribe
from notifications import messages
from notifications.base import Recipient, deliver
from notifications.jobs import fan_out
from tasks import events as task_events
from tasks.models import Offer


def send(message_class, object_id, **kwargs):
    deliver(message_class(message_class.load(object_id), **kwargs))


@subscribe(campaign_events.PledgePaid)
def pledge_paid(event):
    send(messages.DonationReceipt, event.pledge_id)


@subscribe(campaign_events.PledgeFailed)
def pledge_failed(event):
    send(messages.PaymentFailed, event.pledge_id)


@subscribe(campaign_events.PledgeRefunded)
def pledge_refunded(event):
    send(messages.RefundCompleted, event.pledge_id)


@subscribe(campaign_events.CampaignMilestoneReached)
def campaign_milestone_reached(event):
    fan_out(f"milestone_{event.percent}", event.campaign_id)


@subscribe(campaign_events.CampaignSettled)
def campaign_settled(event):
    succeeded = event.status == Campaign.Status.SUCCEEDED
    fan_out("campaign_succeeded" if succeeded else "campaign_failed", event.campaign_id)


@subscribe(campaign_events.CampaignCancelled)
def campaign_cancelled(event):
    fan_out(messages.CampaignCancelled.key, event.campaign_id)


@subscribe(campaign_events.CampaignApproved)
def campaign_approved(event):
    send(messages.ModerationApproved, event.campaign_id)


@subscribe(campaign_events.ChangesRequested)
def changes_requested(event):
    send(messages.ChangesRequested, event.campaign_id, version=event.version)


@subscribe(campaign_events.UpdatePosted)
def update_posted(event):
    fan_out(messages.UpdatePosted.key, event.update_id)


@subscribe(campaign_events.PayoutPaid)
def payout_paid(event):
    send(messages.PayoutPaid, event.payout_id)


@subscribe(task_events.SignedUp)
def signed_up(event):
    send(messages.SignUpConfirmation, event.signup_id)


@subscribe(task_events.SignUpWithdrawn)
def signup_withdrawn(event):
    send(messages.SignUpWithdrawn, event.signup_id)


@subscribe(task_events.OfferDecided)
def offer_decided(event):
    offer = messages.OfferDecision.load(event.offer_id)
    if offer.status == Offer.Status.ACCEPTED:
        deliver(messages.OfferAccepted(offer))
    elif offer.status == Offer.Status.DECLINED:
        deliver(messages.OfferDeclined(offer))


@subscribe(task_events.OfferRequested)
def offer_requested(event):
    send(messages.StandingOfferRequested, event.offer_id)


@subscribe(task_events.OfferRequestAnswered)
def offer_request_answered(event):
    send(messages.OfferRequestAnswered, event.offer_id)


@subscribe(task_events.RegisterMessageSent)
def register_message_sent(event):
    send(messages.RegisterMessageReceived, event.message_id)


@subscribe(task_events.TaskChanged)
def task_changed(event):
    send(messages.TaskChanged, event.task_id, version=event.version)


@subscribe(task_events.TaskCancelled)
def task_cancelled(event):
    record = {"task_id": event.task_id, "title": event.title, "page_title": event.page_title}
    recipients = [
        Recipient(email=email, language=language, name=name)
        for email, language, name in event.recipients
    ]
    deliver(messages.TaskCancelled(record, recipients))


@subscribe(OrganisationInvited)
def organisation_invited(event):
    send(messages.OrganisationInvitation, event.invitation_id)


@subscribe(DataExportReady)
def data_export_ready(event):
    send(messages.DataExportReady, event.export_id)


@subscribe(SpreadsheetExportReady)
def spreadsheet_export_ready(event):
    send(messages.SpreadsheetExportReady, event.export_id)


@subscribe(ContactMessageReceived)
def contact_message_received(event):
    """A message a moderator deleted before its mail went out is not sent."""
    try:
        submission = messages.ContactMessage.load(event.submission_id)
    except FormSubmission.DoesNotExist:
        return
    deliver(messages.ContactMessage(submission))
