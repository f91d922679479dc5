"""Demo data of the `cohorts` app: the PEM-WECCO programme (and a small PEM N'Zassa), its two cohorts with
their eligibility criteria and rubrics, a few hundred applications across the whole funnel with their
dated transitions, reviews, conflicts and decisions, coaching, group events, the steering committee,
incubator sub-projects and the budget. Called by `load_demo`; writes only `cohorts` models.

`plan_applicants` decides, before anything is written, who applies and how far each applicant goes,
so that the figures of the evaluation (47 trips, 21 eligible diaspora, 5 of them in partnerships...)
come out of row-level records."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.storage import private_storage
from partners.demo import DEMO_DOMAIN, RECORDED_AT, aware, person_name, slugify_ascii
from partners.models import (
    TURNOVER_BAND_FLOOR_MXOF,
    AgeBand,
    Education,
    Entrepreneur,
    Gender,
    LegalForm,
    Region,
    RegionGroup,
    Sector,
)

from . import eligibility
from .models import (
    XOF_PER_EUR,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    BudgetCategory,
    BudgetLine,
    Cohort,
    CommitteeAttendance,
    CommitteeMeeting,
    CommitteeMembership,
    CommitteeRole,
    ConflictOfInterest,
    Currency,
    DecisionOutcome,
    DocumentKind,
    EligibilityCriterion,
    Expense,
    IncubatorSubProject,
    PartnershipType,
    Programme,
    ProgrammeMembership,
    ProgrammePartner,
    ProgrammePartnerRole,
    Review,
    ReviewScore,
    RubricCriterion,
    SelectionDecision,
    SubProjectStatus,
    to_eur,
)

DEMO_PROGRAMME_CODES = ("pem-wecco", "pem-nzassa", "pem-sine-saloum")
HISTORY_REASON = "Données de démonstration"

# --------------------------------------------------------------------------------------------------
# The plan: how many applicants end where
# --------------------------------------------------------------------------------------------------

#: Final outcome -> count, per cohort of PEM-WECCO. Selected applicants carry a "fate" read by
#: `mobility.demo`: mission / window (travelled), visa_refused, cancelled, diaspora_partner.
COHORT_OUTCOMES = {
    1: [
        ("draft", None, 10),
        ("withdrawn_draft", None, 2),
        ("ineligible", None, 88),
        ("withdrawn_eligible", None, 2),
        ("rejected_review", None, 28),
        ("rejected_shortlist", None, 8),
        ("waitlisted", None, 14),
        ("selected", "mission", 12),
        ("selected", "window", 10),
        ("selected", "visa_refused", 3),
        ("selected", "diaspora_partner", 3),
    ],
    2: [
        ("draft", None, 8),
        ("withdrawn_draft", None, 1),
        ("submitted", None, 3),
        ("ineligible", None, 50),
        ("eligible", None, 2),
        ("under_review", None, 3),
        ("rejected_review", None, 35),
        ("rejected_shortlist", None, 10),
        ("waitlisted", None, 18),
        ("selected", "window", 23),
        ("selected_from_waitlist", "window", 2),
        ("selected", "visa_refused", 2),
        ("selected", "cancelled", 1),
        ("selected", "diaspora_partner", 2),
    ],
}
#: How many of each outcome are diaspora entrepreneurs (AFFORD mobilised them in year 1).
DIASPORA_OUTCOMES = {
    1: {
        ("selected", "diaspora_partner"): 3,
        ("rejected_review", None): 7,
        ("rejected_shortlist", None): 2,
        ("waitlisted", None): 4,
        ("ineligible", None): 5,
        ("draft", None): 1,
    },
    2: {("selected", "diaspora_partner"): 2, ("rejected_review", None): 2, ("waitlisted", None): 1, ("ineligible", None): 2},
}
NZASSA_OUTCOMES = [
    ("draft", None, 3),
    ("submitted", None, 4),
    ("ineligible", None, 2),
    ("eligible", None, 3),
    ("under_review", None, 3),
]

#: The paths through the state machine that lead to each outcome.
PATHS = {
    "draft": [],
    "withdrawn_draft": ["withdrawn"],
    "submitted": ["submitted"],
    "ineligible": ["submitted", "ineligible"],
    "eligible": ["submitted", "eligible"],
    "withdrawn_eligible": ["submitted", "eligible", "withdrawn"],
    "under_review": ["submitted", "eligible", "under_review"],
    "rejected_review": ["submitted", "eligible", "under_review", "rejected"],
    "rejected_shortlist": ["submitted", "eligible", "under_review", "shortlisted", "rejected"],
    "waitlisted": ["submitted", "eligible", "under_review", "shortlisted", "waitlisted"],
    "selected": ["submitted", "eligible", "under_review", "shortlisted", "selected"],
    "selected_from_waitlist": ["submitted", "eligible", "under_review", "shortlisted", "waitlisted", "selected"],
}
SCREENED = {
    "ineligible",
    "eligible",
    "withdrawn_eligible",
    "under_review",
    "rejected_review",
    "rejected_shortlist",
    "waitlisted",
    "selected",
    "selected_from_waitlist",
}
#: Outcomes of eligible applicants not selected: those asked whether they accept the follow-up questionnaire.
FOLLOW_UP_ASKED = {"eligible", "under_review", "rejected_review", "rejected_shortlist", "waitlisted"}
REVIEWED = {"rejected_review", "rejected_shortlist", "waitlisted", "selected", "selected_from_waitlist"}

#: Calendar of each cohort (call, screening, review, shortlist, decision). The selection of cohort 1
#: was late, as the evaluation notes; cohort 2 travelled towards the end of the project.
CALENDAR = {
    ("pem-wecco", 1): {
        "opens": datetime.date(2022, 2, 1),
        "closes": datetime.date(2022, 4, 15),
        "screen": datetime.date(2022, 5, 2),
        "review": datetime.date(2022, 7, 4),
        "shortlist": datetime.date(2022, 10, 20),
        "decide": datetime.date(2022, 12, 12),
        "from_waitlist": datetime.date(2023, 1, 9),
        "travel": (datetime.date(2023, 5, 8), datetime.date(2023, 7, 14)),
    },
    ("pem-wecco", 2): {
        "opens": datetime.date(2023, 9, 15),
        "closes": datetime.date(2023, 11, 15),
        "screen": datetime.date(2023, 11, 20),
        "review": datetime.date(2023, 12, 11),
        "shortlist": datetime.date(2024, 1, 22),
        "decide": datetime.date(2024, 2, 5),
        "from_waitlist": datetime.date(2024, 2, 26),
        "travel": (datetime.date(2024, 4, 8), datetime.date(2024, 6, 14)),
    },
    ("pem-nzassa", 1): {
        "opens": datetime.date(2024, 5, 6),
        "closes": datetime.date(2024, 7, 5),
        "screen": datetime.date(2024, 7, 15),
        "review": datetime.date(2024, 8, 19),
        "shortlist": None,
        "decide": None,
        "from_waitlist": None,
        "travel": (None, None),
    },
}

SECTOR_WEIGHTS = {
    Sector.AGRIFOOD: 26,
    Sector.WATER_SANITATION: 6,
    Sector.CREATIVE: 9,
    Sector.DIGITAL: 12,
    Sector.ENERGY: 6,
    Sector.HEALTH: 4,
    Sector.TEXTILE: 7,
    Sector.COSMETICS: 6,
    Sector.CONSTRUCTION: 5,
    Sector.LOGISTICS: 4,
    Sector.TOURISM: 4,
    Sector.EDUCATION: 4,
    Sector.SERVICES: 6,
    Sector.OTHER: 1,
}
REGION_WEIGHTS = {
    "dakar": 55,
    "thies": 16,
    "saint-louis": 5,
    "ziguinchor": 4,
    "kaolack": 4,
    "diourbel": 3,
    "louga": 3,
    "fatick": 2,
    "kolda": 2,
    "tambacounda": 2,
    "matam": 1,
    "kaffrine": 1,
    "sedhiou": 1,
    "kedougou": 1,
}
REGION_CITIES = {
    "dakar": ["Dakar", "Pikine", "Guédiawaye", "Rufisque"],
    "thies": ["Thiès", "Mbour", "Tivaouane"],
    "saint-louis": ["Saint-Louis", "Richard-Toll"],
    "ziguinchor": ["Ziguinchor", "Bignona"],
    "kaolack": ["Kaolack"],
    "diourbel": ["Touba", "Diourbel"],
    "louga": ["Louga"],
    "fatick": ["Fatick", "Foundiougne"],
    "kolda": ["Kolda"],
    "tambacounda": ["Tambacounda"],
    "matam": ["Matam"],
    "kaffrine": ["Kaffrine"],
    "sedhiou": ["Sédhiou"],
    "kedougou": ["Kédougou"],
}
#: Where PEM N'Zassa's companies are: (city, district of Côte d'Ivoire, as seeded by partners' migration).
NZASSA_PLACES = [("Abidjan", "abidjan"), ("Bouaké", "vallee-du-bandama"), ("Yamoussoukro", "yamoussoukro")]
#: Which Senegalese incubator (index in partners.demo.FICTITIOUS_INCUBATORS) tends to host which sector.
SECTOR_INCUBATOR = {Sector.CREATIVE: 0, Sector.DIGITAL: 1, Sector.AGRIFOOD: 2, Sector.WATER_SANITATION: 3}
NAME_PREFIXES = [
    "Teranga",
    "Jàmm",
    "Sunu",
    "Yaakaar",
    "Kaay",
    "Liggeey",
    "Niayes",
    "Lompoul",
    "Saloum",
    "Ferlo",
    "Diambar",
    "Wakeur",
    "Ndimbal",
    "Dundu",
    "Bokk",
    "Nafoore",
    "Xeweul",
    "Ndaw",
    "Kuer",
    "Sopi",
]
SECTOR_ACTIVITIES = {
    Sector.AGRIFOOD: ["Agro Transformation", "Fruits Séchés", "Céréales Locales", "Jus du Terroir", "Miel & Co", "Halieutique"],
    Sector.WATER_SANITATION: ["Eau Services", "Assainissement Plus", "Hydro Solutions", "Forages Verts"],
    Sector.CREATIVE: ["Studio Création", "Productions", "Design Atelier", "Musique & Scène", "Mode Éditions"],
    Sector.DIGITAL: ["Digital Lab", "Tech Solutions", "Apps", "Data Conseil"],
    Sector.ENERGY: ["Solaire", "Énergie Verte", "Biogaz"],
    Sector.HEALTH: ["Santé Services", "Pharma Distribution", "Bio Santé"],
    Sector.TEXTILE: ["Textiles", "Wax Création", "Couture Export"],
    Sector.COSMETICS: ["Cosmétiques Naturels", "Karité & Beauté", "Savonnerie"],
    Sector.CONSTRUCTION: ["Bâtiment", "Éco-Construction", "Matériaux"],
    Sector.LOGISTICS: ["Logistique", "Transit & Fret"],
    Sector.TOURISM: ["Écotourisme", "Voyages"],
    Sector.EDUCATION: ["Formation Pro", "Académie"],
    Sector.SERVICES: ["Conseil", "Services aux Entreprises", "Recyclage"],
    Sector.OTHER: ["Négoce"],
}

MOTIVATIONS = [
    "Trouver un distributeur en Belgique pour nos produits transformés.",
    "Nouer un partenariat technique pour moderniser notre ligne de production.",
    "Accéder au marché européen et apprendre ses normes.",
    "Co-développer un service avec une entreprise belge du même secteur.",
    "Former nos équipes auprès d'un partenaire expérimenté.",
    "Identifier un investisseur pour notre extension régionale.",
]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_applicants(rng: random.Random) -> list[dict]:
    """The applicants of the demo, in order: pure data, nothing written. Each spec holds the
    entrepreneur's and company's fields, the planned outcome and, for the selected, their fate."""
    specs: list[dict] = []
    used_names: set[str] = set()
    for (code, number), outcomes in [
        (("pem-wecco", 1), COHORT_OUTCOMES[1]),
        (("pem-wecco", 2), COHORT_OUTCOMES[2]),
        (("pem-nzassa", 1), NZASSA_OUTCOMES),
    ]:
        diaspora = DIASPORA_OUTCOMES.get(number, {}) if code == "pem-wecco" else {}
        for outcome, fate, count in outcomes:
            for n in range(count):
                is_diaspora = n < diaspora.get((outcome, fate), 0)
                specs.append(_spec(rng, code, number, outcome, fate, is_diaspora, len(specs) + 1, used_names))
    _assign_travel_sectors(rng, specs)
    # The demo entrepreneur account: a woman of cohort 1 who travelled with the economic mission.
    demo = next(s for s in specs if s["fate"] == "mission")
    demo["demo_account"] = True
    demo["entrepreneur"]["gender"] = Gender.WOMAN
    demo["source"] = "online"
    demo["entrepreneur"].update(first_name="Aminata", last_name="Démo-Sarr", email=f"entrepreneur@{DEMO_DOMAIN}")
    return specs


def _spec(rng, code, number, outcome, fate, is_diaspora, index, used_names) -> dict:
    key = f"{code}-{number}-{index:03d}"
    calendar = CALENDAR[(code, number)]
    call_year = calendar["closes"].year
    is_selected = outcome.startswith("selected")
    gender = Gender.WOMAN if rng.random() < (0.32 if is_selected else 0.38) else Gender.MAN
    if rng.random() < 0.01:
        gender = Gender.OTHER
    first, last = person_name(rng, gender if gender != Gender.OTHER else rng.choice([Gender.WOMAN, Gender.MAN]))
    reached_review = outcome in REVIEWED or outcome == "under_review"
    education = rng.choices(
        [Education.SECONDARY, Education.VOCATIONAL, Education.BACHELOR, Education.MASTER, Education.DOCTORATE],
        weights=[2, 3, 30, 55, 10] if reached_review else [12, 15, 30, 38, 5],
    )[0]
    age_band = rng.choices(list(AgeBand.values), weights=[5, 33, 37, 18, 7])[0]
    if code == "pem-nzassa":
        # Ivorian companies in their districts (one draw, as before, so the other programmes' figures hold).
        city, region = rng.choice(NZASSA_PLACES)
        country = "CI"
    elif is_diaspora:
        region, city, country = "", rng.choice(["Bruxelles", "Liège", "Anvers", "Charleroi"]), "BE"
    else:
        region = _weighted(rng, REGION_WEIGHTS)
        city, country = rng.choice(REGION_CITIES[region]), "SN"
    if code == "pem-nzassa":
        # Every fourth Ivorian founder lives abroad (diaspora of Côte d'Ivoire), chosen without the random
        # generator so that PEM-WECCO's draws, hence its figures, are unchanged.
        residence = ("FR", "BE")[index // 4 % 2] if index % 4 == 0 else country
    else:
        residence = country if not is_diaspora else rng.choice(["BE", "BE", "BE", "FR"])
    sector = _weighted(rng, SECTOR_WEIGHTS)
    company = _company_fields(rng, code, number, outcome, call_year, index)
    company.update(sector=sector, region=region, city=city, country=country)
    if is_diaspora and company["is_formal"]:
        company.update(legal_form=LegalForm.FOREIGN, ninea="", rccm="")
    if code == "pem-nzassa":
        company["incubator_index"] = "nzassa" if rng.random() < 0.5 else None
        company.update(ninea="", rccm=f"CI-ABJ-{call_year}-B-DEMO{index:04d}" if company["is_formal"] else "")
    elif not is_diaspora and rng.random() < 0.45:
        company["incubator_index"] = SECTOR_INCUBATOR.get(sector, rng.choice([0, 1, 2, 3, 4]))
    name = _company_name(rng, sector, used_names)
    company["name"] = name
    company["description"] = f"{Sector(sector).label} – entreprise inventée pour la démonstration."
    return {
        "key": key,
        "programme": code,
        "cohort": number,
        "outcome": outcome,
        "fate": fate,
        "demo_account": False,
        "source": "online" if rng.random() < 0.85 else "import",
        "entrepreneur": {
            "first_name": first,
            "last_name": last,
            "gender": gender,
            "age_band": age_band,
            "education": education,
            "country_of_residence": residence,
            "email": f"{slugify_ascii(first)}.{slugify_ascii(last)}.{index:03d}@{DEMO_DOMAIN}",
            "phone": {"SN": f"+221 77 000 {index:04d}", "CI": f"+225 07 00 {index:04d}"}.get(
                residence, f"+32 470 00 {index:04d}"
            ),
        },
        "company": company,
    }


def _company_fields(rng, code, number, outcome, call_year, index) -> dict:
    """Company answers that pass the cohort's criteria, then broken on purpose for the ineligible."""
    strict = code == "pem-wecco" and number == 1
    fields = {
        "is_formal": True,
        "legal_form": rng.choice([LegalForm.SARL, LegalForm.SARL, LegalForm.SA, LegalForm.SOLE, LegalForm.GIE]),
        "year_founded": call_year - rng.randint(2, 14),
        "turnover_band": rng.choice(
            ["50-100m", "50-100m", "100-500m", "100-500m", "500m+"] + ([] if strict else ["10-50m", "10-50m"])
        ),
        "employees": rng.randint(3 if strict else 2, 45),
        "has_export_experience": rng.random() < 0.35,
    }
    if not strict and rng.random() < 0.15:
        fields.update(is_formal=False, legal_form=LegalForm.INFORMAL)
    if outcome == "ineligible":
        candidates = ["is_formal", "company_age", "turnover", "employees"] if strict else ["company_age", "turnover", "employees"]
        weights = [20, 20, 50, 10] if strict else [35, 45, 20]
        failing = {rng.choices(candidates, weights=weights)[0]}
        if rng.random() < 0.3:
            failing.add(rng.choices(candidates, weights=weights)[0])
        if "is_formal" in failing:
            fields.update(is_formal=False, legal_form=LegalForm.INFORMAL)
        if "company_age" in failing:
            fields["year_founded"] = call_year - rng.choice([0, 1])
        if "turnover" in failing:
            fields["turnover_band"] = rng.choice(["lt10m", "10-50m"]) if strict else "lt10m"
        if "employees" in failing:
            fields["employees"] = rng.choice([0, 1]) if not strict else rng.choice([1, 2])
    elif outcome in ("draft", "withdrawn_draft", "submitted"):
        fields.update(
            year_founded=call_year - rng.randint(0, 10),
            turnover_band=rng.choice(list(TURNOVER_BAND_FLOOR_MXOF)),
            employees=rng.randint(0, 20),
        )
    if fields["legal_form"] == LegalForm.INFORMAL:
        fields.update(ninea="", rccm="")
    else:
        fields.update(ninea=f"DEMO{index:05d}", rccm=f"SN-DKR-{fields['year_founded']}-B-DEMO{index:04d}")
    return fields


