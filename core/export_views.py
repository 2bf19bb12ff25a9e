"""A staff member's own spreadsheet exports in the Wagtail admin: the list and the download.

Anyone who can use the admin sees their own exports, and only theirs; a file is served
to its owner, while they may still see its listing, until it expires, never by a public
URL (it lives in the private storage).
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.models import SpreadsheetExport
from core.stored_exports import may_see_listing

SHOWN = 50


def has_exports(user):
    return user.is_authenticated and SpreadsheetExport.objects.filter(requested_by=user).exists()


class SpreadsheetExportsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "core/admin/spreadsheet_exports.html"
    page_title = gettext_lazy("Your exports")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        exports = list(SpreadsheetExport.objects.filter(requested_by=self.request.user)[:SHOWN])
        return super().get_context_data(
            exports=exports,
            waiting=any(e.status == SpreadsheetExport.Status.QUEUED for e in exports),
            **kwargs,
        )


def download(request, token):
    export = SpreadsheetExport.objects.filter(token=token, requested_by=request.user).first()
    if export is None or export.status != SpreadsheetExport.Status.READY:
        raise Http404(_("There is no such download."))
    if not may_see_listing(export):
        raise PermissionDenied(_("You may no longer see this list."))
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"{export.filename}.csv",
        content_type="text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response
