"""Demo data of the `partners` app: organisations (the real public bodies the evaluation names, and
fictitious incubators and Belgian companies), contacts, demo user accounts, coaches, and the fictitious
Senegalese companies and entrepreneurs of the PEM-WECCO demo. Called by `load_demo`; writes only
`partners` models (and the accounts the coaches and demo users need, see `users_create`).

Everything a person or a company is invented here is marked `is_fictitious=True`."""

import datetime
import hashlib
import random
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import MFA_ROLES
from accounts.models import Role, User

from .models import (
    BelgianRegion,
    Coach,
    Company,
    Entrepreneur,
    Organisation,
    OrganisationContact,
    OrganisationKind,
    Region,
)
from .validators import enterprise_number_check_digits

DAKAR = ZoneInfo("Africa/Dakar")
BRUSSELS = ZoneInfo("Europe/Brussels")
DEMO_DOMAIN = "demo.pem.example"
#: The moment the demo rows pretend to have been recorded: the end of the pilot.
RECORDED_AT = datetime.datetime(2024, 9, 30, 17, 0, tzinfo=DAKAR)


def aware(day: datetime.date, hour: int = 10, minute: int = 0, tz: ZoneInfo = DAKAR) -> datetime.datetime:
    """A fixed, aware datetime on `day` (demo dates never depend on the clock)."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def slugify_ascii(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in ascii_text.lower()).strip("-").replace("--", "-")


# --------------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------------

#: Real public organisations named by the evaluation (key, name, short name, kind, country, extra).
PUBLIC_ORGANISATIONS = [
    (
        "enabel",
        "Enabel – Agence belge de développement",
        "Enabel",
        OrganisationKind.IMPLEMENTER,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "dcef",
        "Direction de la Coopération économique et financière",
        "DCEF",
        OrganisationKind.PUBLIC_BODY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "eu_intpa",
        "Commission européenne – DG Partenariats internationaux",
        "EU-INTPA",
        OrganisationKind.DONOR,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    ("icmpd", "International Centre for Migration Policy Development", "ICMPD", OrganisationKind.DONOR, "AT", {"city": "Vienne"}),
    (
        "adepme",
        "Agence de Développement et d'Encadrement des PME",
        "ADEPME",
        OrganisationKind.SUPPORT_AGENCY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "apix",
        "Agence pour la Promotion des Investissements et des grands travaux",
        "APIX",
        OrganisationKind.SUPPORT_AGENCY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "dgase",
        "Direction générale d'Appui aux Sénégalais de l'extérieur",
        "DGASE",
        OrganisationKind.PUBLIC_BODY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "awex",
        "Agence wallonne à l'Exportation et aux Investissements étrangers",
        "AWEX",
        OrganisationKind.SUPPORT_AGENCY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.WALLONIA},
    ),
    (
        "fit",
        "Flanders Investment & Trade",
        "FIT",
        OrganisationKind.SUPPORT_AGENCY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.FLANDERS},
    ),
    (
        "hub",
        "hub.brussels",
        "hub.brussels",
        OrganisationKind.SUPPORT_AGENCY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "fedasil",
        "Agence fédérale pour l'accueil des demandeurs d'asile",
        "Fedasil",
        OrganisationKind.PUBLIC_BODY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "ode",
        "Office des Étrangers",
        "OE",
        OrganisationKind.PUBLIC_BODY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "embassy",
        "Ambassade de Belgique au Sénégal",
        "",
        OrganisationKind.EMBASSY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "dgd",
        "Direction générale Coopération au développement et Aide humanitaire",
        "DGD",
        OrganisationKind.PUBLIC_BODY,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    ("afford", "African Foundation for Development", "AFFORD", OrganisationKind.DIASPORA_ORG, "GB", {"city": "Londres"}),
    ("bondinnov", "Bond'innov", "Bond'innov", OrganisationKind.INCUBATOR, "FR", {"city": "Bondy"}),
    (
        "ovo",
        "Ondernemers voor Ondernemers – Entrepreneurs pour Entrepreneurs",
        "OVO",
        OrganisationKind.BUSINESS_ASSOCIATION,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "egmont",
        "Egmont – Institut royal des relations internationales",
        "Egmont",
        OrganisationKind.RESEARCH,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "cota",
        "Cota asbl",
        "Cota",
        OrganisationKind.RESEARCH,
        "BE",
        {"city": "Bruxelles", "belgian_region": BelgianRegion.BRUSSELS},
    ),
    (
        "asepex",
        "Agence sénégalaise de Promotion des Exportations",
        "ASEPEX",
        OrganisationKind.SUPPORT_AGENCY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "cciad",
        "Chambre de Commerce, d'Industrie et d'Agriculture de Dakar",
        "CCIAD",
        OrganisationKind.BUSINESS_ASSOCIATION,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "fongip",
        "Fonds de Garantie des Investissements Prioritaires",
        "FONGIP",
        OrganisationKind.PUBLIC_BODY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    (
        "der",
        "Délégation générale à l'Entrepreneuriat rapide des Femmes et des Jeunes",
        "DER/FJ",
        OrganisationKind.PUBLIC_BODY,
        "SN",
        {"city": "Dakar", "region_code": "dakar"},
    ),
    ("enabel_ci", "Enabel Côte d'Ivoire", "Enabel CI", OrganisationKind.IMPLEMENTER, "CI", {"city": "Abidjan"}),
]

#: The five Senegalese partner incubators (invented names) and the Belgian incubators of the sub-projects.
FICTITIOUS_INCUBATORS = [
    ("Kër Innov (fictif)", "Kër Innov", "SN", "dakar", "Dakar", "creative"),
    ("Baobab Hub Entreprendre (fictif)", "Baobab Hub", "SN", "dakar", "Dakar", "digital"),
    ("Niayes AgriLab (fictif)", "Niayes AgriLab", "SN", "thies", "Thiès", "agrifood"),
    ("Sahel Impact Incubateur (fictif)", "Sahel Impact", "SN", "saint-louis", "Saint-Louis", "water"),
    ("Casamance Business Factory (fictif)", "CBF", "SN", "ziguinchor", "Ziguinchor", "agrifood"),
    ("Atelier Créatif Molenbeek (fictif)", "ACM", "BE", "brussels", "Bruxelles", "creative"),
    ("Incubateur AgroWal (fictif)", "AgroWal", "BE", "wallonia", "Gembloux", "agrifood"),
]

FICTITIOUS_OTHERS = [
    ("visa_agency", "Bureau Visa Conseil Dakar (fictif)", "BVC", OrganisationKind.VISA_AGENCY, "SN", "dakar", "Dakar"),
    (
        "nzassa_incubator",
        "Incubateur Lagune Entreprendre (fictif)",
        "ILE",
        OrganisationKind.INCUBATOR,
        "CI",
        "abidjan",
        "Abidjan",
    ),
]

BE_WORDS_A = [
    "Brabant",
    "Meuse",
    "Escaut",
    "Ardenne",
    "Sonian",
    "Lys",
    "Senne",
    "Condroz",
    "Hesbaye",
    "Kempen",
    "Polder",
    "Famenne",
    "Zenne",
    "Dyle",
    "Gaume",
    "Westhoek",
    "Ourthe",
    "Semois",
    "Pajot",
    "Haspengouw",
]
BE_WORDS_B = [
    "Agro",
    "Tech",
    "Food",
    "Aqua",
    "Design",
    "Logistics",
    "Solar",
    "Pharma",
    "Build",
    "Textiles",
    "Cosmetics",
    "Digital",
    "Water",
    "Consult",
    "Trade",
    "Engineering",
    "Pack",
    "Media",
]
BE_CITIES = {
    BelgianRegion.BRUSSELS: ["Bruxelles", "Anderlecht", "Ixelles", "Schaerbeek", "Etterbeek", "Molenbeek-Saint-Jean"],
    BelgianRegion.WALLONIA: ["Liège", "Namur", "Charleroi", "Mons", "Wavre", "Louvain-la-Neuve", "Gembloux"],
    BelgianRegion.FLANDERS: ["Anvers", "Gand", "Louvain", "Bruges", "Malines", "Courtrai", "Hasselt"],
}
BE_WORD_SECTOR = {
    "Agro": "agrifood",
    "Food": "agrifood",
    "Aqua": "water",
    "Water": "water",
    "Design": "creative",
    "Media": "creative",
    "Logistics": "logistics",
    "Solar": "energy",
    "Pharma": "health",
    "Build": "construction",
    "Textiles": "textile",
    "Cosmetics": "cosmetics",
    "Digital": "digital",
    "Tech": "digital",
    "Consult": "services",
    "Trade": "services",
    "Engineering": "services",
    "Pack": "services",
}
BE_FIRST_NAMES = [
    "Louise",
    "Lucas",
    "Emma",
    "Arthur",
    "Olivia",
    "Noah",
    "Lotte",
    "Wout",
    "Elise",
    "Jules",
    "Marie",
    "Thomas",
    "Hanne",
    "Pieter",
    "Chloé",
    "Simon",
    "Nora",
    "Victor",
]
BE_LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Dubois",
    "Lambert",
    "Claes",
    "Martin",
    "Wouters",
    "Goossens",
    "Dupont",
    "Willems",
    "Lejeune",
    "Mertens",
    "Renard",
    "Jacobs",
    "Hermans",
    "Leclercq",
    "Smets",
]
BE_POSITIONS = [
    "Directrice générale",
    "Directeur commercial",
    "Responsable export",
    "Chargée de partenariats",
    "Gérant",
    "Head of Business Development",
]

SN_FIRST_NAMES_W = [
    "Awa",
    "Fatou",
    "Aminata",
    "Mariama",
    "Khady",
    "Ndèye",
    "Coumba",
    "Rokhaya",
    "Aïssatou",
    "Bineta",
    "Yacine",
    "Astou",
    "Dieynaba",
    "Maïmouna",
    "Sokhna",
    "Adji",
]
SN_FIRST_NAMES_M = [
    "Moussa",
    "Mamadou",
    "Ousmane",
    "Abdoulaye",
    "Cheikh",
    "Ibrahima",
    "Modou",
    "Pape",
    "Alioune",
    "Babacar",
    "Serigne",
    "Lamine",
    "Assane",
    "Souleymane",
    "Malick",
    "Omar",
]
SN_LAST_NAMES = [
    "Diop",
    "Ndiaye",
    "Fall",
    "Sow",
    "Ba",
    "Faye",
    "Sarr",
    "Gueye",
    "Diallo",
    "Mbaye",
    "Cissé",
    "Seck",
    "Thiam",
    "Ka",
    "Niang",
    "Kane",
    "Diouf",
    "Sy",
    "Camara",
    "Sène",
    "Dieng",
    "Touré",
    "Wade",
    "Diagne",
]


def demo_enterprise_number(index: int) -> str:
    """A fictitious but valid enterprise number (right mod-97 check digits), from the company's rank, so the
    demo's random draws (and so its figures) stay as they were. 0999… is far from real numbers' range."""
    first_eight = f"{9_990_000 + index * 7:08d}"
    return first_eight + f"{enterprise_number_check_digits(first_eight):02d}"


def demo_languages(region: str, index: int) -> list[str]:
    """Working languages by region (Brussels both national languages, Flanders Dutch, Wallonia French, a
    few German speakers in the east), English for two companies in three; no random draw."""
    base = {BelgianRegion.BRUSSELS: ["fr", "nl"], BelgianRegion.FLANDERS: ["nl"], BelgianRegion.WALLONIA: ["fr"]}[region]
    extra = ["en"] if index % 3 else []
    german = ["de"] if region == BelgianRegion.WALLONIA and index % 7 == 0 else []
    return base + extra + german


def organisations_create(rng: random.Random, *, belgian_company_count: int = 145) -> dict:
    """Create (or reuse) the organisations of the demo; return them by key.

    Real public bodies are reused when they already exist (same name and country) and are not marked
    fictitious; every invented organisation is marked fictitious."""
    orgs: dict[str, Organisation] = {}
    regions = _regions_by_code()
    for key, name, short, kind, country, extra in PUBLIC_ORGANISATIONS:
        extra = dict(extra)
        region = regions.get((country, extra.pop("region_code", "")))
        org, created = Organisation.objects.get_or_create(
            name=name, country=country, defaults={"short_name": short, "kind": kind, "region": region, **extra}
        )
        if created:
            org.created_at = aware(datetime.date(2021, 10, 4), 9)
            Organisation.objects.filter(pk=org.pk).update(created_at=org.created_at)
        orgs[key] = org

    incubators = []
    for name, short, country, region, city, sector in FICTITIOUS_INCUBATORS:
        incubators.append(
            Organisation(
                name=name,
                short_name=short,
                kind=OrganisationKind.INCUBATOR,
                country=country,
                region=regions.get((country, region)),
                belgian_region=region if country == "BE" else "",
                city=city,
                sector=sector,
                email=f"contact@{slugify_ascii(short)}.{DEMO_DOMAIN}",
                is_fictitious=True,
                description="Structure d'appui inventée pour la démonstration.",
            )
        )
    for key, name, short, kind, country, region, city in FICTITIOUS_OTHERS:
        orgs[key] = Organisation(
            name=name,
            short_name=short,
            kind=kind,
            country=country,
            region=regions.get((country, region)),
            city=city,
            is_fictitious=True,
        )
    Organisation.objects.bulk_create(incubators + [orgs[key] for key, *_ in FICTITIOUS_OTHERS])
    orgs["sn_incubators"] = [o for o in incubators if o.country == "SN"]
    orgs["be_incubators"] = [o for o in incubators if o.country == "BE"]

    relays = {BelgianRegion.BRUSSELS: orgs["hub"], BelgianRegion.WALLONIA: orgs["awex"], BelgianRegion.FLANDERS: orgs["fit"]}
    names = [f"{a} {b}" for a in BE_WORDS_A for b in BE_WORDS_B]
    rng.shuffle(names)
    companies = []
    for index, base in enumerate(names[:belgian_company_count]):
        region = rng.choices(list(relays), weights=[45, 30, 25])[0]
        form = "BV" if region == BelgianRegion.FLANDERS else rng.choice(["SRL", "SA", "SC"])
        companies.append(
            Organisation(
                name=f"{base} {form} (fictif)",
                kind=OrganisationKind.BELGIAN_COMPANY,
                country="BE",
                belgian_region=region,
                city=rng.choice(BE_CITIES[region]),
                sector=BE_WORD_SECTOR[base.split()[1]],
                relay_agency=relays[region],
                enterprise_number=demo_enterprise_number(index),
                languages=demo_languages(region, index),
                email=f"info@{slugify_ascii(base)}.{DEMO_DOMAIN}",
                is_fictitious=True,
                description="Entreprise belge inventée pour la démonstration.",
            )
        )
    Organisation.objects.bulk_create(companies)
    orgs["belgian_companies"] = companies

    contacts = []
    for org in companies + orgs["sn_incubators"] + orgs["be_incubators"]:
        for n in range(rng.choice([1, 1, 2])):
            first, last = rng.choice(BE_FIRST_NAMES), rng.choice(BE_LAST_NAMES)
            language = "nl" if org.belgian_region == BelgianRegion.FLANDERS and rng.random() < 0.6 else "fr"
            contacts.append(
                OrganisationContact(
                    organisation=org,
                    full_name=f"{first} {last}",
                    position=rng.choice(BE_POSITIONS),
                    email=f"{slugify_ascii(first)}.{slugify_ascii(last)}{n}@{slugify_ascii(org.short_name or org.name[:30])}.{DEMO_DOMAIN}",
                    language=language,
                    is_fictitious=True,
                )
            )
    OrganisationContact.objects.bulk_create(contacts)
    _backdate(Organisation, incubators + companies + [orgs[key] for key, *_ in FICTITIOUS_OTHERS], datetime.date(2021, 11, 15))
    return orgs


def _backdate(model, objs, day: datetime.date) -> None:
    """`auto_now_add` stamps the clock on insert; demo rows get a fixed creation date instead."""
    for obj in objs:
        obj.created_at = aware(day, 9)
    model.objects.bulk_update(objs, ["created_at"], batch_size=500)


# --------------------------------------------------------------------------------------------------
# Accounts and coaches
# --------------------------------------------------------------------------------------------------

COACH_SPECS = [
    # (e-mail local part, first name, last name, organisation key or incubator index, specialties)
    ("coach", "Mariama", "Demba-Fictif", "bondinnov", "Modèle d'affaires, stratégie d'internationalisation"),
    ("coach.bondinnov2", "Julien", "Marchal-Fictif", "bondinnov", "Diaspora, levée de fonds"),
    ("coach.bondinnov3", "Sophie", "Lenoir-Fictif", "bondinnov", "Préparation des rendez-vous B2B"),
    ("coach.kerinnov", "Ibrahima", "Sall-Fictif", 0, "Industries culturelles et créatives"),
    ("coach.baobab", "Aïda", "Ngom-Fictif", 1, "Numérique, marketing"),
    ("coach.baobab2", "Cheikh", "Lô-Fictif", 1, "Finance d'entreprise"),
    ("coach.niayes", "Ndèye", "Tall-Fictif", 2, "Agroalimentaire, normes sanitaires"),
    ("coach.sahel", "Oumar", "Bâ-Fictif", 3, "Eau et assainissement"),
    ("coach.casamance", "Fatoumata", "Badji-Fictif", 4, "Agroalimentaire, export"),
]


@dataclass
class DemoPeople:
    users: dict[str, User] = field(default_factory=dict)
    coaches: list[Coach] = field(default_factory=list)
    reviewers: list[User] = field(default_factory=list)
    staff: list[User] = field(default_factory=list)


def users_create(rng: random.Random, *, accounts: list[tuple[str, str, str, str]], password: str, orgs: dict) -> DemoPeople:
    """Create the demo accounts (`accounts`: e-mail, role, first name, last name), the extra reviewer and
    coach accounts, and the `Coach` rows. The password is hashed once and shared by the demo accounts
    (hashing is the slow part); the extra accounts get an unusable password."""
    # A fixed salt keeps the demo reproducible row for row; these accounts exist only in demo data.
    shared_hash = make_password(password, salt="pemdemo2024salt")
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    people = DemoPeople()
    rows: list[tuple[User, str]] = []
    for email, role, first, last in accounts:
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            password=shared_hash,
            is_fictitious=True,
            is_staff=role == Role.STAFF,
            is_superuser=email.startswith("admin@"),
            date_joined=aware(datetime.date(2021, 10, 4)),
        )
        rows.append((user, role))
    for local, first, last, _, _ in COACH_SPECS[1:]:
        rows.append((_extra_user(rng, f"{local}@{DEMO_DOMAIN}", first, last), Role.COACH))
    for n, (first, last) in enumerate(
        [
            ("Awa", "Relecture-Fictif"),
            ("Pierre", "Grille-Fictif"),
            ("Seynabou", "Note-Fictif"),
            ("Koen", "Score-Fictif"),
            ("Amadou", "Jury-Fictif"),
        ],
        start=2,
    ):
        rows.append((_extra_user(rng, f"reviewer{n}@{DEMO_DOMAIN}", first, last), Role.REVIEWER))
    for n, (first, last) in enumerate([("Khadija", "Suivi-Fictif"), ("Bart", "Mobilite-Fictif")], start=2):
        user = _extra_user(rng, f"staff{n}@{DEMO_DOMAIN}", first, last)
        user.is_staff = True
        rows.append((user, Role.STAFF))
    User.objects.bulk_create([user for user, _ in rows])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=groups[role].pk) for user, role in rows]
    )
    demo_mfa_devices_create(users=[user for user, role in rows if role in MFA_ROLES and user.password == shared_hash])
    for user, role in rows:
        people.users[user.email] = user
        if role == Role.REVIEWER:
            people.reviewers.append(user)
        elif role == Role.STAFF:
            people.staff.append(user)

    coaches = []
    for local, *_, org_key, specialties in COACH_SPECS:
        organisation = orgs[org_key] if isinstance(org_key, str) else orgs["sn_incubators"][org_key]
        coaches.append(Coach(user=people.users[f"{local}@{DEMO_DOMAIN}"], organisation=organisation, specialties=specialties))
    Coach.objects.bulk_create(coaches)
    people.coaches = coaches
    return people


def demo_mfa_key(email: str) -> str:
    """The demo accounts' authenticator secret (hex), derived from the address: demo data only."""
    return hashlib.sha256(f"pem-demo-mfa:{email}".encode()).hexdigest()[:40]