def _company_name(rng, sector, used: set[str]) -> str:
    for _ in range(50):
        form = rng.choice(["SARL", "SUARL", "SAS", "SA", "GIE"])
        name = f"{rng.choice(NAME_PREFIXES)} {rng.choice(SECTOR_ACTIVITIES[sector])} {form} (fictif)"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(NAME_PREFIXES)} {len(used)} (fictif)"
    used.add(name)
    return name


def _assign_travel_sectors(rng, specs) -> None:
    """The sub-projects need travelled companies in agri-food / water (10) and creative industries (4)."""
    travellers = [s for s in specs if s["fate"] in ("mission", "window")]
    forced = [Sector.AGRIFOOD] * 8 + [Sector.WATER_SANITATION] * 4 + [Sector.CREATIVE] * 4
    for spec, sector in zip(travellers, forced):
        spec["company"]["sector"] = sector
        spec["company"]["incubator_index"] = SECTOR_INCUBATOR[sector] if sector != Sector.AGRIFOOD else rng.choice([2, 4])
        spec["company"]["name"] = (
            spec["company"]["name"].split(" ")[0] + " " + rng.choice(SECTOR_ACTIVITIES[sector]) + f" {spec['key'][-3:]} (fictif)"
        )
        spec["company"]["description"] = f"{Sector(sector).label} – entreprise inventée pour la démonstration."


