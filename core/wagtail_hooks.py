from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import export_views
from core.admin_views import admin_urlpatterns, can_moderate


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


class ExportsMenuItem(MenuItem):
    """Shown to whoever asked for an export: where its file appears."""

    def is_shown(self, request):
        return export_views.has_exports(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("abuse-reports/", include(admin_urlpatterns))]


@hooks.register("register_admin_urls")
def register_spreadsheet_export_urls():
    return [
        path(
            "exports/",
            export_views.SpreadsheetExportsView.as_view(),
            name="core_spreadsheet_exports",
        ),
        path(
            "exports/<str:token>/",
            export_views.download,
            name="core_spreadsheet_export_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ModeratorMenuItem(
        _("Abuse reports"), reverse("core_report_queue"), icon_name="warning", order=250
    )


@hooks.register("register_admin_menu_item")
def register_spreadsheet_exports_menu_item():
    return ExportsMenuItem(
        _("Your exports"), reverse("core_spreadsheet_exports"), icon_name="download", order=260
    )
