"""The Belgian enterprise number: mod-97 check digits, the formats people type, the stored digits."""

import pytest
from django.core.exceptions import ValidationError

from partners.validators import (
    enterprise_number_display,
    enterprise_number_is_valid,
    enterprise_number_normalise,
    validate_enterprise_number,
)


@pytest.mark.parametrize(
    "typed",
    ["0123.456.749", "0123456749", "BE0123456749", "BE 0123.456.749", "be0123 456 749", " 0123-456-749 ", "123456749"],
)
def test_it_accepts_the_formats_people_type_and_stores_ten_digits(typed):
    validate_enterprise_number(typed)

    assert enterprise_number_normalise(typed) == "0123456749"


def test_the_check_digits_are_97_minus_the_first_eight_modulo_97():
    # 01234567 mod 97 = 48, so the check digits are 49.
    assert enterprise_number_is_valid("0123456749")
    assert not enterprise_number_is_valid("0123456748")
    # A remainder of 0 gives check digits 97.
    first_eight = f"{97 * 10000:08d}"
    assert enterprise_number_is_valid(first_eight + "97")


@pytest.mark.parametrize("typed", ["0123.456.748", "BE0123456700", "1000000000"])
def test_it_refuses_wrong_check_digits_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        validate_enterprise_number(typed)

    assert error.value.code == "enterprise_number_check_digits"
    assert "modulo 97" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["12345", "0123.456.74", "01234567490", "abc", "2123456749", "0123.456.7a9"])
def test_it_refuses_what_is_not_an_enterprise_number(typed):
    with pytest.raises(ValidationError) as error:
        validate_enterprise_number(typed)

    assert error.value.code == "enterprise_number_format"


def test_empty_is_left_to_the_required_check():
    validate_enterprise_number("")
    assert enterprise_number_normalise(None) == ""


def test_it_is_shown_with_dots():
    assert enterprise_number_display("0123456749") == "0123.456.749"
