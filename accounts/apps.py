from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import pre_delete

        from accounts import jobs  # noqa: F401  (connects the receiver that queues exports)
        from accounts.models import User
        from accounts.personal_data import erase_on_delete, register_personal_data
        from accounts.privacy import AccountPart
        from accounts.reporting import OrganisationReportable
        from core.reports import register_reportable

        register_personal_data(AccountPart())
        register_reportable(OrganisationReportable())
        pre_delete.connect(erase_on_delete, sender=User, dispatch_uid="accounts.erase_on_delete")