def demo_mfa_devices_create(*, users: list[User]) -> None:
    """An authenticator already enrolled for the demo accounts that need one, so that `make demo-code`
    can print their current codes (a real account enrols its own phone at its first login)."""
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=user, name="authenticator (demo)", key=demo_mfa_key(user.email), confirmed=True) for user in users]
    )


def _extra_user(rng: random.Random, email: str, first: str, last: str) -> User:
    return User(
        email=email,
        first_name=first,
        last_name=last,
        password=f"!demo{rng.getrandbits(64):016x}",
        is_fictitious=True,
        date_joined=aware(datetime.date(2021, 10, 4)),
    )


def entrepreneur_accounts_create(rng: random.Random, *, entrepreneurs: list[Entrepreneur]) -> None:
    """Accounts for applicants who applied online (unusable password: only the demo account logs in)."""
    group = Group.objects.get(name=Role.ENTREPRENEUR)
    users = [_extra_user(rng, e.email, e.first_name, e.last_name) for e in entrepreneurs if e.user_id is None]
    User.objects.bulk_create(users)
    by_email = {user.email: user for user in users}
    for entrepreneur in entrepreneurs:
        if entrepreneur.user_id is None:
            entrepreneur.user = by_email[entrepreneur.email]
    Entrepreneur.objects.bulk_update(entrepreneurs, ["user"], batch_size=500)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])