# --------------------------------------------------------------------------------------------------
# Eligibility: the screening's own engine, so the demo's outcomes are the ones the platform computes
# --------------------------------------------------------------------------------------------------


def profile_of(entrepreneur: Entrepreneur, on: datetime.date, environmental_commitment: str, origin_country) -> dict:
    return eligibility.profile_of(
        entrepreneur=entrepreneur,
        company=entrepreneur.company,
        on=on,
        origin_country=origin_country,
        environmental_commitment=environmental_commitment,
    )


criterion_passes = eligibility.criterion_passes


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------

CRITERIA = {
    1: [
        ("is_formal", "true", "", "Entreprise formelle (NINEA et RCCM)", "Formal company (NINEA and RCCM)"),
        ("company_age", "gte", "2", "Entreprise créée depuis au moins 2 ans", "Company at least 2 years old"),
        ("turnover_floor_mxof", "gte", "50", "Chiffre d'affaires d'au moins 50 M FCFA", "Turnover of at least 50 M FCFA"),
        ("employees", "gte", "3", "Au moins 3 employé·es", "At least 3 employees"),
    ],
    # Relaxed for cohort 2: too few candidates met the thresholds of cohort 1.
    2: [
        ("company_age", "gte", "2", "Entreprise créée depuis au moins 2 ans", "Company at least 2 years old"),
        ("turnover_floor_mxof", "gte", "10", "Chiffre d'affaires d'au moins 10 M FCFA", "Turnover of at least 10 M FCFA"),
        ("employees", "gte", "2", "Au moins 2 employé·es", "At least 2 employees"),
    ],
}
RUBRIC = [
    ("maturity", "Maturité du modèle d'affaires", "Maturity of the business model"),
    ("technical", "Compétences techniques", "Technical skills"),
    ("network", "Réseau commercial", "Commercial network"),
    ("financial", "Assise financière", "Financial base"),
    ("international", "Potentiel d'internationalisation", "Internationalisation potential"),
    ("partnership", "Maturité du projet de partenariat", "Partnership project readiness"),
    ("gender_env", "Genre et environnement", "Gender and environment"),
]
RUBRIC_WEIGHTS = {1: [2, 1.5, 1.5, 1, 1.5, 1.5, 0.5], 2: [2, 1.5, 1.5, 1.5, 1.5, 1, 1]}


