"""IBANs: validation with schwifty (checksum, country format, SEPA zone) and masking.

The full IBAN is shown only on the payout screen, to the initiators who entered it.
Everywhere else (admin listings, audit entries, e-mails) it goes through :func:`mask_iban`.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

KVK_PATTERN = re.compile(r"^\d{8}$")


def compact_iban(value):
    return re.sub(r"\s+", "", value or "").upper()


def validate_sepa_iban(value):
    """Refuse an IBAN whose checksum or format is wrong, or whose country is not in SEPA."""
    try:
        iban = IBAN(compact_iban(value))
    except InvalidChecksumDigits:
        raise ValidationError(
            _("This IBAN is not correct: its check digits do not match. Check for a typo."),
            code="iban_checksum",
        ) from None
    except SchwiftyException:
        raise ValidationError(
            _("This is not a valid IBAN. Check the country code, the length and the digits."),
            code="iban_invalid",
        ) from None
    if not iban.in_sepa_zone:
        raise ValidationError(
            _(
                "We can only pay out to a bank account in the SEPA area; %(country)s is not "
                "part of it."
            )
            % {"country": iban.country_code},
            code="iban_not_sepa",
        )


def validate_kvk_number(value):
    if value and not KVK_PATTERN.match(value):
        raise ValidationError(
            _("A KvK number has exactly 8 digits."),
            code="kvk_invalid",
        )


def mask_iban(value):
    """``NL91ABNA0417164300`` → ``NL** **** **** **** 4300``: the country and the last four
    characters only, in one fixed shape that does not give away the length either."""
    iban = compact_iban(value)
    if len(iban) < 8:
        return "****"
    return f"{iban[:2]}** **** **** **** {iban[-4:]}"
