from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: helpers every app may use; it imports only Django and Celery."""

    name = "core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Registers the delivery job, which announce() looks up by name after commit.
        from core import jobs  # noqa: F401
