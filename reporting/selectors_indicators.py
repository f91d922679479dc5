"""Reads of the indicators page: the programmes a user may open, the results framework with its
targets, actual values and trends, and the computed indicators laid out as tables (shown on the page
and exported as CSV or XLSX)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Programme
from core import figures
from core.bilingual import plain_text_in
from core.figures import MONEY, PERCENT, Figure, as_figure, in_unit
from mobility.models import PartnershipStage

from .indicators import DIMENSION_LABELS, FUNNEL_STAGES, IndicatorResult, IndicatorSet, calculate
from .models import READING_ROLES, Indicator, IndicatorTarget, IndicatorValue, ResultObjective, readable_programmes

#: The roles that open the indicators page (committee and evaluators: read-only, their programmes).
READER_ROLES = READING_ROLES


def programmes_for_user(user) -> QuerySet[Programme]:
    """Staff: every programme; committee members and evaluators: the programmes they are members of
    in a role they still hold."""
    return readable_programmes(user)


# --------------------------------------------------------------------------------------------------
# Results framework
# --------------------------------------------------------------------------------------------------


@dataclass
class FrameworkIndicator:
    indicator: Indicator
    targets: list[IndicatorTarget]
    #: the computed value (calculator) or the latest value entered by hand for the scope
    actual: Decimal | None
    actual_source: str  # "computed", "manual" or ""
    actual_period: object = None
    result: IndicatorResult | None = None
    #: (period_end, value, is_snapshot) of the whole-scope values, oldest first
    trend: list[tuple] = field(default_factory=list)

    @property
    def latest_target(self) -> IndicatorTarget | None:
        return self.targets[-1] if self.targets else None

    @property
    def progress(self) -> Decimal | None:
        """Actual against the last target, in %, for an indicator to raise (none for one to reduce)."""
        target = self.latest_target
        return self.indicator.progress(self.actual, target.value if target else None)

    @property
    def target_met(self) -> bool | None:
        """Whether the actual value meets the last target, in the indicator's direction."""
        target = self.latest_target
        return self.indicator.target_met(self.actual, target.value if target else None)


@dataclass
class FrameworkObjective:
    objective: ResultObjective | None
    depth: int
    indicators: list[FrameworkIndicator]


def results_framework(*, programme: Programme, cohort: Cohort | None, indicators: IndicatorSet) -> list[FrameworkObjective]:
    """Objectives (parents before their children) with their indicators. Three queries: objectives,
    indicators with their targets, and the whole-scope values of the indicators."""
    objectives = list(ResultObjective.objects.filter(programme=programme).order_by("order", "code"))
    scope = Q(cohort=cohort) if cohort else Q(cohort__isnull=True)
    values = IndicatorValue.objects.filter(scope, dimension="").order_by("period_end", "pk")
    rows = list(
        Indicator.objects.filter(programme=programme)
        .order_by("order", "code")
        .prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("period_end")),
            Prefetch("values", queryset=values, to_attr="scope_values"),
        )
    )
    items: dict[int | None, list[FrameworkIndicator]] = {}
    for indicator in rows:
        trend = [(value.period_end, value.value, value.is_snapshot) for value in indicator.scope_values]
        item = FrameworkIndicator(
            indicator=indicator, targets=list(indicator.targets.all()), actual=None, actual_source="", trend=trend
        )
        if indicator.calculator:
            item.result = calculate(indicator.calculator, indicators)
            if item.result is not None:
                item.actual, item.actual_source = item.result.value, "computed"
        elif indicator.scope_values:
            latest = indicator.scope_values[-1]
            item.actual, item.actual_source, item.actual_period = latest.value, "manual", latest.period_end
        items.setdefault(indicator.objective_id, []).append(item)

    children: dict[int | None, list[ResultObjective]] = {}
    for objective in objectives:
        children.setdefault(objective.parent_id, []).append(objective)
    ordered: list[FrameworkObjective] = []

    def walk(parent_id, depth):
        for objective in children.get(parent_id, []):
            ordered.append(FrameworkObjective(objective, depth, items.get(objective.pk, [])))
            walk(objective.pk, depth + 1)

    walk(None, 0)
    known = {objective.pk for objective in objectives}
    orphans = [item for key, group in items.items() if key not in known for item in group]
    if orphans:
        ordered.append(FrameworkObjective(None, 0, orphans))
    return ordered


# --------------------------------------------------------------------------------------------------
# Tables (page and exports)
# --------------------------------------------------------------------------------------------------


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]

    def cells(self) -> list[list[tuple[object, bool]]]:
        """(text, is a number) per cell, for the page: figures written by core.figures and aligned right,
        None shown as a dash."""
        return [
            [(figures.DASH, True) if cell is None else (str(figure), True) if isinstance(figure := as_figure(cell), Figure)
             else (cell, False)
             for cell in row]
            for row in self.rows
        ]  # fmt: skip


