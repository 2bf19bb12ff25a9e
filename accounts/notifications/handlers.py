"""What each platform event sends. Connected in AccountsConfig.ready()."""

from accounts.notify import on


def _send(key, object_id, **kwargs):
    from accounts.jobs import send_message

    send_message.delay(key, object_id, **kwargs)


@on("pledge.paid")
def pledge_paid(pledge_id):
    _send("donation_receipt", pledge_id)


@on("pledge.failed")
def pledge_failed(pledge_id):
    _send("payment_failed", pledge_id)


@on("pledge.refunded")
def pledge_refunded(pledge_id):
    _send("refund_completed", pledge_id)


@on("signup.created")
def signup_created(signup_id):
    _send("signup_confirmation", signup_id)


@on("offer.decided")
def offer_decided(offer_id):
    from tasks.models import Offer

    status = Offer.objects.values_list("status", flat=True).get(pk=offer_id)
    _send("offer_accepted" if status == Offer.Status.ACCEPTED else "offer_declined", offer_id)


@on("task.changed")
def task_changed(task_id, version):
    _send("task_changed", task_id, version=version)


@on("task.cancelled")
def task_cancelled(task_id, title, page_title, recipients):
    from accounts.jobs import send_task_cancelled

    send_task_cancelled.delay(task_id, title, page_title, recipients)


@on("campaign.milestone")
def campaign_milestone(campaign_id, percent):
    from accounts.jobs import fan_out

    fan_out.delay(f"milestone_{percent}", campaign_id)


@on("campaign.settled")
def campaign_settled(campaign_id, status):
    from accounts.jobs import fan_out

    fan_out.delay("campaign_succeeded" if status == "succeeded" else "campaign_failed", campaign_id)


@on("campaign.approved")
def campaign_approved(campaign_id):
    _send("moderation_approved", campaign_id)


@on("campaign.changes_requested")
def campaign_changes_requested(campaign_id, version):
    _send("changes_requested", campaign_id, version=version)


@on("update.posted")
def update_posted(update_id):
    from accounts.jobs import fan_out

    fan_out.delay("update_posted", update_id)


@on("organisation.invited")
def organisation_invited(invitation_id):
    _send("organisation_invitation", invitation_id)


@on("fan_out.interrupted")
def fan_out_again(key, object_id):
    """Queue again a fan-out whose batches could not all be queued (see ``fan_out``)."""
    from accounts.jobs import fan_out

    fan_out.delay(key, object_id)
