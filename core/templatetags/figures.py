"""The figure filters: `{{ n|count }}`, `{{ amount|money }}`, `{{ rate|percent }}`, `{{ x|decimal }}`
and `{{ value|measure:unit }}`, each spelling a figure the one way of the active language (core.figures)."""

from django import template

from core import figures

register = template.Library()


@register.filter
def count(value) -> str:
    return figures.count(value)


@register.filter
def money(value, currency: str = "EUR") -> str:
    return figures.money(value, currency or "EUR")


@register.filter
def percent(value, places: int = 1) -> str:
    return figures.percent(value, int(places))


@register.filter
def decimal(value, places: int = 1) -> str:
    return figures.decimal(value, int(places))


@register.filter
def measure(value, unit: str = "") -> str:
    return figures.measure(value, unit)
