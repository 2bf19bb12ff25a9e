from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """E-mail, the top layer: it listens to what the services announce."""

    name = "notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from accounts.personal_data import register_personal_data
        from notifications import handlers  # noqa: F401  (subscribes the handlers)
        from notifications.personal_data import NotificationsPart

        register_personal_data(NotificationsPart())
