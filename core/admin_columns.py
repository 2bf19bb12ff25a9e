"""Listing columns for the Wagtail admin."""

from wagtail.admin.ui.tables import Column
from wagtail.coreutils import multigetattr

from core.money import format_money


class EuroColumn(Column):
    """An amount in cents shown as euros (``€ 1.234,50``); empty stays empty.

    ``currency`` is the path to the instance's currency (``programme.currency``), if any.
    """

    def __init__(self, name, currency="currency", **kwargs):
        self.currency_attr = currency
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        cents = context["raw_value"]
        if cents is not None:
            try:
                currency = multigetattr(instance, self.currency_attr) or "EUR"
            except AttributeError:
                currency = "EUR"
            context["value"] = format_money(cents, currency)
        return context
