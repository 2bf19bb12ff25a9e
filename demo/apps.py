from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data: made-up residents, organisations and initiatives in every state.

    It sits above every other app, because it builds its data through their services.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