def _eur(value) -> Figure:
    return Figure(value, MONEY)


def _pct(value) -> Figure:
    return Figure(value, PERCENT)


def _framework_table(framework: list[FrameworkObjective]) -> Table:
    rows = []
    for block in framework:
        objective = block.objective
        for item in block.indicators:
            indicator = item.indicator
            target = item.latest_target
            rows.append([
                objective.code if objective else "", indicator.code, plain_text_in(indicator, "name"), indicator.unit,
                in_unit(indicator.baseline, indicator.unit), str(indicator.baseline_year or ""),
                in_unit(target.value if target else None, indicator.unit), indicator.get_direction_display(),
                target.period_label if target else "",
                in_unit(item.actual, indicator.unit), {"computed": _("calculée"), "manual": _("saisie")}.get(item.actual_source, ""),
                _pct(item.progress), {True: _("oui"), False: _("non")}.get(item.target_met, ""),
            ])  # fmt: skip
    return Table(
        "framework",
        _("Cadre de résultats"),
        [
            _("Objectif"),
            _("Code"),
            _("Indicateur"),
            _("Unité"),
            _("Référence"),
            _("Année de référence"),
            _("Cible"),
            _("Sens"),
            _("Période de la cible"),
            _("Valeur actuelle"),
            _("Source"),
            _("% de la cible"),
            _("Cible atteinte"),
        ],  # fmt: skip
        rows,
    )


