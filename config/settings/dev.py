from .base import *  # noqa: F403

DEBUG = True

# runserver starts a thread per request, so a persistent connection would only linger.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
