from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Initiatives and donations")

    def ready(self):
        from accounts.personal_data import register_personal_data
        from campaigns import jobs, signals  # noqa: F401  (connect their receivers)
        from campaigns.personal_data import CampaignsPart
        from campaigns.reporting import (
            ImpactReportable,
            UpdateReportable,
            record_report_decision,
        )
        from core.reports import register_decision_recorder, register_reportable

        register_personal_data(CampaignsPart())
        register_reportable(UpdateReportable())
        register_reportable(ImpactReportable())
        register_decision_recorder(record_report_decision)
