"""Money is integer cents plus an ISO currency code; this module formats and reads it."""

import re
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
THOUSANDS_GROUP = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _locale(language=None):
    return BABEL_LOCALES.get((language or get_language() or "nl")[:2], "nl_NL")


def format_money(cents, currency="EUR", language=None):
    """Format cents per locale: ``€ 3.555`` in Dutch, ``€3,555`` in English.

    Whole amounts drop their decimals because campaign pages talk in round euros;
    anything with cents shows them.
    """
    locale = _locale(language)
    cents = int(cents or 0)
    amount = cents / 100
    if cents % 100 == 0:
        return format_currency(
            int(amount),
            currency,
            format=_whole_amount_pattern(locale),
            locale=locale,
            currency_digits=False,
        )
    return format_currency(amount, currency, locale=locale)


@cache
def _whole_amount_pattern(locale):
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


def euros_to_cents(value):
    return int((value * 100).to_integral_value())


def normalise_amount(text):
    """Read an amount as people type it: ``12,50``, ``12.50``, ``1.234,56`` or ``5.000``.

    A comma is always the decimal separator. Dots are thousands separators when a comma
    follows them, when there are several, or when Dutch is spoken and exactly three digits
    follow (``5.000`` is five thousand euros in Dutch); otherwise a dot is a decimal point.
    """
    value = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in value:
        return value.replace(".", "").replace(",", ".", 1) if value.count(",") == 1 else value
    if value.count(".") > 1 or (
        THOUSANDS_GROUP.match(value) and (get_language() or "nl").startswith("nl")
    ):
        return value.replace(".", "")
    return value


def cents_as_input(cents, language=None):
    """Cents as someone would type the amount back: ``1.234,50`` in Dutch, ``1234.50``
    in English (no grouping there, since a comma is read as the decimal separator)."""
    amount = Decimal(int(cents)) / 100
    locale = _locale(language)
    pattern = "#,##0" if locale.startswith("nl") else "0"
    if cents % 100:
        pattern += ".00"
    return format_decimal(amount, format=pattern, locale=locale)