@dataclass
class DemoCohorts:
    programme: Programme
    nzassa: Programme
    cohorts: dict[tuple[str, int], Cohort]
    applications: list[Application]
    specs: list[dict]
    staff: object
    sub_projects: list = field(default_factory=list)


def _abidjan_yamoussoukro() -> RegionGroup:
    """PEM N'Zassa watches its two autonomous districts, the country's economic and political capitals."""
    group, created = RegionGroup.objects.get_or_create(
        country="CI", name_fr="Abidjan–Yamoussoukro", defaults={"name": "Abidjan–Yamoussoukro", "name_en": "Abidjan–Yamoussoukro"}
    )
    if created:
        group.regions.set(Region.objects.filter(country="CI", code__in=["abidjan", "yamoussoukro"]))
    return group


def load(rng: random.Random, *, orgs: dict, people, specs: list[dict], entrepreneurs: list[Entrepreneur]) -> DemoCohorts:
    staff = people.users[f"equipe@{DEMO_DOMAIN}"]
    wecco = Programme.objects.create(
        code="pem-wecco",
        name="PEM-WECCO",
        reference="SEN 20001",
        origin_country="SN",
        destination_country="BE",
        # The evaluation found the SMEs concentrated on the Dakar–Thiès axis: the programme watches it.
        watched_region_group=RegionGroup.objects.get(country="SN", name_fr="Axe Dakar–Thiès"),
        starts_on=datetime.date(2021, 10, 1),
        ends_on=datetime.date(2024, 9, 30),
        donor=orgs["eu_intpa"],
        implementer=orgs["enabel"],
        is_fictitious=True,
        description_fr="Projet pilote de mobilité d'affaires circulaire entre le Sénégal et la Belgique "
        "(données de démonstration : personnes et entreprises fictives).",
        description_en="Pilot project of circular business mobility between Senegal and Belgium "
        "(demonstration data: fictitious people and companies).",
    )
    nzassa = Programme.objects.create(
        code="pem-nzassa",
        name="PEM N'Zassa",
        origin_country="CI",
        destination_country="BE",
        watched_region_group=_abidjan_yamoussoukro(),
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        donor=orgs["eu_intpa"],
        implementer=orgs["enabel_ci"],
        is_fictitious=True,
        description_fr="Programme de mobilité d'affaires Côte d'Ivoire – Belgique (démonstration).",
        description_en="Business mobility programme Côte d'Ivoire – Belgium (demonstration).",
    )
    cohorts = {}
    for (code, number), cal in CALENDAR.items():
        programme = wecco if code == "pem-wecco" else nzassa
        cohorts[(code, number)] = Cohort.objects.create(
            programme=programme,
            number=number,
            name_fr=f"Cohorte {number}",
            name_en=f"Cohort {number}",
            call_text_fr="Appel à candidatures pour des PME souhaitant nouer des partenariats avec des entreprises belges.",
            call_text_en="Call for applications for SMEs wishing to build partnerships with Belgian companies.",
            call_opens_at=aware(cal["opens"], 9),
            call_closes_at=aware(cal["closes"], 23, 59),
            travel_starts_on=cal["travel"][0],
            travel_ends_on=cal["travel"][1],
            places=30 if code == "pem-wecco" else 15,
        )
    criteria = _criteria_create(cohorts)
    rubrics = _rubrics_create(cohorts)
    applications = _applications_create(rng, specs, entrepreneurs, cohorts, criteria, staff)
    _reviews_create(rng, specs, applications, rubrics, people.reviewers, staff)
    _documents_create(applications)
    demo = DemoCohorts(programme=wecco, nzassa=nzassa, cohorts=cohorts, applications=applications, specs=specs, staff=staff)
    _partners_and_members(wecco, nzassa, orgs, people)
    return demo


def governance_load(rng: random.Random, *, demo: DemoCohorts, orgs: dict) -> None:
    """The steering committee, the incubators' sub-projects, the budget and an open call. Run after
    `coaching.demo.load`, with the same random generator, so that the demo stays the same row for row."""
    _committee_create(rng, demo.programme, orgs)
    demo.sub_projects = _sub_projects_create(demo.programme, demo.nzassa, orgs, demo.specs, demo.applications)
    _budget_create(rng, demo.programme, demo.cohorts)
    _open_call_create(orgs)


