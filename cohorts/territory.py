"""Where an applicant stands relative to the programme applied to: the one definition of "diaspora"
(living outside the programme's country of origin) and of "in the watched region group" (the regions a
programme follows apart, such as PEM-WECCO's Dakar–Thiès axis). Every count, preview and form uses
these, so a programme of Côte d'Ivoire is measured against Côte d'Ivoire, not Senegal."""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import RegionGroup

#: Keys of the region split (stored as IndicatorValue.group, so they must not change).
AXIS, ELSEWHERE, UNKNOWN = "axis", "elsewhere", "unknown"


def is_diaspora(*, country_of_residence: object, origin_country: object) -> bool:
    """A member of the diaspora lives outside the programme's country of origin. An unknown residence
    is not counted as diaspora (the wizard asks for it before submission)."""
    residence, origin = str(country_of_residence or ""), str(origin_country or "")
    return bool(residence and origin and residence != origin)


def diaspora_condition(prefix: str = "") -> Q:
    """`is_diaspora` as a condition on applications (`prefix` leads from the queried model to the
    application, e.g. "application__")."""
    residence = f"{prefix}entrepreneur__country_of_residence"
    return ~Q(**{residence: ""}) & ~Q(**{residence: F(f"{prefix}cohort__programme__origin_country")})


def diaspora_flag(prefix: str = "") -> ExpressionWrapper:
    """`diaspora_condition` as a value to annotate (True/False)."""
    return ExpressionWrapper(diaspora_condition(prefix), output_field=BooleanField())


def in_watched_group(prefix: str = "") -> Exists:
    """Whether the application's company lies in a region of its programme's watched group (false when
    the programme watches none, or the company has no region)."""
    return Exists(
        RegionGroup.regions.through.objects.filter(
            regiongroup_id=OuterRef(f"{prefix}cohort__programme__watched_region_group_id"),
            region_id=OuterRef(f"{prefix}company__region_id"),
        )
    )


def region_split(prefix: str = "") -> Case:
    """The application's group in the region split: in the watched group, elsewhere, or unknown (no
    company). Elsewhere includes companies abroad."""
    return Case(
        When(**{f"{prefix}company__isnull": True}, then=Value(UNKNOWN)),
        When(in_watched_group(prefix), then=Value(AXIS)),
        default=Value(ELSEWHERE),
        output_field=CharField(),
    )


def region_split_labels(group: RegionGroup | None) -> dict[str, object]:
    """Labels of the region split for a programme watching `group`; empty when it watches none (then no
    split is shown)."""
    if group is None:
        return {}
    return {AXIS: group.name, ELSEWHERE: _("Autres régions et étranger"), UNKNOWN: _("Non renseigné")}


def diaspora_wording(origin_country: object) -> str:
    """ "diaspora (living outside <country>)", with the country's name in the current language."""
    name = getattr(origin_country, "name", "") or ""
    return gettext("diaspora (vivant hors du pays : %(country)s)") % {"country": name} if name else gettext("diaspora")
