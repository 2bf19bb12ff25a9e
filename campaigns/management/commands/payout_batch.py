"""Put every approved payout into one SEPA credit-transfer file (pain.001) for the bank.

    python manage.py payout_batch payouts.xml

The batch is recorded (Money → Payout batches) and marked sent; its payouts can never be
batched again. Staff mark it paid in the admin once the bank confirms the transfers.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.services.payouts import NothingToBatch, create_batch
from cms.money import format_money


class Command(BaseCommand):
    help = (
        "Write the approved payouts to a SEPA credit-transfer file (pain.001) and record the batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("outfile", help="where to write the XML file")

    def handle(self, *args, outfile, **options):
        path = Path(outfile)
        if path.exists():
            raise CommandError(f"{path} exists already; choose a new file name.")
        try:
            batch = create_batch(actor_label="payout_batch")
        except NothingToBatch as error:
            raise CommandError(str(error)) from None
        path.write_text(batch.xml, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Batch {batch.message_id}: {batch.payment_count} payments, "
                f"{format_money(batch.control_sum_cents, 'EUR')}, written to {path}."
            )
        )