def _open_call_create(orgs) -> Cohort:
    """A call open now, so that the public side of the demo can be tried: apply, screen, review.

    Fixed dates (deterministic demo): open from 1 October 2026 to 31 March 2027."""
    programme = Programme.objects.create(
        # No watched region group yet: its pages show no territorial split until the team chooses one.
        code="pem-sine-saloum",
        name="PEM Sine-Saloum",
        origin_country="SN",
        destination_country="BE",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2029, 8, 31),
        donor=orgs["eu_intpa"],
        implementer=orgs["enabel"],
        is_fictitious=True,
        description_fr="Mobilité d'affaires circulaire pour les PME de la région du Sine-Saloum (démonstration).",
        description_en="Circular business mobility for SMEs of the Sine-Saloum region (demonstration).",
    )
    cohort = Cohort.objects.create(
        programme=programme,
        number=1,
        name_fr="Cohorte 1",
        name_en="Cohort 1",
        call_text_fr="Appel ouvert aux PME du Sine-Saloum (Fatick, Kaolack, Kaffrine) et de la diaspora qui souhaitent "
        "nouer un partenariat avec des entreprises belges, notamment dans l'agroalimentaire, la pêche et l'eau.",
        call_text_en="A call open to SMEs of Sine-Saloum (Fatick, Kaolack, Kaffrine) and of the diaspora who wish to "
        "build a partnership with Belgian companies, especially in agri-food, fisheries and water.",
        call_opens_at=aware(datetime.date(2026, 10, 1), 9),
        call_closes_at=aware(datetime.date(2027, 3, 31), 23, 59),
        travel_starts_on=datetime.date(2027, 9, 1),
        travel_ends_on=datetime.date(2027, 11, 30),
        places=20,
    )
    # Lessons of PEM-WECCO: no formal-status or high turnover thresholds; an environmental commitment asked.
    EligibilityCriterion.objects.bulk_create(
        [
            EligibilityCriterion(
                cohort=cohort,
                field="company_age",
                operator="gte",
                value="1",
                order=1,
                label_fr="Entreprise créée depuis au moins 1 an",
                label_en="Company at least 1 year old",
            ),
            EligibilityCriterion(
                cohort=cohort,
                field="has_environmental_commitment",
                operator="true",
                order=2,
                label_fr="Engagement environnemental décrit",
                label_en="Environmental commitment described",
            ),
        ]
    )
    RubricCriterion.objects.bulk_create(
        [
            RubricCriterion(
                cohort=cohort, code=code, label_fr=label, label_en=label_en, weight=Decimal(str(weight)), max_score=5, order=i
            )
            for i, ((code, label, label_en), weight) in enumerate(zip(RUBRIC, RUBRIC_WEIGHTS[2], strict=True), start=1)
        ]
    )
    return cohort


def _criteria_create(cohorts) -> dict:
    rows = {}
    for key, cohort in cohorts.items():
        spec = CRITERIA[key[1]] if key[0] == "pem-wecco" else CRITERIA[2]
        rows[key] = [
            EligibilityCriterion(cohort=cohort, field=f, operator=op, value=v, label_fr=label, label_en=label_en, order=i)
            for i, (f, op, v, label, label_en) in enumerate(spec, start=1)
        ]
        EligibilityCriterion.objects.bulk_create(rows[key])
    return rows


def _rubrics_create(cohorts) -> dict:
    rows = {}
    for key, cohort in cohorts.items():
        weights = RUBRIC_WEIGHTS[key[1]] if key[0] == "pem-wecco" else RUBRIC_WEIGHTS[2]
        rows[key] = [
            RubricCriterion(
                cohort=cohort, code=code, label_fr=label, label_en=label_en, weight=Decimal(str(w)), max_score=5, order=i
            )
            for i, ((code, label, label_en), w) in enumerate(zip(RUBRIC, weights), start=1)
        ]
        RubricCriterion.objects.bulk_create(rows[key])
    return rows


def _step_dates(rng, cal, path) -> list[datetime.datetime]:
    """A dated moment for each step of `path`, in order."""
    submitted = cal["opens"] + datetime.timedelta(days=rng.randint(3, (cal["closes"] - cal["opens"]).days))
    when = {
        "submitted": aware(submitted, rng.randint(8, 22), rng.randint(0, 59)),
        "eligible": aware(
            cal["screen"] + datetime.timedelta(days=rng.randint(0, min(25, (cal["review"] - cal["screen"]).days - 1))),
            rng.randint(9, 17),
        ),
        "under_review": aware(cal["review"], 10),
    }
    when["ineligible"] = when["eligible"]
    if cal["shortlist"]:
        when["shortlisted"] = aware(cal["shortlist"], 11)
        when["selected"] = when["waitlisted"] = aware(cal["decide"], 15)
        when["rejected"] = aware(cal["decide"], 15) if "shortlisted" in path else aware(cal["shortlist"], 11)
    dates = []
    for _i, step in enumerate(path):
        if step == "withdrawn":
            previous = dates[-1] if dates else aware(cal["opens"] + datetime.timedelta(days=5), 10)
            dates.append(previous + datetime.timedelta(days=rng.randint(3, 20)))
        elif step == "selected" and "waitlisted" in path:
            dates.append(aware(cal["from_waitlist"], 12))
        else:
            dates.append(when[step])
    return dates


