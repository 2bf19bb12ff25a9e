from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks and offers")

    def ready(self):
        from accounts.personal_data import register_personal_data
        from campaigns.forms import register_initiative_form_section
        from campaigns.services.totals import register_support_source
        from core.reports import register_reportable
        from tasks.forms import TaskFormSection
        from tasks.personal_data import TasksPart
        from tasks.reporting import StandingOfferReportable
        from tasks.support import OfferSupport, SignUpSupport

        register_support_source(SignUpSupport())
        register_support_source(OfferSupport())
        register_initiative_form_section(TaskFormSection())
        register_personal_data(TasksPart())
        register_reportable(StandingOfferReportable())

        from tasks import handlers  # noqa: F401  (subscribes to lower apps' events)
