"""Celery jobs of accounts: build a person's data export, and tidy expired ones."""

from celery import shared_task
from django.db import DatabaseError
from django.dispatch import receiver

from accounts import privacy


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
    reject_on_worker_lost=True,
)
def build_data_export(self, export_id):
    """Build one export; running it twice builds it once (a ready export is left alone)."""
    return privacy.build_data_export(export_id)


@receiver(privacy.export_requested, dispatch_uid="accounts.jobs.queue_data_export")
def queue_data_export(sender, export_id, **kwargs):
    build_data_export.delay(export_id)


@shared_task
def sweep_data_exports():
    """Queue exports whose job never ran, and delete exports past their expiry (daily)."""
    pending = privacy.pending_exports()
    for export_id in pending:
        build_data_export.delay(export_id)
    return {"queued": len(pending), "deleted": privacy.delete_expired_exports()}