def _applications_create(rng, specs, entrepreneurs, cohorts, criteria, staff) -> list[Application]:
    applications, transition_plan = [], []
    for spec, entrepreneur in zip(specs, entrepreneurs):
        key = (spec["programme"], spec["cohort"])
        cal = CALENDAR[key]
        path = PATHS[spec["outcome"]]
        dates = _step_dates(rng, cal, path)
        env = rng.choice(
            [
                "",
                "Réduction des emballages plastiques.",
                "Valorisation des déchets organiques.",
                "Énergie solaire sur le site de production.",
            ]
        )
        types = rng.sample(list(PartnershipType.values[:5]), k=rng.choice([1, 2]))
        app = Application(
            cohort=cohorts[key],
            entrepreneur=entrepreneur,
            company=entrepreneur.company,
            status=path[-1] if path else "draft",
            source=spec["source"],
            current_step=5 if path and path[0] == "submitted" else rng.randint(1, 4),
            motivation=rng.choice(MOTIVATIONS),
            partnership_types=types,
            partnership_sought=f"Partenaire belge pour un projet de type « {PartnershipType(types[0]).label} ».",
            target_markets=rng.choice(["Belgique", "Belgique, Pays-Bas", "Belgique, France", "Union européenne"]),
            gender_commitment=rng.choice(["", "Équipe de direction paritaire.", "Recrutement prioritaire de femmes."]),
            environmental_commitment=env,
            status_changed_at=dates[-1] if dates else aware(cal["opens"] + datetime.timedelta(days=4), 11),
        )
        app.created_at = aware(cal["opens"] + datetime.timedelta(days=rng.randint(0, 2)), 9)
        if "submitted" in path:
            app.submitted_at = app.declaration_accepted_at = dates[path.index("submitted")]
            # Two in three eligible applicants not selected agreed to the follow-up questionnaire (the
            # comparison group); decided by the applicant's key, not by `rng`, so no other figure moves.
            app.follow_up_consent = spec["outcome"] in FOLLOW_UP_ASKED and sum(map(ord, spec["key"])) % 3 != 0
            app.profile_snapshot = profile_of(entrepreneur, cal["closes"], env, cohorts[key].programme.origin_country)
        if spec["outcome"] in SCREENED:
            step = "eligible" if "eligible" in path else "ineligible"
            failed = eligibility.failed_criteria(criteria[key], app.profile_snapshot)
            if bool(failed) != (step == "ineligible"):
                raise AssertionError(f"Demo plan inconsistent with the criteria for {spec['key']}: {failed}")
            app.is_eligible = step == "eligible"
            app.eligibility_checked_at = dates[path.index(step)]
            app.failed_criteria = failed
        applications.append(app)
        transition_plan.append((path, dates))
    created = [app.created_at for app in applications]
    Application.objects.bulk_create(applications, batch_size=500)
    # `auto_now(_add)` stamped the clock on insert: put the fixed demo dates back, then write the history.
    for app, created_at in zip(applications, created):
        app.created_at, app.updated_at = created_at, app.status_changed_at
    Application.objects.bulk_update(applications, ["created_at", "updated_at"], batch_size=500)
    Application.history.bulk_history_create(applications, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)
    entrepreneur_user = {e.pk: e.user_id for e in entrepreneurs}
    transitions = []
    for app, (path, dates) in zip(applications, transition_plan):
        previous = "draft"
        for step, at in zip(path, dates):
            # Entrepreneurs submit and withdraw themselves; staff screen, review, decide (and import offline files).
            by_id = (entrepreneur_user[app.entrepreneur_id] or staff.pk) if step in ("submitted", "withdrawn") else staff.pk
            note = ""
            if step == "ineligible":
                note = "Critères non remplis : " + ", ".join(c["label"] for c in app.failed_criteria)
            transitions.append(
                ApplicationTransition(application=app, from_status=previous, to_status=step, at=at, by_id=by_id, note=note[:500])
            )
            previous = step
    ApplicationTransition.objects.bulk_create(transitions, batch_size=1000)
    return applications


def _reviews_create(rng, specs, applications, rubrics, reviewers, staff) -> None:
    reviews, scores_plan, conflicts = [], [], []
    quality = {
        "selected": 4.1,
        "selected_from_waitlist": 3.7,
        "waitlisted": 3.5,
        "rejected_shortlist": 3.0,
        "rejected_review": 2.4,
    }
    candidates = [(s, a) for s, a in zip(specs, applications) if s["outcome"] in REVIEWED or s["outcome"] == "under_review"]
    conflicted = {a.pk for _, a in rng.sample(candidates, 6)}
    for spec, app in candidates:
        cal = CALENDAR[(spec["programme"], spec["cohort"])]
        pool = list(reviewers)
        if app.pk in conflicted:
            # The first declaration is the demo reviewer's (first of the pool), so the account shows one.
            declarer = pool.pop(0 if not conflicts else rng.randrange(len(pool)))
            conflicts.append(
                ConflictOfInterest(
                    application=app,
                    reviewer=declarer,
                    declared_at=aware(cal["review"] + datetime.timedelta(days=1), 14),
                    reason=rng.choice(
                        [
                            "Lien familial avec le / la fondateur·rice.",
                            "Relation commerciale récente avec l'entreprise.",
                            "A accompagné l'entreprise comme consultant·e.",
                        ]
                    ),
                )
            )
        chosen = rng.sample(pool, 3 if rng.random() < 0.25 else 2)
        for i, reviewer in enumerate(chosen):
            assigned = aware(cal["review"] + datetime.timedelta(days=2), 9)
            pending = spec["outcome"] == "under_review" and i > 0
            submitted = None if pending else assigned + datetime.timedelta(days=rng.randint(4, 40), hours=rng.randint(0, 8))
            review = Review(
                application=app,
                reviewer=reviewer,
                assigned_at=assigned,
                assigned_by=staff,
                submitted_at=submitted,
                comment=""
                if pending
                else rng.choice(
                    [
                        "Projet cohérent.",
                        "Modèle d'affaires à consolider.",
                        "Bon réseau commercial, projet de partenariat encore flou.",
                        "Entreprise solide, forte motivation.",
                    ]
                ),
            )
            reviews.append(review)
            mu = quality.get(spec["outcome"], 3.0)
            scores_plan.append((review, None if pending else mu, (spec["programme"], spec["cohort"])))
    Review.objects.bulk_create(reviews, batch_size=500)
    ConflictOfInterest.objects.bulk_create(conflicts)
    scores = []
    for review, mu, key in scores_plan:
        if mu is None:
            continue
        for criterion in rubrics[key]:
            scores.append(ReviewScore(review=review, criterion=criterion, score=max(1, min(5, round(rng.gauss(mu, 0.7))))))
    ReviewScore.objects.bulk_create(scores, batch_size=1000)

    decisions = []
    reasons = {
        DecisionOutcome.SELECTED: "Modèle d'affaires mûr, assise financière et projet de partenariat clair (score moyen élevé).",
        DecisionOutcome.WAITLISTED: "Dossier recevable mais classé après les places disponibles.",
        DecisionOutcome.REJECTED: "Score moyen insuffisant : maturité du modèle d'affaires et projet de partenariat à renforcer.",
    }
    for _spec, app in candidates:
        if app.status not in (DecisionOutcome.SELECTED, DecisionOutcome.WAITLISTED, DecisionOutcome.REJECTED):
            continue
        decided = app.status_changed_at
        decisions.append(
            SelectionDecision(
                application=app,
                outcome=app.status,
                reason=reasons[app.status],
                decided_at=decided,
                decided_by=staff,
                notified_at=decided + datetime.timedelta(days=2),
            )
        )
    bulk_create_with_history(decisions, SelectionDecision, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF showing `lines` (Helvetica, accents in WinAnsi), written with pypdf: a plain PDF that
    the upload checks accept and the browser's viewer shows."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    def escaped(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    text = ["BT", "/F1 20 Tf", "72 760 Td", f"({escaped(lines[0])}) Tj", "/F1 12 Tf", "0 -34 Td"]
    for line in lines[1:]:
        text += [f"({escaped(line)}) Tj", "0 -18 Td"]
    text.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(text).encode("cp1252", errors="replace"))
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _documents_create(applications: list[Application]) -> None:
    """A business plan for each application still under review, so that the jury and the programme team
    have a document to open in the demo. No randomness here: the rest of the demo stays as it was."""
    import hashlib

    from django.core.files.base import ContentFile

    for app in applications:
        if app.status != ApplicationStatus.UNDER_REVIEW:
            continue
        company = app.company
        content = demo_pdf(
            [
                f"Plan d'affaires – {company.name}",
                "Document de démonstration : entreprise et chiffres fictifs.",
                "",
                f"Secteur : {company.get_sector_display()}",
                f"Employé·es : {company.employees}",
                f"Partenariat recherché : {app.partnership_sought}",
                f"Marchés visés : {app.target_markets}",
                "",
                "1. L'entreprise et son marché",
                "2. Le projet de partenariat avec une entreprise belge",
                "3. Prévisions sur trois ans",
            ]
        )
        document = ApplicationDocument(
            application=app,
            kind=DocumentKind.BUSINESS_PLAN,
            original_name=f"plan-affaires-{slugify_ascii(company.name)}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=app.submitted_at or app.created_at,
            uploaded_by_id=app.entrepreneur.user_id,
        )
        document.file.save("plan", ContentFile(content), save=True)


