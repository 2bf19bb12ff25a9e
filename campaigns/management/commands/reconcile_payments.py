"""Compare the local ledger with Stripe and report every difference.

Checks, per pledge: the payment attempts' Checkout Sessions (status, payment status,
amount, currency), the refund at Stripe, and whether each campaign's cached totals equal
its ledger. It reports and changes nothing; exit status 1 means differences were found.
"""

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign, PaymentAttempt, Pledge, Refund
from campaigns.payments.gateway import GatewayError, get_gateway
from campaigns.services import ledger_totals


class Command(BaseCommand):
    help = "Compare pledges, payments and refunds with Stripe and report differences."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="Only this campaign (its id).")

    def handle(self, *args, **options):
        campaigns = Campaign.objects.select_related("page").order_by("pk")
        if options["campaign"]:
            campaigns = campaigns.filter(pk=options["campaign"])
            if not campaigns.exists():
                raise CommandError(f"No campaign with id {options['campaign']}.")
        gateway = get_gateway()
        differences = []
        for campaign in campaigns:
            differences += self.check_totals(campaign)
            pledges = Pledge.objects.filter(campaign=campaign).prefetch_related("attempts")
            for pledge in pledges:
                differences += self.check_pledge(gateway, pledge)
        for line in differences:
            self.stdout.write(line)
        summary = f"{len(differences)} difference(s) in {campaigns.count()} campaign(s)."
        if differences:
            self.stdout.write(self.style.WARNING(summary))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(summary))

    def check_totals(self, campaign):
        raised, supporters = ledger_totals(campaign)
        found = []
        if raised != campaign.raised_cents:
            found.append(
                f"campaign {campaign.pk}: raised_cents {campaign.raised_cents} but ledger {raised}"
            )
        if supporters != campaign.supporter_count:
            found.append(
                f"campaign {campaign.pk}: supporter_count {campaign.supporter_count} "
                f"but ledger {supporters}"
            )
        return found

    def check_pledge(self, gateway, pledge):
        found = []
        paid_at_stripe = False
        for attempt in pledge.attempts.all():
            if not attempt.checkout_session_id:
                continue
            try:
                session = gateway.retrieve_checkout_session(attempt.checkout_session_id)
            except GatewayError as error:
                found.append(f"pledge {pledge.pk}: session {attempt.checkout_session_id}: {error}")
                continue
            if session is None:  # the test checkout keeps no remote state
                paid_at_stripe |= attempt.status == PaymentAttempt.Status.PAID
                continue
            if session.payment_status == "paid":
                paid_at_stripe = True
                if session.amount_total != pledge.amount_cents or (
                    (session.currency or "").upper() != pledge.currency
                ):
                    found.append(
                        f"pledge {pledge.pk}: Stripe charged {session.amount_total} "
                        f"{session.currency}, ledger says {pledge.amount_cents} {pledge.currency}"
                    )
        counted = pledge.status in (*Pledge.COUNTED_STATUSES, Pledge.Status.REFUNDED)
        if paid_at_stripe and not counted:
            found.append(f"pledge {pledge.pk}: paid at Stripe but {pledge.status} locally")
        if counted and not paid_at_stripe and pledge.attempts.exists():
            found.append(f"pledge {pledge.pk}: {pledge.status} locally but not paid at Stripe")
        found += self.check_refund(gateway, pledge)
        return found

    def check_refund(self, gateway, pledge):
        refunds = list(Refund.objects.filter(pledge=pledge).order_by("sequence"))
        if not refunds and pledge.status == Pledge.Status.REFUNDED:
            return [f"pledge {pledge.pk}: refunded locally without a refund record"]
        found = []
        for refund in refunds:  # every try: a failed one must be failed at Stripe too
            found += self.check_one_refund(gateway, pledge, refund)
        return found

    def check_one_refund(self, gateway, pledge, refund):
        if not refund.external_id:
            if refund.status == Refund.Status.SUCCEEDED:
                return [f"pledge {pledge.pk}: refund succeeded locally but has no Stripe id"]
            return []
        try:
            remote = gateway.retrieve_refund(refund.external_id)
        except GatewayError as error:
            return [f"pledge {pledge.pk}: refund {refund.external_id}: {error}"]
        if remote is None:
            return []
        remote_status = "failed" if remote.status == "canceled" else remote.status
        if remote_status != refund.status:
            return [
                f"pledge {pledge.pk}: refund {refund.external_id} is {remote.status} at Stripe, "
                f"{refund.status} locally"
            ]
        if remote.amount != refund.amount_cents:
            return [
                f"pledge {pledge.pk}: refund {refund.external_id} is {remote.amount} at Stripe, "
                f"{refund.amount_cents} locally"
            ]
        return []
