import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("wijkkapitaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@task_prerun.connect
@task_postrun.connect
def connections_as_in_a_request(task=None, **kwargs):
    """In a worker, each job starts and ends as a request does: connections older than
    CONN_MAX_AGE, or broken, are closed, and the next query checks the connection's health
    first; the rest are reused. (With CELERY_DB_REUSE_MAX set, Celery's own fix-up leaves
    them open.) An eager job runs inside its caller's request or transaction: left alone,
    as the fix-up does."""
    if task is not None and task.request.is_eager:
        return
    close_old_connections()