# --------------------------------------------------------------------------------------------------
# Senegalese companies and entrepreneurs
# --------------------------------------------------------------------------------------------------


def _regions_by_code() -> dict[tuple[str, str], Region]:
    return {(region.country.code, region.code): region for region in Region.objects.all()}


def applicants_create(specs: list[dict], *, orgs: dict, demo_user: User | None) -> list[Entrepreneur]:
    """Create one company and one entrepreneur per spec (specs are planned by `cohorts.demo`).

    Returns the entrepreneurs in spec order, each with `.company` set."""
    regions = _regions_by_code()
    companies = []
    for spec in specs:
        data = dict(spec["company"])
        # A code of the seeded regions of the company's country; none for a company abroad.
        data["region"] = regions.get((data["country"], data["region"])) if data.get("region") else None
        incubator_index = data.pop("incubator_index", None)
        incubator = None
        if incubator_index is not None:
            incubator = orgs["nzassa_incubator"] if incubator_index == "nzassa" else orgs["sn_incubators"][incubator_index]
        companies.append(Company(incubator=incubator, is_fictitious=True, **data))
    Company.objects.bulk_create(companies, batch_size=500)
    entrepreneurs = []
    for spec, company in zip(specs, companies):
        entrepreneurs.append(
            Entrepreneur(
                company=company, is_fictitious=True, user=demo_user if spec.get("demo_account") else None, **spec["entrepreneur"]
            )
        )
    Entrepreneur.objects.bulk_create(entrepreneurs, batch_size=500)
    _backdate(Company, companies, datetime.date(2022, 2, 1))
    _backdate(Entrepreneur, entrepreneurs, datetime.date(2022, 2, 1))
    return entrepreneurs


def person_name(rng: random.Random, gender: str) -> tuple[str, str]:
    first = rng.choice(SN_FIRST_NAMES_W if gender == "woman" else SN_FIRST_NAMES_M)
    return first, rng.choice(SN_LAST_NAMES)


# --------------------------------------------------------------------------------------------------
# Reset
# --------------------------------------------------------------------------------------------------


def delete_fictitious() -> None:
    """Delete every fictitious row of `partners` (and the fictitious accounts). Run after the higher
    apps have deleted the rows that protect these (applications, reviews, programmes)."""
    Coach.objects.filter(Q(user__is_fictitious=True) | Q(organisation__is_fictitious=True)).delete()
    Entrepreneur.objects.filter(is_fictitious=True).delete()
    Company.objects.filter(is_fictitious=True).delete()
    OrganisationContact.objects.filter(is_fictitious=True).delete()
    Organisation.objects.filter(is_fictitious=True).delete()
    User.objects.filter(is_fictitious=True).delete()
