"""Writes of the results framework: values entered by hand with their evidence, and snapshots that
freeze the computed indicators at the end of a period (re-freezing a period updates it in place)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Cohort, Programme

from ..indicators import calculate, compute_indicators
from ..models import Disaggregation, Indicator, IndicatorValue

#: IndicatorValue.value has four decimal places.
PLACES = Decimal("0.0001")


@transaction.atomic
def indicator_value_record(
    *,
    indicator: Indicator,
    period_end: datetime.date,
    value: Decimal,
    evidence: str,
    by: User | None,
    cohort: Cohort | None = None,
    dimension: str = "",
    group: str = "",
) -> IndicatorValue:
    """Record the value of a manual indicator for a period (and optionally a cohort and a group).

    The same period, cohort and group entered again replaces the earlier value: a double submission
    or a correction never creates a second row."""
    if indicator.calculator:
        raise ValidationError(
            _("Cet indicateur est calculé par la plateforme : sa valeur ne se saisit pas à la main."), code="computed"
        )
    if cohort is not None and cohort.programme_id != indicator.programme_id:
        raise ValidationError({"cohort": _("Cette cohorte n'appartient pas au programme de l'indicateur.")}, code="cohort")
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Indiquez le justificatif de cette valeur.")}, code="evidence")
    if bool(dimension) != bool(group):
        raise ValidationError({"group": _("Une ventilation demande un groupe, et un groupe une ventilation.")}, code="group")
    row = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period_end=period_end, cohort=cohort, dimension=dimension, group=group)
        .first()
    )
    row = row or IndicatorValue(indicator=indicator, period_end=period_end, cohort=cohort, dimension=dimension, group=group)
    row.value = Decimal(value).quantize(PLACES)
    row.evidence = evidence.strip()
    row.is_snapshot = False
    row.recorded_at = timezone.now()
    row.recorded_by = by
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def indicator_snapshot_freeze(
    *, programme: Programme, period_end: datetime.date, by: User | None, cohort: Cohort | None = None
) -> int:
    """Freeze every calculator indicator of the programme (for the cohort, or programme-wide) as values
    of the period ending `period_end`, with the disaggregations each indicator declares.

    Idempotent per period: the rows of an earlier freeze of the same period and scope are updated in
    place, groups that no longer exist are removed. Returns the number of rows written."""
    if cohort is not None and cohort.programme_id != programme.pk:
        raise ValidationError({"cohort": _("Cette cohorte n'appartient pas au programme.")}, code="cohort")
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("La période ne peut pas finir dans le futur.")}, code="future")
    computed = list(Indicator.objects.filter(programme=programme).exclude(calculator=""))
    if not computed:
        return 0
    indicators = compute_indicators(programme=programme, cohort=cohort)
    now = timezone.now()
    wanted: dict[tuple[int, str, str], Decimal] = {}
    allowed = set(Disaggregation.values)
    for indicator in computed:
        result = calculate(indicator.calculator, indicators)
        if result is None or result.value is None:
            continue
        wanted[(indicator.pk, "", "")] = Decimal(result.value).quantize(PLACES)
        for dimension in indicator.disaggregations or []:
            if dimension not in allowed:
                continue
            for group, value in result.by.get(dimension, {}).items():
                if value is not None and group:
                    wanted[(indicator.pk, dimension, str(group)[:60])] = Decimal(value).quantize(PLACES)

    existing = {
        (row.indicator_id, row.dimension, row.group): row
        for row in IndicatorValue.objects.select_for_update().filter(indicator__in=computed, period_end=period_end, cohort=cohort)
    }
    to_update, to_create = [], []
    for key, value in wanted.items():
        row = existing.pop(key, None)
        if row is None:
            indicator_id, dimension, group = key
            to_create.append(IndicatorValue(
                indicator_id=indicator_id, period_end=period_end, cohort=cohort, dimension=dimension, group=group,
                value=value, is_snapshot=True, recorded_at=now, recorded_by=by,
            ))  # fmt: skip
        else:
            row.value, row.is_snapshot, row.recorded_at, row.recorded_by = value, True, now, by
            to_update.append(row)
    IndicatorValue.objects.bulk_update(to_update, ["value", "is_snapshot", "recorded_at", "recorded_by"])
    IndicatorValue.objects.bulk_create(to_create)
    stale = [row.pk for row in existing.values() if row.is_snapshot]
    if stale:
        IndicatorValue.objects.filter(pk__in=stale).delete()
    return len(wanted)
