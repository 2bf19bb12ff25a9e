from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Tasks and offers")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from campaigns.forms import register_initiative_form_section
        from campaigns.services.totals import register_support_source
        from core.reports import register_reportable
        from tasks.forms import TaskFormSection
        from tasks.reporting import StandingOfferReportable
        from tasks.signals import release_support_of_deleted_user
        from tasks.support import OfferSupport, SignUpSupport

        register_support_source(SignUpSupport())
        register_support_source(OfferSupport())
        register_initiative_form_section(TaskFormSection())
        register_reportable(StandingOfferReportable())
        pre_delete.connect(
            release_support_of_deleted_user,
            sender=get_user_model(),
            dispatch_uid="tasks.release_support_of_deleted_user",
        )
