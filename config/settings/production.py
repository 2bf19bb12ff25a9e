"""Production: everything from the environment, and refuse unsafe configurations."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, TEST_CHECKOUT_WEBHOOK_SECRET, env

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must be off in production settings.")
DEBUG = False

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL is required in production.")
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured("REDIS_URL is required in production.")

if not (env("STRIPE_SECRET_KEY", default="") and env("STRIPE_WEBHOOK_SECRET", default="")):
    raise ImproperlyConfigured(
        "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are required: production never uses "
        "the test checkout."
    )
PAYMENT_GATEWAY = "stripe"
DEMO_SCHEDULER = False  # beat runs the schedule (platform/compose.yaml)

# platform/compose.yaml publishes web to one TLS-terminating reverse proxy on the host.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)

# --- Trust and safety: no placeholder secret reaches production --------------------------
PRODUCTION = True
PLACEHOLDER_MARK = "change-me"
SECRETS_TO_CHECK = (
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "DATABASE_URL",
    "EMAIL_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
)
_placeholders = [name for name in SECRETS_TO_CHECK if PLACEHOLDER_MARK in env(name, default="")]
if _placeholders:
    raise ImproperlyConfigured(
        f'{", ".join(_placeholders)} still hold the example value ("{PLACEHOLDER_MARK}") '
        "from platform/.env.example: set real secrets."
    )
if DEVELOPMENT_SECRET_KEY in (SECRET_KEY, *env.list("SECRET_KEY_FALLBACKS", default=[])):
    raise ImproperlyConfigured("SECRET_KEY is the development key: set a long random one.")
if env("STRIPE_WEBHOOK_SECRET") == TEST_CHECKOUT_WEBHOOK_SECRET:
    raise ImproperlyConfigured(
        "STRIPE_WEBHOOK_SECRET is the test checkout's secret: use the signing secret of the "
        "webhook endpoint in Stripe."
    )
if not WIJKKAPITAAL["ADMIN_REQUIRES_2FA"]:  # noqa: F405
    raise ImproperlyConfigured(
        "ADMIN_REQUIRES_2FA must stay on in production: the admin holds money and people's data."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True


EMAIL_CONFIG = env.email("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])

WIJKKAPITAAL["PAGE_CACHE_SECONDS"] = env.int("PAGE_CACHE_SECONDS", default=4)  # noqa: F405
