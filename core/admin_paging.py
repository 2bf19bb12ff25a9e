"""Paging for Wagtail admin listings over tables that grow without bound (the ledger)."""

from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator


class CappedCountPaginator(WagtailPaginator):
    """Counts at most ``count_cap`` rows, so a page view never counts a whole table.

    The count is ``SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)``, unordered: its cost, and the
    OFFSET of the last reachable page, stay bounded by the cap however big the table gets.
    Past the cap the listing says "more than ..." and offers the first ``cap`` rows; a
    filter (campaign, status, date) narrows the rest. Wagtail's listing and its page links
    are page-number based, so this keeps them (a keyset "next" link would need Wagtail's
    listing templates replaced).
    """

    count_cap = 10_000

    @cached_property
    def _bounded_count(self):
        """Unordered: any ``cap + 1`` rows will do, so PostgreSQL need not sort them."""
        return self.object_list.order_by()[: self.count_cap + 1].count()

    @cached_property
    def is_capped(self):
        return self._bounded_count > self.count_cap

    @cached_property
    def count(self):
        return min(self._bounded_count, self.count_cap)

    @cached_property
    def items_count_label(self):
        if self.is_capped:
            return _("more than %(count)s %(items)s") % {
                "count": number_format(self.count_cap, force_grouping=True),
                "items": self.verbose_name_plural,
            }
        return super().items_count_label
