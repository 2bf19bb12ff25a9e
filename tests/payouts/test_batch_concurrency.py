"""Two batch runs at the same moment on a real PostgreSQL: each payout is batched once."""

import threading

import pytest
from django.db import connection

from campaigns.models import AuditEntry, Payout, PayoutBatch
from campaigns.services import payouts as payout_services
from tests.payouts.conftest import approved_payout, funded_campaign

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RUNS = 2


def test_two_concurrent_batch_runs_batch_each_payout_once(requires_postgres, neighbourhood):
    for n in range(4):
        campaign, initiator = funded_campaign(
            neighbourhood, raised_cents=100_00 + n, title=f"Plan {n}"
        )
        approved_payout(campaign, initiator)
    barrier = threading.Barrier(RUNS)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            try:
                outcomes.append(payout_services.create_batch(actor_label="test").pk)
            except payout_services.NothingToBatch:
                outcomes.append(None)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(outcomes, key=str) == sorted([None, PayoutBatch.objects.get().pk], key=str)
    batch = PayoutBatch.objects.get()
    assert batch.payment_count == 4
    assert batch.control_sum_cents == 400_00 + 0 + 1 + 2 + 3
    assert set(Payout.objects.values_list("status", "batch")) == {("batched", batch.pk)}
    assert AuditEntry.objects.filter(action="payout_batched").count() == 4
