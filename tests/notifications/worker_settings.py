"""Settings of the real ``celery worker`` processes that tests start (and kill)."""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["WORKER_BROKER_URL"]
DATABASES["default"]["NAME"] = os.environ["WORKER_DATABASE_NAME"]  # noqa: F405
EMAIL_BACKEND = "tests.notifications.slow_mail.EmailBackend"
EMAIL_FILE_PATH = os.environ["WORKER_MAIL_DIR"]
# As in production (config.settings.test turns persistent connections off for the test run).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
