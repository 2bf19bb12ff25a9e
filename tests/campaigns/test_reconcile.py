"""manage.py reconcile_payments compares the ledger with Stripe and reports every difference."""

import io

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, PaymentAttempt, Pledge
from campaigns.services import pledges as pledge_services
from campaigns.services import recount_totals
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


def reconcile(*args):
    out = io.StringIO()
    try:
        call_command("reconcile_payments", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def checkout(campaign, amount):
    pledge, attempt = pledge_services.create_pledge(
        campaign=campaign, amount_cents=amount, guest_email="r@example.nl", public_name="R"
    )
    attempt = pledge_services.open_checkout(
        attempt=attempt, success_url="https://x/ok", cancel_url="https://x/cancel"
    )
    return pledge, attempt


def pay_at_stripe(fake_stripe, attempt):
    fake_stripe.sessions[attempt.checkout_session_id]["payment_status"] = "paid"
    fake_stripe.sessions[attempt.checkout_session_id]["status"] = "complete"


def pay_locally(attempt):
    pledge_services.mark_paid(
        pledge_id=attempt.pledge_id,
        session_id=attempt.checkout_session_id,
        payment_intent_id=attempt.payment_intent_id,
    )


def test_a_consistent_ledger_reports_nothing(fake_stripe):
    campaign = make_initiative(site_tree()[2])
    _, attempt = checkout(campaign, 20_00)
    pay_at_stripe(fake_stripe, attempt)
    pay_locally(attempt)
    checkout(campaign, 30_00)  # still open: unpaid on both sides

    code, output = reconcile()

    assert code == 0, output
    assert "0 difference(s)" in output


def test_every_kind_of_difference_is_reported(fake_stripe):
    campaign = make_initiative(site_tree()[2])
    missed, missed_attempt = checkout(campaign, 20_00)
    pay_at_stripe(fake_stripe, missed_attempt)  # the webhook never arrived

    phantom, phantom_attempt = checkout(campaign, 25_00)
    pay_locally(phantom_attempt)  # counted, but Stripe never took the money

    changed, changed_attempt = checkout(campaign, 30_00)
    pay_at_stripe(fake_stripe, changed_attempt)
    pay_locally(changed_attempt)
    fake_stripe.sessions[changed_attempt.checkout_session_id]["amount_total"] = 3_500

    Campaign.objects.filter(pk=campaign.pk).update(raised_cents=1)

    code, output = reconcile("--campaign", str(campaign.pk))

    assert code == 1
    assert f"pledge {missed.pk}: paid at Stripe but pending locally" in output
    assert f"pledge {phantom.pk}: paid locally but not paid at Stripe" in output
    assert f"pledge {changed.pk}: Stripe charged 3500 eur, ledger says 3000 EUR" in output
    assert f"campaign {campaign.pk}: raised_cents 1 but ledger" in output


def test_refund_differences_are_reported(fake_stripe, django_capture_on_commit_callbacks):
    campaign = make_initiative(site_tree()[2])
    pledge, attempt = checkout(campaign, 20_00)
    pay_at_stripe(fake_stripe, attempt)
    pay_locally(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.request_refund(pledge=Pledge.objects.get(pk=pledge.pk))
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.REFUNDED
    assert reconcile()[0] == 0

    refund_id = pledge.refunds.get().external_id
    fake_stripe.refunds[refund_id]["status"] = "pending"
    code, output = reconcile()
    assert code == 1
    assert f"refund {refund_id} is pending at Stripe, succeeded locally" in output


def test_unknown_campaign_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No campaign with id 999"):
        call_command("reconcile_payments", "--campaign", "999")


def test_recount_fixes_what_reconcile_found(fake_stripe):
    campaign = make_initiative(site_tree()[2])
    Campaign.objects.filter(pk=campaign.pk).update(raised_cents=77)
    assert reconcile()[0] == 1
    recount_totals(campaign=campaign)
    assert reconcile()[0] == 0
    assert PaymentAttempt.objects.count() == 0
