"""How figures are written for people, in the active language: counts, money, percentages and other
measures. Every page (through the `figures` template filters), export and report uses these functions,
so that one figure is spelt one way: `39 657 €` in French, `€39,657` in English, `9,4 %` / `9.4%`, and a
count is never "0,00".

`Figure` wraps a value with its kind for tables shown on a page and exported: the page shows its text,
a CSV its plain number, an XLSX a numeric cell with the matching number format."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation

NBSP = "\u00a0"
DASH = "—"

COUNT, MONEY, PERCENT, DECIMAL = "count", "money", "percent", "decimal"

#: Currencies written with a symbol: before the amount in English, after it in French.
SYMBOLS = {"EUR": "€"}
#: Units of a count, and units of money, as indicators spell them.
COUNT_UNITS = ("", "nombre", "number")
MONEY_UNITS = {"EUR": "EUR", "€": "EUR", "XOF": "XOF", "FCFA": "XOF"}


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _english() -> bool:
    return (translation.get_language() or "fr").split("-")[0] == "en"


def number(value, places: int = 0) -> str:
    """A number rounded to `places` decimals, grouped by thousands in the active language."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def count(value) -> str:
    """A count: a whole number, never decimals ("1 234", "0")."""
    return number(value, 0)


def decimal(value, places: int = 1) -> str:
    """A measure that is not a count (hours, a ratio): whole when it is, else `places` decimals."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    return number(amount, 0 if amount == amount.to_integral_value() else places)


def money(value, currency: str = "EUR", *, cents: bool = False) -> str:
    """An amount in whole units unless `cents`: `39 657 €` in French, `€39,657` in English."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    text = number(amount, 2 if cents else 0)
    symbol = SYMBOLS.get(currency)
    if symbol is None:
        return f"{text}{NBSP}{currency}"
    return f"{symbol}{text}" if _english() else f"{text}{NBSP}{symbol}"


def percent(value, places: int = 1) -> str:
    """A percentage given in percent (9.4 for 9.4 %): `9,4 %` in French, `9.4%` in English."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    text = number(amount, places)
    return f"{text}%" if _english() else f"{text}{NBSP}%"


def measure(value, unit: str = "") -> str:
    """A value in an indicator's unit: money for a currency, a percentage for "%", a count (or a
    decimal when it is not whole) for "nombre", else the number followed by the unit."""
    unit = (unit or "").strip()
    if unit in MONEY_UNITS:
        return money(value, MONEY_UNITS[unit])
    if unit == "%":
        return percent(value)
    if unit in COUNT_UNITS:
        return decimal(value)
    text = decimal(value)
    return text if text == DASH else f"{text}{NBSP}{unit}"


@dataclass(frozen=True)
class Figure:
    """A table cell that knows what it measures."""

    value: object
    kind: str = DECIMAL

    def __str__(self) -> str:
        return {COUNT: count, MONEY: money, PERCENT: percent}.get(self.kind, decimal)(self.value)

    @property
    def number(self) -> Decimal | None:
        """The value as the spreadsheet cell holds it (money in whole euros, as shown)."""
        amount = _decimal(self.value)
        if amount is None:
            return None
        places = {COUNT: 0, MONEY: 0, PERCENT: 1}.get(self.kind)
        return amount if places is None else amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def xlsx_format(self) -> str:
        """The cell's number format, in the active language (Excel localises the separators)."""
        if self.kind == MONEY:
            return '"€"#,##0' if _english() else '#,##0 "€"'
        if self.kind == PERCENT:
            return '0.0"%"' if _english() else '0.0 "%"'
        if self.kind == COUNT:
            return "#,##0"
        return "#,##0.0##"


def in_unit(value, unit: str = "") -> Figure:
    """A value in an indicator's unit as a table cell (as `measure` writes it)."""
    unit = (unit or "").strip()
    if unit in MONEY_UNITS and MONEY_UNITS[unit] == "EUR":
        return Figure(value, MONEY)
    if unit == "%":
        return Figure(value, PERCENT)
    return Figure(value, DECIMAL)


def as_figure(value) -> Figure | object:
    """A table cell as a Figure: ints are counts, Decimals and floats decimals; others unchanged."""
    if isinstance(value, Figure) or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Figure(value, COUNT)
    if isinstance(value, Decimal | float):
        return Figure(value, DECIMAL)
    return value
