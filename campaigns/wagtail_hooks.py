from django.urls import include, path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from campaigns.admin_views import MoneyViewSetGroup, ReadOnlyPolicy, admin_urlpatterns
from campaigns.models import AuditEntry, Pledge, WebhookEvent

for ledger_model in (Pledge, WebhookEvent, AuditEntry):
    register_permission_policy(ledger_model, ReadOnlyPolicy(ledger_model))


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    return MoneyViewSetGroup()


@hooks.register("register_admin_urls")
def register_money_urls():
    return [path("money/", include(admin_urlpatterns))]