def indicator_tables(indicators: IndicatorSet, framework: list[FrameworkObjective] | None = None) -> dict[str, Table]:
    """Every computed table, keyed as the export's `table=` parameter."""
    tables: dict[str, Table] = {}
    if framework is not None:
        tables["framework"] = _framework_table(framework)

    stage_labels = [str(label) for _key, label in FUNNEL_STAGES]
    funnel_rows = [[_("Ensemble"), _("Ensemble")] + [stage.total for stage in indicators.funnel]]
    for dimension in indicators.dimensions():
        first = indicators.funnel[0].by.get(dimension, {})
        keys = list(indicators.group_labels(dimension))
        keys = [k for k in keys if first.get(k)] + [k for k in first if k not in keys and first.get(k)]
        for key in keys:
            funnel_rows.append(
                [str(DIMENSION_LABELS[dimension]), indicators.group_label(dimension, key)]
                + [stage.by.get(dimension, {}).get(key, 0) for stage in indicators.funnel]
            )
    tables["funnel"] = Table("funnel", _("Entonnoir par groupe"), [_("Ventilation"), _("Groupe")] + stage_labels, funnel_rows)

    coaching = indicators.coaching
    tables["coaching"] = Table(
        "coaching",
        _("Coaching par type"),
        [_("Type"), _("Séances"), _("Heures"), _("Entrepreneur·es"), _("Séances par entrepreneur·e"), _("Heures par entrepreneur·e")],
        [[row.label, row.count, row.hours, row.entrepreneurs,
          (Decimal(row.count) / row.entrepreneurs).quantize(Decimal("0.1")) if row.entrepreneurs else None,
          (row.hours / row.entrepreneurs).quantize(Decimal("0.1")) if row.entrepreneurs else None]
         for row in coaching.by_kind]
        + [[_("Ensemble"), coaching.sessions, coaching.hours, coaching.entrepreneurs, coaching.sessions_per_entrepreneur,
            coaching.hours_per_entrepreneur]],
    )  # fmt: skip
    tables["coaches"] = Table(
        "coaches",
        _("Coaching par coach"),
        [_("Coach"), _("Séances"), _("Heures"), _("Entrepreneur·es suivi·es")],
        [[row.label, row.count, row.hours, row.entrepreneurs] for row in coaching.by_coach],
    )
    tables["workload"] = Table(
        "workload",
        _("Charge des coachs par mois"),
        [_("Mois"), _("Coach"), _("Séances"), _("Heures")],
        [[month.strftime("%Y-%m") if month else "", coach, n, hours] for month, coach, n, hours in coaching.workload],
    )

    visa = indicators.visa
    tables["visa"] = Table(
        "visa",
        _("Visas"),
        [_("Mesure"), _("Valeur")],
        [[_("Dossiers"), visa.files], [_("Déposés"), visa.submitted], [_("Accordés"), visa.granted],
         [_("Refusés"), visa.refused], [_("En attente de décision"), visa.pending],
         [_("Taux de refus (%)"), _pct(visa.refusal_rate)], [_("Délai médian dépôt → décision (jours)"), visa.median_days]]
        + [[_("Refus : %(reason)s") % {"reason": row.label}, row.count] for row in visa.by_reason],
    )  # fmt: skip

    mobility = indicators.mobility
    tables["mobility"] = Table(
        "mobility",
        _("Mobilité"),
        [_("Mesure"), _("Valeur")],
        [[_("Entrepreneur·es parti·es"), mobility.travelled], [_("Voyages effectués"), mobility.trips],
         [_("Entreprises belges distinctes rencontrées"), mobility.belgian_companies_met],
         [_("Rendez-vous B2B"), mobility.meetings], [_("Rendez-vous par entrepreneur·e"), mobility.meetings_per_entrepreneur],
         [_("Invitations envoyées"), mobility.invitations_sent], [_("Invitations avec réponse"), mobility.invitations_answered],
         [_("Taux de réponse aux invitations (%)"), _pct(mobility.invitation_response_rate)],
         [_("Délai médian de réponse (jours)"), mobility.invitation_median_days]]
        + [[_("Invitations : %(status)s") % {"status": row.label}, row.count] for row in mobility.invitations_by_status],
    )  # fmt: skip

    partnerships = indicators.partnerships
    stages = list(PartnershipStage.choices)
    tables["partnerships"] = Table(
        "partnerships",
        _("Partenariats par type et par étape"),
        [_("Type")] + [str(label) for _key, label in stages] + [_("Total")],
        [[row.label] + [partnerships.by_type_and_stage.get(row.key, {}).get(key, 0) for key, _label in stages] + [row.count]
         for row in partnerships.by_type if row.count]
        + [[_("Total")] + [row.count for row in partnerships.by_stage] + [partnerships.total]],
    )  # fmt: skip
    tables["persistence"] = Table(
        "persistence",
        _("Durabilité des partenariats"),
        [_("Mesure"), _("Valeur")],
        [[_("Partenariats"), partnerships.total], [_("Partenariats vivants aujourd'hui"), partnerships.live],
         [_("Accords signés"), partnerships.agreements],
         [_("Mesurables à +6 mois"), partnerships.measurable_6m], [_("Partenariats vivants à +6 mois"), partnerships.live_6m],
         [_("Part vivante à +6 mois (%)"), _pct(partnerships.share_live_6m)],
         [_("Mesurables à +12 mois"), partnerships.measurable_12m], [_("Partenariats encore vivants à +12 mois"), partnerships.live_12m],
         [_("Part vivante à +12 mois (%)"), _pct(partnerships.share_live_12m)],
         [_("Transactions"), partnerships.transactions], [_("Valeur des transactions (EUR)"), _eur(partnerships.transactions_eur)]],
    )  # fmt: skip

    meso = indicators.meso
    tables["meso"] = Table(
        "meso",
        _("Niveaux méso et macro (programme entier)"),
        [_("Mesure"), _("Valeur")],
        [[_("Incubateurs sénégalais impliqués"), meso.incubators], [_("Incubateurs impliqués (tous pays)"), meso.incubators_total],
         [_("Sous-projets d'incubateurs"), meso.sub_projects], [_("Budget des sous-projets (EUR)"), _eur(meso.sub_projects_budget_eur)],
         [_("Membres du comité de pilotage"), meso.committee_members],
         [_("Réunions du comité tenues"), meso.committee_meetings],
         [_("Taux de présence au comité (%)"), _pct(meso.attendance_rate)]]
        + [[_("Sous-projets : %(status)s") % {"status": row.label}, row.count] for row in meso.sub_projects_by_status],
    )  # fmt: skip

    efficiency = indicators.efficiency
    tables["budget"] = Table(
        "budget",
        _("Budget et dépenses par année et catégorie (EUR)"),
        [_("Année"), _("Catégorie"), _("Budget (EUR)"), _("Dépenses (EUR)"), _("Taux d'exécution (%)")],
        [[str(year), label, _eur(planned), _eur(spent), _pct((spent / planned * 100) if planned else None)]
         for year, _key, label, planned, spent in efficiency.by_year_and_category]
        + [[_("Total"), "", _eur(efficiency.budget_eur), _eur(efficiency.spending_eur),
            _pct((efficiency.spending_eur / efficiency.budget_eur * 100) if efficiency.budget_eur else None)]],
    )  # fmt: skip
    tables["efficiency"] = Table(
        "efficiency",
        _("Efficience"),
        [_("Mesure"), _("Valeur")],
        [[_("Dépenses (EUR)"), _eur(efficiency.spending_eur)], [_("Mobilités (entrepreneur·es parti·es)"), mobility.travelled],
         [_("Coût par mobilité (EUR)"), _eur(efficiency.cost_per_mobility)],
         [_("Partenariats vivants"), partnerships.live],
         [_("Coût par partenariat vivant (EUR)"), _eur(efficiency.cost_per_active_partnership)]],
    )  # fmt: skip
    return tables
