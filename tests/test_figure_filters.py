"""The one way to write a figure per language ([5] item 4): counts without decimals, money in whole euros
(`39 657 €` / `€39,657`), percentages (`9,4 %` / `9.4%`), used by the template filters."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core import figures
from core.figures import COUNT, MONEY, PERCENT, Figure


def spaced(text: str) -> str:
    """Non-breaking spaces (thousands, before € and %) read as spaces in the assertions."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def render(source: str, **context) -> str:
    return spaced(Template("{% load figures %}" + source).render(Context(context)))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "39 657 € · 9,4 % · 0 · 1 520 · 8,7 · 12 €"),
        ("en", "€39,657 · 9.4% · 0 · 1,520 · 8.7 · €12"),
    ],
)
def test_the_filters_write_each_figure_the_one_way_of_the_language(language, expected):
    with translation.override(language):
        text = render(
            "{{ cost|money }} · {{ rate|percent }} · {{ none|count }} · {{ hours|measure:'nombre' }} · {{ ratio|decimal }}"
            " · {{ small|measure:'EUR' }}",
            cost=Decimal("39657.49"), rate=Decimal("9.4"), none=Decimal("0.00"), hours=Decimal("1520.0"),
            ratio=Decimal("8.74"), small=Decimal("12.40"),
        )  # fmt: skip

    assert text == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_count_never_shows_decimals_and_a_missing_value_is_a_dash(language):
    with translation.override(language):
        assert figures.count(Decimal("0.00")) == "0"
        assert figures.count(Decimal("20.00")) == "20"
        assert figures.measure(None, "EUR") == figures.percent(None) == figures.count(None) == "—"


def test_measure_follows_the_indicator_unit():
    with translation.override("fr"):
        assert spaced(figures.measure(Decimal("39657.49"), "EUR")) == "39 657 €"
        assert spaced(figures.measure(Decimal("10.00"), "%")) == "10,0 %"
        assert spaced(figures.measure(Decimal("12.5"), "jours")) == "12,5 jours"


@pytest.mark.parametrize(("language", "money_format"), [("fr", '#,##0 "€"'), ("en", '"€"#,##0')])
def test_a_spreadsheet_cell_keeps_the_number_with_a_number_format(language, money_format):
    with translation.override(language):
        cost = Figure(Decimal("39657.49"), MONEY)
        assert cost.number == Decimal("39657") and cost.xlsx_format() == money_format
        assert Figure(Decimal("9.44"), PERCENT).number == Decimal("9.4")
        assert Figure(Decimal("3"), COUNT).xlsx_format() == "#,##0"
