"""Amounts are read the way Dutch and English speakers type them."""

import pytest
from django.utils import translation

from campaigns.forms import EuroField
from core.money import normalise_amount


@pytest.mark.parametrize(
    ("language", "typed", "cents"),
    [
        ("nl", "5.000", 500_000),
        ("nl", "12,50", 1_250),
        ("nl", "1.234,56", 123_456),
        ("nl", "€ 25", 2_500),
        ("en", "5.00", 500),
        ("en", "12.50", 1_250),
        ("en", "1.000.000", 100_000_000),
    ],
)
def test_typed_amounts_become_cents(language, typed, cents):
    with translation.override(language):
        assert EuroField(max_cents=None).clean(typed) == cents


def test_normalise_leaves_nonsense_for_the_field_to_refuse():
    assert normalise_amount("veel") == "veel"


def test_an_ambiguous_english_amount_is_refused_not_guessed():
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError):
        EuroField(max_cents=None).clean("5.000")
