"""Production settings refuse unsafe configurations and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-secret-for-the-deploy-check",
    "ALLOWED_HOSTS": "wijkkapitaal.nl",
    "DATABASE_URL": "postgres://wijk:secret@db.internal:5432/wijkkapitaal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.internal:587",
}


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DEBUG"}
    env.update(PRODUCTION_ENV)
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"STRIPE_SECRET_KEY": None}, "never uses the test checkout"),
        ({"DATABASE_URL": None}, "DATABASE_URL is required"),
        ({"REDIS_URL": None}, "REDIS_URL is required"),
        ({"ADMIN_REQUIRES_2FA": "false"}, "ADMIN_REQUIRES_2FA must stay on"),
    ],
)
def test_production_settings_refuse_unsafe_configuration(overrides, message):
    result = run_manage("check", **overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_default_runs_without_any_environment():
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.dev';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.PAYMENT_GATEWAY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "test_checkout"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": "change-me-to-a-long-random-string"}, "SECRET_KEY still hold"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me"}, "SECRET_KEY still hold"),
        ({"STRIPE_WEBHOOK_SECRET": "whsec_change-me"}, "STRIPE_WEBHOOK_SECRET still hold"),
        ({"SECRET_KEY_FALLBACKS": "old-one,change-me-too"}, "SECRET_KEY_FALLBACKS still hold"),
        (
            {"DATABASE_URL": "postgres://wijk:change-me-database-password@db:5432/wijk"},
            "DATABASE_URL still hold",
        ),
        ({"STRIPE_WEBHOOK_SECRET": "whsec_wijkkapitaal_test_checkout"}, "test checkout's secret"),
    ],
)
def test_production_settings_refuse_placeholder_secrets(overrides, message):
    result = run_manage("check", **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_read_secret_key_fallbacks_for_rotation():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        SECRET_KEY_FALLBACKS="an-older-key,an-even-older-key",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['an-older-key', 'an-even-older-key']"


def test_demo_data_refuses_to_load_under_production_settings():
    result = run_manage("load_demo_data")
    assert result.returncode != 0
    assert "refuses to run under production settings" in result.stderr


def test_jobs_are_acknowledged_late_and_given_back_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


SHOW_STORAGES = (
    "from django.core.files.storage import storages;"
    "from core.models import private_storage;"
    "d, p = storages['default'], private_storage();"
    "print(type(d).__name__, d.bucket_name, d.location, d.endpoint_url, d.querystring_auth);"
    "print(type(p).__name__, p.bucket_name, p.location, p.default_acl, p.querystring_auth)"
)


def test_uploads_and_receipts_go_to_object_storage_when_a_bucket_is_configured():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_STORAGES,
        AWS_STORAGE_BUCKET_NAME="wijk-media",
        AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "S3Storage wijk-media media http://minio.internal:9000 False",
        "S3Storage wijk-media private private True",
    ]


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.files.storage import storages;"
        "print(type(storages['default']).__name__, type(storages['private']).__name__)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "FileSystemStorage"]


SHOW_CACHE = (
    "from django.conf import settings; c = settings.CACHES['default'];"
    "print(c['BACKEND'], c.get('LOCATION', ''))"
)


@pytest.mark.parametrize("settings_module", ["config.settings.production", "config.settings.dev"])
def test_the_page_cache_is_shared_in_redis_when_there_is_a_broker(settings_module):
    result = run_manage(
        "shell", "--no-imports", "-c", SHOW_CACHE, DJANGO_SETTINGS_MODULE=settings_module
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://redis.internal:6379/1",
    ]


def test_without_a_broker_the_cache_is_the_process_own():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_CACHE,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        REDIS_URL=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"
