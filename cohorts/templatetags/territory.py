"""Template helpers for where an applicant stands relative to the programme applied to."""

from django import template

from ..territory import is_diaspora

register = template.Library()


@register.filter
def diaspora(application) -> bool:
    """Whether the application's founder lives outside its programme's country of origin."""
    return is_diaspora(
        country_of_residence=application.entrepreneur.country_of_residence,
        origin_country=application.cohort.programme.origin_country,
    )
