"""The Belgian enterprise number (BCE/KBO): ten digits, the last two a mod-97 check of the first eight,
shown 0123.456.789. People type it with dots, spaces or a "BE" VAT prefix; it is stored as digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: What may surround the digits as people write them: "BE 0123.456.749", "0123 456 749", "0123-456-749".
_SEPARATORS = re.compile(r"[\s.\-/\u00a0\u202f]")


def enterprise_number_normalise(value) -> str:
    """The digits of an enterprise number as typed ("" for nothing). A number of nine digits not starting
    with 0 (as written before 2005, without its leading 0) gets its 0 back. Anything else is returned as typed (stripped)
    so that the validator can say what is wrong with it."""
    text = str(value or "").strip()
    if isinstance(value, float) and value.is_integer():  # a spreadsheet cell read as a number
        text = str(int(value))
    compact = _SEPARATORS.sub("", text)
    if compact[:2].upper() == "BE":
        compact = compact[2:]
    if not compact.isascii() or not compact.isdigit():
        return text
    return "0" + compact if len(compact) == 9 and compact[0] != "0" else compact


def enterprise_number_check_digits(first_eight: str) -> int:
    """97 minus the first eight digits modulo 97."""
    return 97 - int(first_eight) % 97


def enterprise_number_is_valid(digits: str) -> bool:
    return (
        len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and digits[0] in "01"
        and int(digits[8:]) == enterprise_number_check_digits(digits[:8])
    )


def enterprise_number_display(digits: str) -> str:
    """0123.456.789 for stored digits; anything else as it is."""
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return digits


def validate_enterprise_number(value) -> None:
    """Field validator: a number that normalises to ten digits starting with 0 or 1, with right check digits."""
    digits = enterprise_number_normalise(value)
    if not digits:
        return
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro d'entreprise belge : il faut 10 chiffres (par exemple 0123.456.749)."),
            code="enterprise_number_format",
            params={"value": value},
        )
    if digits[0] not in "01":
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro d'entreprise belge : il commence par 0 ou 1."),
            code="enterprise_number_format",
            params={"value": value},
        )
    if not enterprise_number_is_valid(digits):
        raise ValidationError(
            _(
                "Le numéro d'entreprise « %(value)s » est erroné : ses deux derniers chiffres ne correspondent pas aux huit premiers (contrôle modulo 97). Vérifiez-le dans la BCE."
            ),
            code="enterprise_number_check_digits",
            params={"value": value},
        )
