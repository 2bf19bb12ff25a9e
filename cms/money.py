"""Money is integer cents plus an ISO currency code; this module only formats it."""

from functools import cache

from babel import Locale
from babel.numbers import format_currency
from django.utils.translation import get_language

BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def format_money(cents, currency="EUR", language=None):
    """Format cents per locale: ``€ 3.555`` in Dutch, ``€3,555`` in English.

    Whole amounts drop their decimals because campaign pages talk in round euros;
    anything with cents shows them.
    """
    language = (language or get_language() or "nl")[:2]
    locale = BABEL_LOCALES.get(language, "nl_NL")
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