def _partners_and_members(wecco, nzassa, orgs, people) -> None:
    start = datetime.date(2021, 10, 1)
    roles = [
        ("bondinnov", ProgrammePartnerRole.COACHING),
        ("afford", ProgrammePartnerRole.DIASPORA),
        ("awex", ProgrammePartnerRole.RELAY),
        ("fit", ProgrammePartnerRole.RELAY),
        ("hub", ProgrammePartnerRole.RELAY),
        ("visa_agency", ProgrammePartnerRole.VISA),
        ("eu_intpa", ProgrammePartnerRole.FUNDING),
        ("icmpd", ProgrammePartnerRole.FUNDING),
        ("dcef", ProgrammePartnerRole.INSTITUTIONAL),
        ("adepme", ProgrammePartnerRole.INSTITUTIONAL),
        ("apix", ProgrammePartnerRole.INSTITUTIONAL),
        ("dgase", ProgrammePartnerRole.INSTITUTIONAL),
        ("ovo", ProgrammePartnerRole.IMPLEMENTING),
        ("egmont", ProgrammePartnerRole.RESEARCH),
        ("cota", ProgrammePartnerRole.RESEARCH),
    ]
    rows = [ProgrammePartner(programme=wecco, organisation=orgs[k], role=r, since=start) for k, r in roles]
    rows += [
        ProgrammePartner(programme=wecco, organisation=o, role=ProgrammePartnerRole.INCUBATOR, since=start)
        for o in orgs["sn_incubators"]
    ]
    rows += [
        ProgrammePartner(
            programme=nzassa,
            organisation=orgs["nzassa_incubator"],
            role=ProgrammePartnerRole.INCUBATOR,
            since=datetime.date(2023, 1, 1),
        ),
        ProgrammePartner(
            programme=nzassa,
            organisation=orgs["enabel_ci"],
            role=ProgrammePartnerRole.IMPLEMENTING,
            since=datetime.date(2023, 1, 1),
        ),
    ]
    ProgrammePartner.objects.bulk_create(rows)
    members = [
        ProgrammeMembership(programme=wecco, user=people.users[f"comite@{DEMO_DOMAIN}"], role="committee"),
        ProgrammeMembership(programme=wecco, user=people.users[f"evaluateur@{DEMO_DOMAIN}"], role="evaluator"),
        ProgrammeMembership(programme=wecco, user=people.users[f"entrepreneur@{DEMO_DOMAIN}"], role="entrepreneur"),
    ]
    members += [ProgrammeMembership(programme=wecco, user=c.user, role="coach") for c in people.coaches]
    members += [ProgrammeMembership(programme=p, user=r, role="reviewer") for r in people.reviewers for p in (wecco, nzassa)]
    ProgrammeMembership.objects.bulk_create(members)


COMMITTEE = [
    "dcef",
    "enabel",
    "eu_intpa",
    "icmpd",
    "adepme",
    "apix",
    "dgase",
    "awex",
    "fit",
    "hub",
    "fedasil",
    "ode",
    "embassy",
    "dgd",
    "afford",
    "bondinnov",
    "ovo",
    "asepex",
    "cciad",
    "fongip",
    "der",
    "egmont",
]
COMMITTEE_MEETINGS = [
    (datetime.date(2021, 12, 14), "Lancement du programme ; méthodologie de sélection."),
    (datetime.date(2022, 6, 21), "Bilan de l'appel de la cohorte 1 ; retards de sélection."),
    (datetime.date(2022, 12, 6), "Sélection de la cohorte 1 ; préparation de la mission économique."),
    (datetime.date(2023, 6, 27), "Bilan de la mission économique de mai 2023 ; critères de la cohorte 2."),
    (datetime.date(2023, 12, 12), "Prolongation du contrat (octobre 2023) ; sélection de la cohorte 2."),
    (datetime.date(2024, 6, 25), "Mobilités de la cohorte 2 ; évaluation finale et capitalisation."),
]


def _committee_create(rng, wecco, orgs) -> None:
    members = []
    for key in COMMITTEE:
        role = (
            CommitteeRole.CHAIR
            if key == "dcef"
            else CommitteeRole.OBSERVER
            if key in ("egmont", "icmpd")
            else CommitteeRole.MEMBER
        )
        first, last = person_name(rng, rng.choice(["woman", "man"]))
        members.append(
            CommitteeMembership(
                programme=wecco,
                organisation=orgs[key],
                role=role,
                representative=f"{first} {last} (fictif)",
                joined_on=datetime.date(2021, 12, 14),
            )
        )
    CommitteeMembership.objects.bulk_create(members)
    meetings = [
        CommitteeMeeting(
            programme=wecco,
            held_on=day,
            location="Dakar" if i % 2 == 0 else "Dakar et en ligne",
            agenda=agenda,
            minutes=f"Compte rendu (démonstration) : {agenda}",
        )
        for i, (day, agenda) in enumerate(COMMITTEE_MEETINGS)
    ]
    CommitteeMeeting.objects.bulk_create(meetings)
    CommitteeAttendance.objects.bulk_create(
        [
            CommitteeAttendance(meeting=m, membership=ms, present=ms.role == CommitteeRole.CHAIR or rng.random() < 0.78)
            for m in meetings
            for ms in members
        ]
    )


