"""Countries and regions per programme: a programme of Côte d'Ivoire offers Ivorian districts, counts
its diaspora against Côte d'Ivoire and splits its figures by its own watched region group; a programme
watching no group shows no territorial split; countries are shown by name, never by ISO code."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts import selectors_selection
from cohorts.eligibility import application_profile
from cohorts.models import Application, ApplicationStatus, EligibilityCriterion
from cohorts.selectors_screening import criteria_what_if
from cohorts.selectors_staff import selection_analysis
from cohorts.services.screening import criterion_value_clean
from cohorts.services.staff import applications_import_check
from cohorts.territory import diaspora_condition, in_watched_group, is_diaspora
from cohorts.tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory
from cohorts.tests.factories_review import application_at
from cohorts.tests.factories_screening import criteria_post
from partners.models import Company, Region, RegionGroup
from partners.tests.factories import CompanyFactory, EntrepreneurFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def abidjan_yamoussoukro():
    group = RegionGroup.objects.create(country="CI", name_fr="Abidjan–Yamoussoukro", name_en="Abidjan–Yamoussoukro")
    group.regions.set([region("abidjan"), region("yamoussoukro")])
    return group


@pytest.fixture
def nzassa(abidjan_yamoussoukro):
    return ProgrammeFactory(code="nzassa", name="PEM N'Zassa", origin_country="CI", watched_region_group=abidjan_yamoussoukro)


def ivorian(cohort, status, *, district: str, residence: str = "CI", gender: str = "woman") -> Application:
    company = CompanyFactory(region=district, country="CI")
    entrepreneur = EntrepreneurFactory(gender=gender, country_of_residence=residence, company=company)
    return application_at(status, cohort=cohort, entrepreneur=entrepreneur)


# --- the seeded regions ---------------------------------------------------------------------------


def test_every_installation_has_the_regions_of_senegal_and_the_districts_of_cote_divoire():
    assert Region.objects.filter(country="SN").count() == 14
    assert Region.objects.filter(country="CI").count() == 14
    abidjan = region("abidjan")
    assert (abidjan.name_fr, abidjan.name_en) == ("District autonome d'Abidjan", "Abidjan Autonomous District")
    axis = RegionGroup.objects.get(country="SN")
    assert sorted(axis.regions.values_list("code", flat=True)) == ["dakar", "thies"]
    assert (axis.name_fr, axis.name_en) == ("Axe Dakar–Thiès", "Dakar–Thiès axis")


# --- diaspora -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residence", "origin", "expected"),
    [("FR", "CI", True), ("CI", "CI", False), ("CI", "SN", True), ("SN", "SN", False), ("BE", "SN", True), ("", "SN", False)],
)
def test_diaspora_is_living_outside_the_programmes_country(residence, origin, expected):
    programme = ProgrammeFactory(origin_country=origin)
    application = ApplicationFactory(cohort=CohortFactory(programme=programme), entrepreneur__country_of_residence=residence)

    assert is_diaspora(country_of_residence=residence, origin_country=programme.origin_country) is expected
    # The database condition says the same as the function (one rule, two forms).
    assert Application.objects.filter(diaspora_condition(), pk=application.pk).exists() is expected
    assert application_profile(application)["is_diaspora"] is expected


def test_the_same_founder_is_diaspora_for_one_programme_and_not_for_another(nzassa):
    founder = EntrepreneurFactory(country_of_residence="CI", company=CompanyFactory(region="abidjan", country="CI"))
    for_nzassa = ApplicationFactory(cohort=CohortFactory(programme=nzassa), entrepreneur=founder)
    for_senegal = ApplicationFactory(cohort=CohortFactory(), entrepreneur=founder)

    assert not application_profile(for_nzassa)["is_diaspora"]
    assert application_profile(for_senegal)["is_diaspora"]


# --- the wizard -----------------------------------------------------------------------------------


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_an_ivorian_applicant_sees_ivorian_regions_and_an_ivorian_diaspora(client, nzassa):
    cohort = CohortFactory(programme=nzassa)
    client.force_login(UserFactory(roles=[Role.ENTREPRENEUR], email="adjoua@example.ci"))
    client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))
    application = Application.objects.get(cohort=cohort)

    def step(number):
        return reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": number})

    first = client.get(step(1)).content.decode().replace("&#x27;", "'")
    assert "diaspora (vivant hors du pays : Côte d'Ivoire)" in first
    assert "sénégalaise" not in first.lower()  # (Sénégal itself is among the countries of residence)
    founder = {"gender": "woman", "age_band": "25-34", "education": "master", "country_of_residence": "FR", "action": "next"}
    assert client.post(step(1), founder)["Location"] == step(2)

    second = client.get(step(2)).content.decode()
    regions = _options(second, "region")
    assert "District autonome d'Abidjan".replace("'", "&#x27;") in regions and "Vallée du Bandama" in regions
    assert "Dakar" not in regions and "Thiès" not in regions and len(regions) == 14 + 1  # + the empty choice
    assert "Région (Côte d&#x27;Ivoire)" in second
    assert re.search(r'<option value="FR" selected>France</option>', second)  # where the founder lives, offered first
    company = {
        "name": "Attiéké Express SARL", "legal_form": "sarl", "is_formal": "on", "sector": "agrifood", "country": "CI",
        "region": region("vallee-du-bandama").pk, "city": "Bouaké", "year_founded": "2019", "turnover_band": "10-50m",
        "employees": "5", "action": "next",
    }  # fmt: skip
    assert client.post(step(2), company)["Location"] == step(3)
    # A region of another country is not a choice.
    refused = client.post(step(2), {**company, "region": region("dakar").pk})
    assert refused.status_code == 200 and "region" in refused.context["form"].errors

    application.refresh_from_db()
    profile = application_profile(application)
    assert (profile["region"], profile["is_diaspora"]) == ("vallee-du-bandama", True)
    assert application.entrepreneur.country_of_residence == "FR"


def test_a_company_abroad_gives_its_country_and_no_region(client, nzassa):
    cohort = CohortFactory(programme=nzassa)
    client.force_login(UserFactory(roles=[Role.ENTREPRENEUR], email="kouame@example.fr"))
    client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))
    application = Application.objects.get(cohort=cohort)
    url = reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 2})
    company = {
        "name": "Kouamé Trading SAS", "legal_form": "foreign", "is_formal": "on", "sector": "services", "country": "FR",
        "region": region("abidjan").pk, "city": "Lyon", "year_founded": "2018", "turnover_band": "10-50m",
        "employees": "3", "action": "save",
    }  # fmt: skip
    client.post(url, company)
    saved = Company.objects.get(name="Kouamé Trading SAS")
    assert (saved.country, saved.region) == ("FR", None)

    # In the programme's own country, the region is required.
    response = client.post(url, {**company, "country": "CI", "region": ""})
    assert response.status_code == 200 and "region" in response.context["form"].errors


def test_the_pages_show_country_names_not_iso_codes(client, nzassa):
    user = UserFactory(roles=[Role.ENTREPRENEUR])
    founder = EntrepreneurFactory(
        user=user, email=user.email, country_of_residence="FR", company=CompanyFactory(region="abidjan", country="CI")
    )
    application = ApplicationFactory(cohort=CohortFactory(programme=nzassa), entrepreneur=founder)
    client.force_login(user)

    html = client.get(reverse("cohorts:application_detail", kwargs={"pk": application.pk})).content.decode()

    main = html.split("<main", 1)[1]  # (the header's language switcher says "FR", a language)
    assert "France" in main and "District autonome d&#x27;Abidjan" in main
    assert not re.search(r">[^<]*\b(FR|CI|SN)\b[^<]*<", main)


# --- criteria of a programme's country ------------------------------------------------------------


def test_region_criteria_take_the_regions_of_the_programmes_country(client, nzassa):
    cohort = CohortFactory(programme=nzassa)
    assert (
        criterion_value_clean(field="region", operator="in", value="Abidjan Autonomous District, Lagunes", country="CI")
        == "abidjan,lagunes"
    )
    with pytest.raises(Exception, match="Dakar"):
        criterion_value_clean(field="region", operator="in", value="Dakar", country="CI")

    client.force_login(UserFactory(roles=[Role.STAFF]))
    page = client.get(reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk})).content.decode()
    assert "Vallée du Bandama" in page and "Ziguinchor" not in page
    client.post(
        reverse("cohorts:criteria_edit", kwargs={"pk": cohort.pk}),
        criteria_post([{"field": "region", "operator": "in", "value": "Lagunes, District autonome d'Abidjan"}]),
    )
    assert EligibilityCriterion.objects.get(cohort=cohort).value == "lagunes,abidjan"


# --- the watched region group: selection, preview, analysis, indicators ---------------------------


def test_shares_and_preview_of_an_ivorian_programme_count_its_districts_and_diaspora(client, nzassa):
    cohort = CohortFactory(programme=nzassa)
    ivorian(cohort, ApplicationStatus.SELECTED, district="abidjan", residence="FR")  # diaspora, in the group
    ivorian(cohort, ApplicationStatus.SELECTED, district="yamoussoukro", gender="man")
    ivorian(cohort, ApplicationStatus.SELECTED, district="vallee-du-bandama")
    ivorian(cohort, ApplicationStatus.SELECTED, district="savanes", residence="BE", gender="man")  # diaspora, elsewhere

    shares = selectors_selection.selection_shares(Application.objects.filter(cohort=cohort))
    assert shares == selectors_selection.Shares(total=4, women=2, diaspora=2, axis=2, elsewhere=2)
    assert Application.objects.filter(in_watched_group(), cohort=cohort).count() == 2

    client.force_login(UserFactory(roles=[Role.STAFF]))
    board = client.get(reverse("cohorts:selection_board", args=[cohort.pk])).content.decode()
    assert "Abidjan–Yamoussoukro" in board and "Dakar" not in board
    assert '<td class="num" data-share="selected-diaspora">50 % (2)</td>' in board

    # (the indicators of the same programme: reporting/tests/test_indicators_territory.py)
    what_if = criteria_what_if(cohort=cohort, criteria=[])
    region_dimension = next(d for d in what_if["dimensions"] if d["key"] == "region")
    assert [(row["label"], row["total"]) for row in region_dimension["groups"]] == [
        ("Abidjan–Yamoussoukro", 2),
        ("Autres régions et étranger", 2),
    ]


def test_a_programme_without_a_watched_group_shows_no_territorial_split(client):
    programme = ProgrammeFactory(origin_country="SN", watched_region_group=None)
    cohort = CohortFactory(programme=programme)
    application_at(
        ApplicationStatus.SELECTED, cohort=cohort, entrepreneur=EntrepreneurFactory(company=CompanyFactory(region="dakar"))
    )
    ApplicationFactory(
        cohort=cohort,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=cohort.call_opens_at,
        entrepreneur__company__region="thies",
    )

    client.force_login(UserFactory(roles=[Role.STAFF]))
    board = client.get(reverse("cohorts:selection_board", args=[cohort.pk])).content.decode()
    assert 'data-share="selected-axis"' not in board and "Axe Dakar" not in board

    what_if = criteria_what_if(cohort=cohort, criteria=[])
    assert "region" not in [dimension["key"] for dimension in what_if["dimensions"]]

    analysis = selection_analysis(Application.objects.filter(cohort=cohort), [cohort])
    assert "region" not in [breakdown.dimension for breakdown in analysis.breakdowns]
    analysis_page = client.get(reverse("cohorts:selection_analysis"), {"cohort": cohort.pk}).content.decode()
    assert "Axe Dakar" not in analysis_page


# --- import ---------------------------------------------------------------------------------------


def test_the_import_reads_regions_of_the_programmes_country_by_name_and_countries_by_name(nzassa):
    from cohorts.tests.test_staff_import import _dataset, _row

    CohortFactory(programme=nzassa, number=1)
    rows = [
        _row(programme="nzassa", region="Vallée du Bandama", pays_residence="Côte d'Ivoire"),
        _row(programme="nzassa", email="b@example.ci", region="Abidjan Autonomous District", pays_residence="France"),
        _row(programme="nzassa", email="c@example.ci", region="Dakar"),
        _row(programme="nzassa", email="d@example.ci", region="", pays_residence=""),
    ]

    report = applications_import_check(dataset=_dataset(rows))

    first, second, dakar, empty = report.rows
    assert not first.errors and first.values["region_row"].code == "vallee-du-bandama" and first.values["pays_residence"] == "CI"
    assert not second.errors and second.values["region_row"].code == "abidjan" and second.values["pays_residence"] == "FR"
    assert "Côte d'Ivoire" in dakar.errors["region"]
    assert "region" in empty.errors  # living in the programme's country (the default): the region is needed


def test_a_file_with_the_former_diaspora_column_is_read_and_the_column_ignored(nzassa):
    from cohorts.resources import read_spreadsheet
    from cohorts.tests.test_staff_import import HEADER, _csv, _row

    CohortFactory(programme=nzassa, number=1)
    row = {**_row(programme="nzassa", region="Lagunes", pays_residence="CI"), "diaspora": "oui"}
    dataset = read_spreadsheet(content=_csv([row], header=[*HEADER, "diaspora"]).encode(), filename="ancien.csv")

    report = applications_import_check(dataset=dataset)

    assert report.is_valid, report.rows[0].errors
    assert "diaspora" not in dataset.headers and report.rows[0].values["pays_residence"] == "CI"


def test_in_english_regions_and_countries_are_named_in_english(client, nzassa):
    cohort = CohortFactory(programme=nzassa)
    client.force_login(UserFactory(roles=[Role.ENTREPRENEUR], email="awa@example.ci", preferred_language="en"))
    client.post(reverse("cohorts:application_start", kwargs={"cohort_pk": cohort.pk}))
    application = Application.objects.get(cohort=cohort)

    first = client.get(reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 1})).content.decode()
    second = client.get(reverse("cohorts:application_step", kwargs={"pk": application.pk, "step": 2})).content.decode()

    assert "diaspora (living outside Côte d&#x27;Ivoire)" in first.replace("'", "&#x27;")
    assert "Abidjan Autonomous District" in _options(second, "region")
    assert "Region (Côte d&#x27;Ivoire)" in second


def test_a_programme_watches_a_group_of_its_own_country_only(abidjan_yamoussoukro):
    from django.core.exceptions import ValidationError

    programme = ProgrammeFactory.build(code="x", origin_country="SN", watched_region_group=abidjan_yamoussoukro)
    with pytest.raises(ValidationError, match="pays d'origine"):
        programme.full_clean()
    programme.origin_country = "CI"
    programme.full_clean()
