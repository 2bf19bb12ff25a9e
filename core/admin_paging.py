"""Paging for Wagtail admin listings over tables that grow without bound (the ledger).

Two paginators plug into Wagtail's ``IndexView`` through its public hooks
(``paginator_class`` / ``get_paginator`` and ``paginate_queryset``):

- :class:`CappedCountPaginator` pages by number and counts at most ``count_cap`` rows;
- :class:`KeysetPaginator` seeks: its pages start after (or end before) a row's key, so
  the database reads a page's rows straight from an index however deep the page lies, and
  rows that share a timestamp are neither skipped nor repeated. It still counts up to the
  cap for the "N items" label.

:class:`KeysetPagingMixin` gives a listing the keyset paginator for the orderings it names
and keeps page numbers for the others.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.paginator import WagtailPaginator


class CappedCountPaginator(WagtailPaginator):
    """Counts at most ``count_cap`` rows, so a page view never counts a whole table.

    The count is ``SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)``, unordered: its cost, and the
    OFFSET of the last reachable page, stay bounded by the cap however big the table gets.
    Past the cap the listing says "more than ..." and offers the first ``cap`` rows; a
    filter (campaign, status, date) narrows the rest.
    """

    count_cap = 10_000
    is_keyset = False

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


AFTER = "after"
BEFORE = "before"
INVALID_CURSOR = gettext_lazy(
    "This page link is not valid (any more), so the list starts at its first page."
)


class InvalidCursor(ValueError):
    pass


class KeysetPage:
    """One page of a :class:`KeysetPaginator`: its rows and the cursors of its neighbours.

    ``cursor_was_invalid`` says the requested cursor was refused and this is the first page.
    """

    def __init__(self, rows, paginator, *, has_previous, has_next, cursor_was_invalid=False):
        self.object_list = rows
        self.paginator = paginator
        self._has_previous = has_previous
        self._has_next = has_next
        self.cursor_was_invalid = cursor_was_invalid

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_previous(self):
        return self._has_previous

    def has_next(self):
        return self._has_next

    def has_other_pages(self):
        return self._has_previous or self._has_next

    @cached_property
    def previous_cursor(self):
        if self._has_previous and self.object_list:
            return self.paginator.cursor(BEFORE, self.object_list[0])
        return None

    @cached_property
    def next_cursor(self):
        if self._has_next and self.object_list:
            return self.paginator.cursor(AFTER, self.object_list[-1])
        return None


class KeysetPaginator(CappedCountPaginator):
    """Pages of ``per_page`` rows in the order of ``key``: a field and a unique tie-breaker,
    both ascending or both descending (``("-created_at", "-id")``).

    A page is asked for by a cursor, the page parameter's value: empty for the first page,
    else a signed token naming a direction (after or before) and a row's key. The next page
    is the rows after the last row's key, the previous page the rows before the first row's,
    read in reverse and turned back. A page reads ``per_page + 1`` rows: the extra one tells
    whether another page follows in that direction. The seek predicate for the key
    ``(a, b)`` going down is ``a <= x AND (a < x OR b < y)``: the first half is a range an
    index on ``(..., a, b)`` starts from, the second skips the rows of the page already shown
    that share ``x``.

    A cursor that does not verify, or was made for another order, gives the first page
    (``cursor_was_invalid``); one past either end (its rows were deleted) gives the page at
    that end.
    """

    is_keyset = True
    cursor_salt = "core.admin_paging.KeysetPaginator"

    def __init__(self, object_list, per_page, *, key, **kwargs):
        self.key = tuple(key)
        self.fields = [name.lstrip("-") for name in self.key]
        self.descending = self.key[0].startswith("-")
        if len(self.key) != 2 or any(n.startswith("-") != self.descending for n in self.key):
            raise ValueError("A key is a field and a unique tie-breaker, in one direction.")
        super().__init__(object_list.order_by(*self.key), per_page, **kwargs)

    def get_elided_page_range(self, *args, **kwargs):
        return []

    def cursor(self, direction, row):
        values = [
            self.object_list.model._meta.get_field(name).value_to_string(row)
            for name in self.fields
        ]
        return signing.dumps([direction, list(self.key), values], salt=self.cursor_salt)

    def read_cursor(self, cursor):
        """The direction and the key values a cursor names; :exc:`InvalidCursor` if it was
        garbled, signed with another key, or made for another order."""
        try:
            direction, key, values = signing.loads(cursor, salt=self.cursor_salt)
            if direction not in (AFTER, BEFORE) or key != list(self.key) or len(values) != 2:
                raise InvalidCursor(cursor)
            model = self.object_list.model
            values = [
                model._meta.get_field(name).to_python(value)
                for name, value in zip(self.fields, values, strict=True)
            ]
        except (signing.BadSignature, ValidationError, TypeError, ValueError) as error:
            raise InvalidCursor(cursor) from error
        if None in values:
            raise InvalidCursor(cursor)
        return direction, values

    def get_page(self, cursor):
        if not cursor:
            return self._page(AFTER, None)
        try:
            direction, values = self.read_cursor(cursor)
        except InvalidCursor:
            page = self._page(AFTER, None)
            page.cursor_was_invalid = True
            return page
        page = self._page(direction, values)
        if not page.object_list:
            page = self._page(BEFORE if direction == AFTER else AFTER, None)
        return page

    def page(self, number):
        raise TypeError("A keyset paginator is asked for pages by cursor: use get_page().")

    def seek(self, direction, values):
        """Rows after (or before) ``values`` in the listing's order."""
        (first, tie), (x, y) = self.fields, values
        lookup = "lt" if self.descending == (direction == AFTER) else "gt"
        return Q(**{f"{first}__{lookup}e": x}) & (
            Q(**{f"{first}__{lookup}": x}) | Q(**{f"{tie}__{lookup}": y})
        )

    def _page(self, direction, values):
        """``values`` None: the first page (after) or the last page (before)."""
        rows = self.object_list
        if direction == BEFORE:
            rows = rows.reverse()
        if values is not None:
            rows = rows.filter(self.seek(direction, values))
        rows = list(rows[: self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if direction == BEFORE:
            rows.reverse()
            return KeysetPage(rows, self, has_previous=more, has_next=values is not None)
        return KeysetPage(rows, self, has_previous=values is not None, has_next=more)


class KeysetPagingMixin:
    """For a Wagtail ``IndexView``: keyset pages for the orderings in ``keyset_orderings``
    (the ``ordering`` value to the key it pages on), page numbers for the others.

    The cursor travels in Wagtail's own page parameter (``p``), so everything in Wagtail that
    goes back to the first page (changing the ordering, a filter or the search) drops it.
    The results template swaps "Page 3 of 400" for "Previous" and "Next" links with cursors.
    """

    keyset_orderings = {}
    results_template_name = "core/admin/keyset_index_results.html"

    def keyset_for_ordering(self):
        ordering = self.ordering
        if isinstance(ordering, (list, tuple)):
            ordering = ordering[0] if ordering else None
        return self.keyset_orderings.get(ordering)

    def get_paginator(self, queryset, per_page, **kwargs):
        key = self.keyset_for_ordering()
        if key is None or not isinstance(queryset, QuerySet):
            return super().get_paginator(queryset, per_page, **kwargs)
        return KeysetPaginator(queryset, per_page, key=key, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if getattr(page, "cursor_was_invalid", False):
            messages.warning(self.request, INVALID_CURSOR)
        return paginator, page, object_list, is_paginated