def _sub_projects_create(wecco, nzassa, orgs, specs, applications) -> list[IncubatorSubProject]:
    sn, be = orgs["sn_incubators"], orgs["be_incubators"]
    travelled = [(s, a) for s, a in zip(specs, applications) if s["fate"] in ("mission", "window")]
    creative = [a.company for s, a in travelled if a.company.sector == Sector.CREATIVE][:4]
    agri_water = [a.company for s, a in travelled if a.company.sector in (Sector.AGRIFOOD, Sector.WATER_SANITATION)][:10]
    creative_project = IncubatorSubProject.objects.create(
        programme=wecco,
        title="Industries culturelles et créatives : une offre d'internationalisation",
        sector=Sector.CREATIVE,
        lead=sn[0],
        starts_on=datetime.date(2023, 2, 1),
        ends_on=datetime.date(2024, 6, 30),
        status=SubProjectStatus.COMPLETED,
        budget_eur=Decimal("48000.00"),
        description="Collaboration entre incubateurs sénégalais et belges pour accompagner des entreprises de l'industrie "
        "culturelle et créative vers les marchés belges.",
    )
    creative_project.partner_organisations.set([be[0], sn[1]])
    creative_project.supported_companies.set(creative)
    agri_project = IncubatorSubProject.objects.create(
        programme=wecco,
        title="Agroalimentaire, eau et assainissement : normes et accès au marché belge",
        sector=Sector.AGRIFOOD,
        lead=sn[2],
        starts_on=datetime.date(2023, 3, 1),
        ends_on=datetime.date(2024, 7, 31),
        status=SubProjectStatus.COMPLETED,
        budget_eur=Decimal("62000.00"),
        description="Sous-projet des incubateurs de l'agroalimentaire et de l'eau : mise aux normes, mise en relation avec des "
        "entreprises belges ; dix entreprises accompagnées ont aussi effectué la mobilité.",
    )
    agri_project.partner_organisations.set([be[1], sn[3], sn[4]])
    agri_project.supported_companies.set(agri_water)
    planned = IncubatorSubProject.objects.create(
        programme=nzassa,
        title="Échanges entre incubateurs ivoiriens et belges",
        sector=Sector.AGRIFOOD,
        lead=orgs["nzassa_incubator"],
        starts_on=datetime.date(2024, 10, 1),
        status=SubProjectStatus.PLANNED,
        budget_eur=Decimal("30000.00"),
    )
    return [creative_project, agri_project, planned]


#: Planned budget per year and category, in EUR (most of the spending falls in 2023).
BUDGET = {
    2021: {"hr": 60000, "support": 5000, "equipment": 25000, "operations": 15000},
    2022: {
        "hr": 240000,
        "support": 90000,
        "mobility": 20000,
        "incubators": 40000,
        "equipment": 10000,
        "operations": 55000,
        "monitoring": 15000,
    },
    2023: {"hr": 260000, "support": 180000, "mobility": 260000, "incubators": 110000, "operations": 65000, "monitoring": 25000},
    2024: {"hr": 190000, "support": 110000, "mobility": 170000, "incubators": 30000, "operations": 50000, "monitoring": 60000},
}
#: Categories budgeted and spent in Dakar, in FCFA.
XOF_CATEGORIES = {"operations", "support"}


def _budget_create(rng, wecco, cohorts) -> None:
    lines = []
    for year, categories in BUDGET.items():
        for category, eur in categories.items():
            currency = Currency.XOF if category in XOF_CATEGORIES else Currency.EUR
            amount = (Decimal(eur) * XOF_PER_EUR).quantize(Decimal("1")) if currency == Currency.XOF else Decimal(eur)
            lines.append(
                BudgetLine(
                    programme=wecco,
                    year=year,
                    category=category,
                    currency=currency,
                    amount=amount,
                    label=f"{BudgetCategory(category).label} {year}",
                )
            )
    BudgetLine.objects.bulk_create(lines)
    expenses = []
    for line in lines:
        planned_eur = to_eur(line.amount, line.currency)
        share = Decimal(str(rng.uniform(0.82, 1.0) if line.year < 2024 else rng.uniform(0.7, 0.9)))
        parts = rng.randint(3, 7)
        weights = [rng.random() + 0.3 for _ in range(parts)]
        first_month = 10 if line.year == 2021 else 1
        last_month = 9 if line.year == 2024 else 12
        for w in weights:
            eur = (planned_eur * share * Decimal(str(w / sum(weights)))).quantize(Decimal("0.01"))
            currency = line.currency if rng.random() < 0.8 else (Currency.EUR if line.currency == Currency.XOF else Currency.XOF)
            amount = (eur * XOF_PER_EUR).quantize(Decimal("1")) if currency == Currency.XOF else eur
            day = datetime.date(line.year, rng.randint(first_month, last_month), rng.randint(1, 28))
            cohort = None
            if line.category in ("mobility", "support") and line.year >= 2023:
                cohort = cohorts[("pem-wecco", 1 if line.year == 2023 else 2)]
            expenses.append(
                Expense(
                    budget_line=line,
                    spent_on=day,
                    amount=amount,
                    currency=currency,
                    description=f"{line.label} – pièce {len(expenses) + 1:04d}",
                    cohort=cohort,
                )
            )
    Expense.objects.bulk_create(expenses, batch_size=1000)


# --------------------------------------------------------------------------------------------------
# Reset
# --------------------------------------------------------------------------------------------------


def delete_demo(programmes) -> None:
    """Delete the demo programmes and every `cohorts` row under them, history included. Run after
    `mobility.demo.delete_demo` and `reporting.demo.delete_demo`."""
    Expense.objects.filter(budget_line__programme__in=programmes).delete()
    applications = Application.objects.filter(cohort__programme__in=programmes)
    app_ids = list(applications.values_list("pk", flat=True))
    # The rows go with their applications; the stored files are removed once that is committed (a
    # rolled-back deletion keeps rows that still point at them).
    stored = list(ApplicationDocument.objects.filter(application_id__in=app_ids).values_list("file", flat=True))

    def delete_files() -> None:
        for name in filter(None, stored):
            private_storage().delete(name)

    transaction.on_commit(delete_files)
    decision_ids = list(SelectionDecision.objects.filter(application_id__in=app_ids).values_list("pk", flat=True))
    applications.delete()
    programmes.delete()
    Application.history.filter(id__in=app_ids).delete()
    SelectionDecision.history.filter(id__in=decision_ids).delete()


def demo_programmes():
    return Programme.objects.filter(code__in=DEMO_PROGRAMME_CODES, is_fictitious=True)
