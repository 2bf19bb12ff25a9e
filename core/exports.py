"""Spreadsheet exports that cannot smuggle a formula into the reader's spreadsheet program."""

from core.text import spreadsheet_safe


class SafeSpreadsheetExportMixin:
    """For a Wagtail listing with ``list_export``: every CSV cell goes through
    :func:`core.text.spreadsheet_safe`. (Wagtail already stores XLSX cells as text.)"""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if export_format == "csv" else value
