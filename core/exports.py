"""Spreadsheet exports that stream from the database and cannot smuggle a formula into the
reader's spreadsheet program."""

import csv

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.views.mixins import Echo

from core import stored_exports
from core.text import spreadsheet_safe


class SafeSpreadsheetExportMixin:
    """For a Wagtail listing with ``list_export``.

    Every CSV cell goes through :func:`core.text.spreadsheet_safe` (Wagtail already stores
    XLSX cells as text). The CSV streams: rows are read with a server-side cursor in chunks
    of ``export_chunk_size`` (``QuerySet.iterator``) and written as they come, so the
    worker's memory stays flat however many rows there are. Wagtail's own path builds the
    listing context first, which counts the rows with ``len()`` and so loads them all;
    ``get`` skips it for an export. ``get_export_queryset`` is where a listing joins what
    its columns read (``select_related``). An XLSX file is built in memory, so it is
    refused above ``xlsx_max_rows`` with a message pointing to the CSV.

    A CSV of more than ``stream_max_rows`` rows would outlive the web worker's timeout, so
    it is made by a job instead (:mod:`core.stored_exports`): the request is redirected
    to the staff member's exports, where the file appears when it is ready.
    """

    export_chunk_size = 500
    stream_max_rows = 10_000
    xlsx_max_rows = stream_max_rows

    def get_export_queryset(self):
        return self.get_queryset()

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        export_format = request.GET.get("export")
        queryset = self.get_export_queryset()
        if export_format == self.FORMAT_XLSX and self._more_rows_than(queryset, self.xlsx_max_rows):
            messages.error(
                request,
                _(
                    "An Excel file holds at most %(count)s rows here. "
                    "Filter the list or download the CSV file instead."
                )
                % {"count": self.xlsx_max_rows},
            )
            query = request.GET.copy()
            query.pop("export")
            return redirect(f"{request.path}?{query.urlencode()}")
        if (
            export_format == self.FORMAT_CSV
            and not getattr(request, stored_exports.BUILDING_ATTRIBUTE, False)
            and self._more_rows_than(queryset, self.stream_max_rows)
        ):
            return self.export_in_background(request)
        return self.as_spreadsheet(queryset, export_format)

    @staticmethod
    def _more_rows_than(queryset, limit):
        return queryset[: limit + 1].count() > limit

    def export_in_background(self, request):
        query = request.GET.copy()
        query.pop("export", None)
        try:
            _export, created = stored_exports.request_export(
                user=request.user,
                listing_path=request.path,
                query=query.urlencode(),
                title=self.get_page_title(),
                filename=self.get_filename(),
            )
        except stored_exports.QueryTooLong:
            messages.error(
                request, _("These filters are too long to export. Filter with fewer words.")
            )
            return redirect(f"{request.path}?{query.urlencode()}")
        if created:
            message = _(
                "This list has more than %(count)s rows, so its CSV file is made in the "
                "background. It appears here when it is ready, and you get an e-mail."
            )
        else:
            message = _("The CSV file of this list is already being made. It appears here.")
        messages.success(request, message % {"count": self.stream_max_rows})
        return redirect("core_spreadsheet_exports")

    def stream_csv(self, queryset):
        """Wagtail's ``stream_csv``, reading the rows in chunks instead of all at once."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset.iterator(chunk_size=self.export_chunk_size):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if export_format == "csv" else value
