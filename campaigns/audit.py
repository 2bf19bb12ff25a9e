"""The audit log: who changed what, when, and from which state to which.

Every action name is a constant of :class:`Action`, so that each place that writes or
reads one can be found with grep.
"""

from campaigns.models import AuditEntry


class Action:
    # Campaigns
    CAMPAIGN_CREATED = "created"
    CAMPAIGN_EDITED = "edited"
    CAMPAIGN_SUBMITTED = "submitted"
    CAMPAIGN_APPROVED = "approved"
    CAMPAIGN_CHANGES_REQUESTED = "changes_requested"
    CAMPAIGN_EDIT_REJECTED = "edit_rejected"
    CAMPAIGN_WITHDRAWN_FROM_REVIEW = "withdrawn_from_review"
    CAMPAIGN_SUCCEEDED = "succeeded"
    CAMPAIGN_FAILED = "failed"
    CAMPAIGN_REALISED = "realised"
    CAMPAIGN_CANCELLED = "cancelled"
    CAMPAIGN_DELETED = "deleted"  # a draft its initiator threw away
    UPDATE_POSTED = "update_posted"
    IMPACT_REPORTED = "impact_reported"
    # Pledges, payments and refunds
    PLEDGE_CREATED = "pledge_created"
    PAYMENT_RETRIED = "payment_retried"
    PLEDGE_PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_EXPIRED = "payment_expired"
    PLEDGE_FLAGGED = "flagged"
    REFUND_REQUESTED = "refund_requested"
    REFUND_SUCCEEDED = "refund_succeeded"
    REFUND_FAILED = "refund_failed"
    REFUND_RETRIED = "refund_retried"
    PLEDGE_REFUNDED = "refunded"
    PAYMENT_REFUNDED = "payment_refunded"  # a payment that was never counted went back
    PLEDGE_ANONYMISED = "pledge_anonymised"
    PLEDGE_ATTACHED_TO_ACCOUNT = "pledge_attached_to_account"  # a guest verified the address
    # Payouts and proof of spending
    PAYOUT_ACCOUNT_SAVED = "payout_account_saved"
    PAYOUT_REQUESTED = "payout_requested"
    PAYOUT_FIRST_APPROVAL = "payout_first_approval"
    PAYOUT_APPROVED = "payout_approved"
    PAYOUT_BATCHED = "payout_batched"
    PAYOUT_PAID = "payout_paid"
    PAYOUT_BATCH_CREATED = "payout_batch_created"
    PAYOUT_BATCH_PAID = "payout_batch_paid"
    RECEIPT_ADDED = "receipt_added"
    RECEIPT_REMOVED = "receipt_removed"
    SPENDING_SUBMITTED = "spending_submitted"
    SPENDING_CHANGES_REQUESTED = "spending_changes_requested"
    SPENDING_APPROVED = "spending_approved"
    # Co-funding: programmes, applications and matches
    PROGRAMME_SAVED = "programme_saved"
    PROGRAMME_APPLIED = "programme_applied"
    APPLICATION_APPROVED = "application_approved"
    APPLICATION_DECLINED = "application_declined"
    MATCH_RESERVED = "match_reserved"
    MATCH_COMMITTED = "match_committed"
    MATCH_RELEASED = "match_released"
    MATCH_PAID_OUT = "match_paid_out"
    # Tasks, sign-ups and offers
    TASK_CREATED = "task_created"
    TASK_SAVED = "task_saved"
    TASK_DELETED = "task_deleted"
    TASK_FILLED = "task_filled"
    TASK_REOPENED = "task_reopened"
    TASK_DONE = "task_done"
    SIGNED_UP = "signed_up"
    SIGNUP_WITHDRAWN = "withdrawn"
    SIGNUP_RELEASED = "signup_released"
    HOURS_CONFIRMED = "hours_confirmed"
    OFFER_MADE = "offer_made"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_DECLINED = "offer_declined"
    OFFER_WITHDRAWN = "offer_withdrawn"
    OFFER_RELEASED = "offer_released"
    STANDING_OFFER_LISTED = "standing_offer_listed"
    STANDING_OFFER_REQUESTED = "standing_offer_requested"
    OFFER_CONSENTED = "offer_consented"
    OFFER_REFUSED = "offer_refused"
    REGISTER_ITEM_PAUSED = "register_item_paused"
    REGISTER_ITEM_RESUMED = "register_item_resumed"
    REGISTER_ITEM_WITHDRAWN = "register_item_withdrawn"
    # Organisations
    ORGANISATION_VERIFIED = "organisation_verified"
    ORGANISATION_UNVERIFIED = "organisation_unverified"
    # Abuse reports (core.moderation): an item of any app hidden, its reports dismissed,
    # or a hidden item put back by a moderator
    CONTENT_HIDDEN = "content_hidden"
    REPORTS_DISMISSED = "reports_dismissed"
    CONTENT_RESTORED = "content_restored"


def record(
    obj,
    action,
    *,
    actor=None,
    actor_label="",
    from_state="",
    to_state="",
    amount_cents=None,
    **data,
):
    """Write one audit entry; call it inside the transaction that makes the change."""
    entry = build(
        obj,
        action,
        actor=actor,
        actor_label=actor_label,
        from_state=from_state,
        to_state=to_state,
        amount_cents=amount_cents,
        **data,
    )
    entry.save(force_insert=True)
    return entry


def build(
    obj,
    action,
    *,
    actor=None,
    actor_label="",
    from_state="",
    to_state="",
    amount_cents=None,
    **data,
):
    """An unsaved audit entry, for services that write many at once (``bulk_create``)."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or ("user" if getattr(actor, "pk", None) else "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        amount_cents=amount_cents,
        data=data,
    )
