"""Pages of a long list without counting it: "previous" and "next", never "page 3 of 4,167".

Django's ``Paginator`` runs ``COUNT(*)`` over the whole filtered list on every page view,
to show the total and the last page. On the initiative listing that count is the costliest
query of the page. :func:`lookahead_page` reads one row more than it shows instead: that
row tells whether a next page exists. The page object answers the same questions the
templates ask of Django's ``Page`` (``has_next``, ``next_page_number``, ...), except the
total.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _


class PageNumberError(ValueError):
    """The requested page number is not a whole number of 1 or more (400), or lies past the
    end (404): ``status`` is the answer's status code, ``args[0]`` the message."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


INVALID_NUMBER = _("The page number must be a whole number of 1 or more.")
PAST_THE_END = _("There is no page with this number; the list is shorter.")


def page_number(value):
    """The page number from a query parameter (``None`` or empty is page 1)."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise PageNumberError(INVALID_NUMBER) from None
    if number < 1:
        raise PageNumberError(INVALID_NUMBER)
    return number


class LookaheadPage(Sequence):
    def __init__(self, rows, number, per_page):
        self.object_list = rows[:per_page]
        self.number = number
        self.per_page = per_page
        self._more = len(rows) > per_page

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0


def lookahead_page(queryset, value, per_page):
    """The page ``value`` (a query parameter) of ``queryset``: one query, ``per_page + 1`` rows.

    Raises :class:`PageNumberError` for a number that is not one, or for a page past the
    end (page 1 of an empty list is an empty page, not an error).
    """
    number = page_number(value)
    offset = (number - 1) * per_page
    page = LookaheadPage(list(queryset[offset : offset + per_page + 1]), number, per_page)
    if number > 1 and not page.object_list:
        raise PageNumberError(PAST_THE_END, status=404)
    return page
