"""Money formatting for the pages; the implementation is shared from ``core.money``."""

from core.money import BABEL_LOCALES, format_money

__all__ = ["BABEL_LOCALES", "format_money"]
