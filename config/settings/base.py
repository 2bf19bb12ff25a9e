"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the
environment through django-environ. With no environment at all the platform
runs embedded: SQLite, Celery tasks executed in-process, and the labelled test
checkout instead of Stripe.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"  # production settings refuse it
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core",
    "accounts",
    "cms",
    "campaigns",
    "tasks",
    "notifications",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.admin_two_factor.AdminRequiresTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATE_CONTEXT_PROCESSORS = [
    "django.template.context_processors.debug",
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "wagtail.contrib.settings.context_processors.settings",
    "cms.context_processors.platform",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": TEMPLATE_CONTEXT_PROCESSORS,
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo's web process and in-process jobs share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Persistent connections: opening one costs about a millisecond (SQLite: Django registers
# its SQL functions and runs the PRAGMAs; PostgreSQL: a round trip or more).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Private files (receipts of spending): outside MEDIA_ROOT, never given a URL; served only
# by views that check permission (campaigns.views.spending.receipt_file).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several web containers and workers share no disk: with a bucket configured, uploads go to
# S3-compatible object storage through django-storages (credentials from the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables, read by boto3). Public
# media and private receipts get separate prefixes, or separate buckets; receipts are
# private objects, read only through the permission-checking view, never by a URL.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": env("AWS_MEDIA_LOCATION", default="media"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env("AWS_PRIVATE_STORAGE_BUCKET_NAME", default=AWS_STORAGE_BUCKET_NAME),
            "location": env("AWS_PRIVATE_LOCATION", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024


def redis_database(url, number):
    """The same Redis server as the broker, another database number (for the cache)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


# With a broker, the cache (page cache, fragments, rate limits) is shared in its Redis, so
# every web process and worker sees the same entries; a process-local cache only without.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default=redis_database(env("REDIS_URL"), 1)
        if env("REDIS_URL", default="")
        else "locmemcache://wijkkapitaal",
    )
}

# Wagtail
WAGTAIL_SITE_NAME = "Wijkkapitaal"
WAGTAILADMIN_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail's own translated page trees: the platform's pages (home, standard pages) have an
# English translation beside the Dutch tree; cities, neighbourhoods and initiatives exist
# only in Dutch and are shown under /en/ with the English interface (cms/i18n.py).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# django-allauth: e-mail is the login, and it must be verified before one can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
# allauth's mails in the platform's layout and name (accounts/adapter.py), with no
# "[host] " in front of the subject: the sender's name already says Wijkkapitaal.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
LOGIN_REDIRECT_URL = "campaigns:my_initiatives"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# One login for everyone: the Wagtail and Django admin logins send people to allauth's
# (config/urls.py), so its rate limits and two-factor step apply to staff too.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) plus recovery codes,
# offered to every account and shown to staff in the Wagtail admin menu. Whoever may use an
# admin must set one up first (WIJKKAPITAAL["ADMIN_REQUIRES_2FA"], accounts/admin_two_factor.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkkapitaal"

# The client's address. Behind reverse proxies REMOTE_ADDR is the nearest proxy; with
# ALLAUTH_TRUSTED_PROXY_COUNT = n it is the n-th entry from the right of X-Forwarded-For
# (each proxy appends the address it saw), or with ALLAUTH_TRUSTED_CLIENT_IP_HEADER that
# header. 0 (the embedded default: nothing in front) trusts no header; production defaults
# to 1 (platform/compose.yaml behind one reverse proxy). allauth's login limits and the
# platform's own rate limits (core/ratelimits.py, via RATELIMIT_IP_META_KEY) share this rule.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Wijkkapitaal <noreply@wijkkapitaal.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with REDIS_URL a real broker and workers; without it, jobs run in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A job is acknowledged when it has finished, and given back to the queue when its worker
# dies under it (SIGKILL, out of memory), so that a crash delays work but never loses it.
# Every job must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up opens a new database connection for every job unless this is set
# (it then closes them only every 2 x N jobs). Opening one costs PostgreSQL a process, several
# milliseconds: more than a payment job's own queries. config/celery.py gives jobs the
# connection life of a request instead: CONN_MAX_AGE and the health check, via
# django.db.close_old_connections before and after each job.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
# Money has its own queue and its own worker (platform/compose.yaml), so that an e-mail
# fan-out on "default" never delays a payment; long builds (the open-data files, staff CSV
# exports) go to "bulk", so that they delay neither. A worker started without -Q takes all three.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("payments"), Queue("bulk")]
CELERY_TASK_ROUTES = {
    "campaigns.jobs.process_stripe_event": {"queue": "payments"},
    "campaigns.jobs.sweep_stripe_events": {"queue": "payments"},
    "campaigns.jobs.execute_refund": {"queue": "payments"},
    "campaigns.jobs.sweep_refunds": {"queue": "payments"},
    "campaigns.jobs.close_due_campaigns": {"queue": "payments"},
    "campaigns.jobs.settle_campaign": {"queue": "payments"},
    "tasks.jobs.build_open_data": {"queue": "bulk"},
    "tasks.jobs.refresh_open_data": {"queue": "bulk"},
    "tasks.jobs.recount_capital_figure": {"queue": "bulk"},
    "tasks.jobs.recount_platform_capital": {"queue": "bulk"},
    "core.jobs.build_spreadsheet_export": {"queue": "bulk"},
}
CELERY_BEAT_SCHEDULE = {
    "sweep-stripe-events": {"task": "campaigns.jobs.sweep_stripe_events", "schedule": 60.0},
    "close-due-campaigns": {"task": "campaigns.jobs.close_due_campaigns", "schedule": 300.0},
    "sweep-refunds": {"task": "campaigns.jobs.sweep_refunds", "schedule": 300.0},
    "send-digests": {"task": "notifications.jobs.send_digests", "schedule": 600.0},
    "send-task-reminders": {"task": "notifications.jobs.send_task_reminders", "schedule": 900.0},
    "sweep-announcements": {"task": "core.jobs.sweep_announcements", "schedule": 60.0},
    "recount-platform-capital": {
        "task": "tasks.jobs.recount_platform_capital",
        "schedule": 120.0,
    },
    # Privacy: retention and data exports (docs/privacy.md), daily.
    "forget-guest-emails": {"task": "campaigns.jobs.forget_guest_emails", "schedule": 86400.0},
    "prune-webhook-payloads": {
        "task": "campaigns.jobs.prune_webhook_payloads",
        "schedule": 86400.0,
    },
    "prune-sent-messages": {"task": "notifications.jobs.prune_sent_messages", "schedule": 86400.0},
    "forget-reporter-emails": {"task": "core.jobs.forget_reporter_emails", "schedule": 86400.0},
    "delete-stale-pending-covers": {
        "task": "campaigns.jobs.delete_stale_pending_covers",
        "schedule": 86400.0,
    },
    "forget-contact-messages": {"task": "cms.jobs.forget_contact_messages", "schedule": 86400.0},
    "sweep-data-exports": {"task": "accounts.jobs.sweep_data_exports", "schedule": 3600.0},
    "sweep-spreadsheet-exports": {
        "task": "core.jobs.sweep_spreadsheet_exports",
        "schedule": 3600.0,
    },
    "send-spending-proof-reminders": {
        "task": "notifications.jobs.send_spending_proof_reminders",
        "schedule": 86400.0,
    },
}
# The demo's in-process beat (`manage.py run_demo`, demo/scheduler.py): off unless asked,
# never with a real broker or under production settings. Each interval of the schedule
# above is shortened to at most DEMO_SCHEDULER_INTERVAL_SECONDS.
DEMO_SCHEDULER = env.bool("DEMO_SCHEDULER", default=False)
DEMO_SCHEDULER_INTERVAL_SECONDS = env.int("DEMO_SCHEDULER_INTERVAL_SECONDS", default=60)
# A Stripe event whose processing failed this many times is marked dead: it is no longer
# retried and waits in the staff screen (Money → Webhook events) for "process again".
STRIPE_EVENT_MAX_ATTEMPTS = env.int("STRIPE_EVENT_MAX_ATTEMPTS", default=10)

# Platform rules
WIJKKAPITAAL = {
    "CURRENCY": "EUR",
    "MAX_GOAL_CENTS": 250_000_00,
    "MAX_DONATION_CENTS": env.int("MAX_DONATION_CENTS", default=5_000_00),
    "MIN_DEADLINE_DAYS": 2,
    "MAX_DEADLINE_DAYS": 90,
    "MAX_COVER_IMAGE_BYTES": 10 * 1024 * 1024,
    "PAGE_CACHE_SECONDS": env.int("PAGE_CACHE_SECONDS", default=0),
    # Contact-form messages (Wagtail form submissions) are deleted after this many days.
    "CONTACT_MESSAGE_RETENTION_DAYS": env.int("CONTACT_MESSAGE_RETENTION_DAYS", default=365),
    # Fragments of the initiative page, keyed on the campaign's cache_version.
    "FRAGMENT_CACHE_SECONDS": env.int("FRAGMENT_CACHE_SECONDS", default=60 * 60),
    "SERVE_MEDIA": env.bool("SERVE_MEDIA", default=False),
    # Staff, superusers and Wagtail admin users reach /admin/ and /django-admin/ only with an
    # authenticator app (TOTP) set up; production refuses False.
    "ADMIN_REQUIRES_2FA": env.bool("ADMIN_REQUIRES_2FA", default=True),
    # The wijkkapitaal meter of neighbourhoods, cities and the home page (tasks/capital).
    "CAPITAL_CACHE_SECONDS": env.int("CAPITAL_CACHE_SECONDS", default=5 * 60),
    # How often the open-data files are built again (tasks.jobs.refresh_open_data, by beat
    # every three quarters of it), and their Cache-Control max-age. 0 (development only)
    # builds every download inside its request and schedules nothing.
    "OPEN_DATA_CACHE_SECONDS": env.int("OPEN_DATA_CACHE_SECONDS", default=60 * 60),
    # What creates rows or sends mail, limited per client IP and per account (django-ratelimit
    # rates, "count/period": s, m, h, d, e.g. "10/h" or "5/10m"). The 429 comes before
    # anything is written; see core/ratelimits.py for which views belong to which group.
    "RATE_LIMITS": {
        "donations": {"ip": "20/h", "user": "10/h"},
        "initiatives": {"ip": "20/h", "user": "10/h"},
        "edits": {"ip": "120/h", "user": "60/h"},
        "updates": {"ip": "20/h", "user": "10/h"},
        "signups": {"ip": "60/h", "user": "30/h"},
        "offers": {"ip": "30/h", "user": "15/h"},
        "organisations": {"ip": "20/h", "user": "10/h"},
        "invitations": {"ip": "40/h", "user": "20/h"},
        "follows": {"ip": "60/h", "user": "30/h"},
        # Honest visitors report once or twice; anonymous visitors count by address only.
        "reports": {"ip": "10/h", "user": "10/h"},
        "funding": {"ip": "60/h", "user": "30/h"},
        # Writing to the owner of a register item, and answering: each one sends a mail.
        "register_messages": {"ip": "30/h", "user": "15/h"},
        # The contact form mails every moderator: a few messages an hour is plenty.
        "contact": {"ip": "5/h", "user": "5/h"},
    },
}

if WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"] > 0:
    CELERY_BEAT_SCHEDULE["refresh-open-data"] = {
        "task": "tasks.jobs.refresh_open_data",
        "schedule": max(60.0, WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"] * 0.75),
    }

# django-ratelimit: the client's address by allauth's rule above, and a cache outage lets
# requests through (a donation must never fail because Redis is down).
RATELIMIT_IP_META_KEY = "core.ratelimits.client_ip"
RATELIMIT_FAIL_OPEN = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "campaigns": {"level": env("LOG_LEVEL", default="INFO")},
    },
}

# Payments: real Stripe when keys are set, otherwise the labelled test checkout.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
TEST_CHECKOUT_WEBHOOK_SECRET = "whsec_wijkkapitaal_test_checkout"  # production refuses it
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default=TEST_CHECKOUT_WEBHOOK_SECRET)
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
PAYMENT_GATEWAY = "stripe" if STRIPE_SECRET_KEY else "test_checkout"

# --- Payouts (platform/OPERATIONS.md) ----------------------------------------------------
# The platform's own bank account, the debtor of the SEPA credit-transfer files
# (manage.py payout_batch). The name is at most 70 characters; the BIC may stay empty.
PAYOUT_DEBTOR_NAME = env("PAYOUT_DEBTOR_NAME", default="Stichting Wijkkapitaal")
PAYOUT_DEBTOR_IBAN = env("PAYOUT_DEBTOR_IBAN", default="NL91ABNA0417164300")
PAYOUT_DEBTOR_BIC = env("PAYOUT_DEBTOR_BIC", default="ABNANL2A")
# Payouts above this amount need a second, different staff member's approval.
PAYOUT_SECOND_APPROVAL_CENTS = env.int("PAYOUT_SECOND_APPROVAL_CENTS", default=2_500_00)
# The platform's fee, in basis points of the money raised (100 = 1%); 0 takes nothing.
PAYOUT_PLATFORM_FEE_BASIS_POINTS = env.int("PAYOUT_PLATFORM_FEE_BASIS_POINTS", default=0)
# Initiators get one reminder when no proof of spending arrived this long after the payout.
SPENDING_PROOF_REMINDER_DAYS = env.int("SPENDING_PROOF_REMINDER_DAYS", default=90)
# Receipts (an image or a PDF) may be at most this large.
MAX_RECEIPT_BYTES = env.int("MAX_RECEIPT_BYTES", default=10 * 1024 * 1024)

# --- Trust and safety: secrets rotation, upload limits, Content-Security-Policy ----------
# True only in config.settings.production: commands such as load_demo_data refuse to run.
PRODUCTION = False
# Old secret keys, newest first: what they signed (unsubscribe links, sessions, password
# reset links) stays valid after SECRET_KEY is replaced. Drop a key once its links expired.
SECRET_KEY_FALLBACKS = [key for key in env.list("SECRET_KEY_FALLBACKS", default=[]) if key]
# Wagtail's admin and the front-end forms (core.forms.ImageUploadField) refuse images with
# more pixels than this, read from the header: a small file can decode to gigabytes.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=50_000_000)
# django-csp: scripts, styles, images and fonts come from this site only; no inline script
# or style. The middleware sits inside the page cache, so a stored page keeps its header.
# The Wagtail and Django admins load inline scripts and styles of their own and are left
# out. Two origins are named for what the platform links to, never loads code from: the
# video players of embedded videos (frames) and Stripe's checkout (a form's redirect).
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("cms.page_cache.AnonymousPageCacheMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [SELF],
        "form-action": [SELF, "https://checkout.stripe.com"],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
