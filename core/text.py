"""Small text guards shared by forms, e-mail and exports."""

import re

LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def single_line(value):
    """``value`` on one line: every line break becomes a space.

    Titles and names end up in e-mail subjects and headers, where a line break would
    start a new header (Django refuses such a mail with ``BadHeaderError``).
    """
    if value is None:
        return value
    return LINE_BREAKS.sub(" ", str(value)).strip()


def spreadsheet_safe(value):
    """A cell a spreadsheet program shows as text, never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (OWASP's advice against CSV injection). Other values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
