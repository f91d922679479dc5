"""Organisations and people outside the programme team: incubators, agencies, public bodies, donors,
Belgian companies and their contacts, applicant companies, entrepreneurs and coaches."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Expression, ExpressionWrapper, F, Q, Value, When
from django.db.models.lookups import IsNull, LessThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.jobs import Job
from core.storage import private_storage

from .validators import enterprise_number_display, validate_enterprise_number


class Gender(models.TextChoices):
    WOMAN = "woman", _("Femme")
    MAN = "man", _("Homme")
    OTHER = "other", _("Autre / ne se prononce pas")


class AgeBand(models.TextChoices):
    UNDER_25 = "lt25", _("Moins de 25 ans")
    FROM_25_TO_34 = "25-34", _("25 à 34 ans")
    FROM_35_TO_44 = "35-44", _("35 à 44 ans")
    FROM_45_TO_54 = "45-54", _("45 à 54 ans")
    OVER_55 = "55+", _("55 ans et plus")


class Education(models.TextChoices):
    NONE = "none", _("Sans diplôme")
    PRIMARY = "primary", _("Primaire")
    SECONDARY = "secondary", _("Secondaire")
    VOCATIONAL = "vocational", _("Formation professionnelle")
    BACHELOR = "bachelor", _("Licence / Bachelier")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorat")


class Sector(models.TextChoices):
    AGRIFOOD = "agrifood", _("Agroalimentaire")
    WATER_SANITATION = "water", _("Eau et assainissement")
    CREATIVE = "creative", _("Industries culturelles et créatives")
    DIGITAL = "digital", _("Numérique / TIC")
    ENERGY = "energy", _("Énergie")
    HEALTH = "health", _("Santé")
    TEXTILE = "textile", _("Textile et mode")
    COSMETICS = "cosmetics", _("Cosmétique")
    CONSTRUCTION = "construction", _("BTP et construction")
    LOGISTICS = "logistics", _("Transport et logistique")
    TOURISM = "tourism", _("Tourisme")
    EDUCATION = "education", _("Éducation et formation")
    SERVICES = "services", _("Services aux entreprises")
    OTHER = "other", _("Autre")


class Region(models.Model):
    """A region (Senegal) or district (Côte d'Ivoire) of a programme's country of origin. The list is
    data, seeded by a migration; `code` is internal (criteria and imports refer to it), never shown."""

    country = CountryField(_("pays"), db_index=True)
    code = models.SlugField(_("code interne"), max_length=40)
    name = models.CharField(_("nom"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["country", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="region_code_unique_per_country")]

    def __str__(self) -> str:
        return self.name


class RegionGroup(models.Model):
    """Regions of one country that a programme watches together (the evaluation of PEM-WECCO found the
    SMEs concentrated on the Dakar–Thiès axis): indicators and selection shares compare it with elsewhere."""

    country = CountryField(_("pays"))
    name = models.CharField(_("nom"), max_length=100)
    regions = models.ManyToManyField(Region, verbose_name=_("régions"), related_name="groups")

    class Meta:
        verbose_name = _("groupe de régions")
        verbose_name_plural = _("groupes de régions")
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name


class BelgianRegion(models.TextChoices):
    BRUSSELS = "brussels", _("Région de Bruxelles-Capitale")
    WALLONIA = "wallonia", _("Wallonie")
    FLANDERS = "flanders", _("Flandre")


class OrganisationKind(models.TextChoices):
    INCUBATOR = "incubator", _("Incubateur / structure d'appui (SAE)")
    SUPPORT_AGENCY = "support_agency", _("Agence d'appui / de promotion")
    PUBLIC_BODY = "public_body", _("Organisme public")
    DONOR = "donor", _("Bailleur")
    IMPLEMENTER = "implementer", _("Agence de mise en œuvre")
    BELGIAN_COMPANY = "belgian_company", _("Entreprise belge")
    DIASPORA_ORG = "diaspora_org", _("Organisation de la diaspora")
    VISA_AGENCY = "visa_agency", _("Agence visa")
    EMBASSY = "embassy", _("Ambassade / consulat")
    RESEARCH = "research", _("Recherche / évaluation")
    BUSINESS_ASSOCIATION = "business_association", _("Fédération / association professionnelle")
    OTHER = "other", _("Autre")


class CompanyLanguage(models.TextChoices):
    """The languages a Belgian company works in (invitations go in French, Dutch or English)."""

    FRENCH = "fr", _("Français")
    DUTCH = "nl", _("Néerlandais")
    ENGLISH = "en", _("Anglais")
    GERMAN = "de", _("Allemand")


class OrganisationQuerySet(models.QuerySet):
    def belgian_companies(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.BELGIAN_COMPANY)

    def incubators(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.INCUBATOR)

    def relay_agencies(self) -> "OrganisationQuerySet":
        """The agencies that relay Belgian companies (AWEX, FIT, hub.brussels)."""
        return self.filter(kind=OrganisationKind.SUPPORT_AGENCY, country="BE")

    def for_user(self, user) -> "OrganisationQuerySet":
        """The directory is the programme team's: staff see every organisation, others none."""
        from accounts.models import Role

        if user.is_authenticated and user.has_role(Role.STAFF):
            return self
        return self.none()


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    country = CountryField(_("pays"))
    belgian_region = models.CharField(_("région belge"), max_length=16, choices=BelgianRegion.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    city = models.CharField(_("ville"), max_length=100, blank=True)
    sector = models.CharField(_("secteur"), max_length=16, choices=Sector.choices, blank=True)
    relay_agency = models.ForeignKey(
        "self",
        verbose_name=_("agence relais"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relayed_companies",
        limit_choices_to={"kind": OrganisationKind.SUPPORT_AGENCY},
        help_text=_("AWEX, FIT ou hub.brussels pour une entreprise belge."),
    )
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    enterprise_number = models.CharField(
        _("numéro d'entreprise (BCE/KBO)"),
        max_length=10,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgique : 10 chiffres, par exemple 0123.456.749 (points, espaces ou préfixe BE acceptés)."),
    )
    languages = models.JSONField(
        _("langues de travail"), default=list, blank=True, help_text=_("Valeurs de la liste des langues.")
    )
    is_fictitious = models.BooleanField(_("fictif (démo)"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # The admin changelist's order (OrganisationAdmin.ordering: name, then id).
            models.Index(fields=["name", "id"], name="organisation_list_order"),
            # The Belgian company directory (one kind, by name, then id): read from this index, not sorted.
            models.Index(fields=["kind", "name", "id"], name="organisation_directory_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_name_country_unique"),
            models.CheckConstraint(
                condition=Q(belgian_region="") | Q(country="BE"), name="organisation_belgian_region_only_in_be"
            ),
            # One company per enterprise number; the services name the company that already holds it.
            models.UniqueConstraint(
                fields=["enterprise_number"],
                condition=~Q(enterprise_number=""),
                name="organisation_enterprise_number_unique",
                violation_error_message=_("Ce numéro d'entreprise est déjà enregistré pour une autre entreprise."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def enterprise_number_display(self) -> str:
        return enterprise_number_display(self.enterprise_number)

    @property
    def language_labels(self) -> list[str]:
        """The working languages' names, in the list's order."""
        return [str(label) for code, label in CompanyLanguage.choices if code in (self.languages or [])]


class OrganisationContact(models.Model):
    """A person at an organisation: the addressee of invitations sent by personal link."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(_("nom complet"), max_length=200)
    position = models.CharField(_("fonction"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=[("fr", _("Français")), ("en", _("Anglais")), ("nl", _("Néerlandais"))], default="fr"
    )
    is_fictitious = models.BooleanField(_("fictif (démo)"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation__name", "full_name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "email"], name="contact_email_unique_per_organisation")]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.organisation.name}"


class TurnoverBand(models.TextChoices):
    UNDER_10M = "lt10m", _("Moins de 10 M FCFA")
    FROM_10_TO_50M = "10-50m", _("10 à 50 M FCFA")
    FROM_50_TO_100M = "50-100m", _("50 à 100 M FCFA")
    FROM_100_TO_500M = "100-500m", _("100 à 500 M FCFA")
    OVER_500M = "500m+", _("Plus de 500 M FCFA")


#: Lower bound of each band in millions of FCFA, so eligibility can compare bands numerically.
TURNOVER_BAND_FLOOR_MXOF = {"lt10m": 0, "10-50m": 10, "50-100m": 50, "100-500m": 100, "500m+": 500}


def turnover_band_of(amount_xof: int) -> str:
    """The band an exact turnover (FCFA) falls in: the highest band whose floor it reaches."""
    millions = amount_xof / 1_000_000
    return max((floor, band) for band, floor in TURNOVER_BAND_FLOOR_MXOF.items() if millions >= floor)[1]


def age_band_of(age: int) -> str:
    """The age band of an age in years (e.g. computed from a year of birth)."""
    for limit, band in (
        (25, AgeBand.UNDER_25),
        (35, AgeBand.FROM_25_TO_34),
        (45, AgeBand.FROM_35_TO_44),
        (55, AgeBand.FROM_45_TO_54),
    ):
        if age < limit:
            return band
    return AgeBand.OVER_55


class LegalForm(models.TextChoices):
    SOLE = "ei", _("Entreprise individuelle")
    SARL = "sarl", _("SARL / SUARL")
    SA = "sa", _("SA / SAS")
    GIE = "gie", _("GIE")
    COOPERATIVE = "coop", _("Coopérative")
    ASSOCIATION = "association", _("Association")
    FOREIGN = "foreign", _("Société de droit étranger")
    INFORMAL = "informal", _("Non enregistrée (informelle)")
    #: Only for imported files that do not say it; the application form never offers it.
    UNSPECIFIED = "unspecified", _("Non précisée")


class Company(models.Model):
    """An SME of a programme's country of origin (or a diaspora entrepreneur's company) that applies."""

    name = models.CharField(_("raison sociale"), max_length=200)
    legal_form = models.CharField(_("forme juridique"), max_length=16, choices=LegalForm.choices)
    ninea = models.CharField(_("NINEA"), max_length=30, blank=True)
    rccm = models.CharField(_("RCCM"), max_length=40, blank=True)
    is_formal = models.BooleanField(_("entreprise formelle"), default=True)
    sector = models.CharField(_("secteur"), max_length=16, choices=Sector.choices, db_index=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        help_text=_("Vide pour une entreprise établie hors du pays du programme."),
    )
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = CountryField(_("pays du siège"))
    year_founded = models.PositiveSmallIntegerField(_("année de création"))
    turnover_band = models.CharField(_("chiffre d'affaires"), max_length=16, choices=TurnoverBand.choices)
    turnover_xof = models.PositiveBigIntegerField(
        _("chiffre d'affaires exact (FCFA)"),
        null=True,
        blank=True,
        help_text=_("Quand il est connu (par exemple donné dans un fichier importé) ; la tranche en découle."),
    )
    employees = models.PositiveIntegerField(_("nombre d'employé·es"), default=0)
    has_export_experience = models.BooleanField(_("expérience à l'export"), default=False)
    description = models.TextField(_("activité"), blank=True)
    incubator = models.ForeignKey(
        Organisation,
        verbose_name=_("incubateur d'origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incubated_companies",
        limit_choices_to={"kind": OrganisationKind.INCUBATOR},
    )
    is_fictitious = models.BooleanField(_("fictif (démo)"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entreprise candidate")
        verbose_name_plural = _("entreprises candidates")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_founded__gte=1900) & Q(year_founded__lte=2100), name="company_year_founded_plausible"
            ),
        ]
        # Not unique: a row holds the answers a founder gave for one or more applications, and a later
        # application that changes them gets its own row (so past cohorts keep the answers they were judged
        # on). The same legal entity (NINEA) can therefore appear on several rows of the same founder; the
        # application wizard refuses a NINEA registered by another founder.
        indexes = [
            # The admin changelist's order (CompanyAdmin.ordering: name, then id).
            models.Index(fields=["name", "id"], name="company_list_order"),
            models.Index(fields=["ninea"], name="company_ninea_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def age_in_years(self, on: datetime.date | None = None) -> int:
        return company_age(self.year_founded, on or datetime.date.today())


# Company age: one definition for the eligibility engine, the screening preview, the staff's selection
# analysis and the indicators. The age is counted in calendar years: the year of the date minus the
# year founded (a company founded in 2020 is 3 years old throughout 2023).


class CompanyAgeBand(models.TextChoices):
    UNDER_2 = "lt2", _("Moins de 2 ans")
    FROM_2_TO_5 = "2-5", _("2 à 5 ans")
    OVER_5 = "gt5", _("Plus de 5 ans")


#: Each band but the last, with its upper limit: under 2 years, then up to 5 years included, then over.
COMPANY_AGE_BAND_LIMITS = ((CompanyAgeBand.UNDER_2, LessThan, 2), (CompanyAgeBand.FROM_2_TO_5, LessThanOrEqual, 5))


def company_age(year_founded: int, on: datetime.date) -> int:
    return on.year - year_founded


def company_age_expression(on_year: Expression, *, year_founded: str = "company__year_founded") -> Expression:
    """`company_age` in the database: the age in the year `on_year` of the company whose founding year is
    at the path `year_founded` (by default, the `company` of the row)."""
    return ExpressionWrapper(on_year - F(year_founded), output_field=models.IntegerField())


def company_age_band(age: float | None) -> str | None:
    """The band of an age in years (None for an unknown age)."""
    if age is None:
        return None
    for band, lookup, limit in COMPANY_AGE_BAND_LIMITS:
        if (age < limit) if lookup is LessThan else (age <= limit):
            return band
    return CompanyAgeBand.OVER_5


def company_age_band_expression(age: Expression, *, unknown: str) -> Case:
    """`company_age_band` in the database, on an age expression; `unknown` where the age is null."""
    return Case(
        When(IsNull(age, True), then=Value(unknown)),
        *(When(lookup(age, limit), then=Value(band)) for band, lookup, limit in COMPANY_AGE_BAND_LIMITS),
        default=Value(CompanyAgeBand.OVER_5),
        output_field=models.CharField(),
    )


class EntrepreneurQuerySet(models.QuerySet):
    def for_user(self, user) -> "EntrepreneurQuerySet":
        from accounts.models import Role

        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        # Coaches and reviewers reach entrepreneurs through the applications they may see (cohorts).
        return self.filter(user=user)


class Entrepreneur(models.Model):
    """The founder who applies. The account is optional: applications collected offline have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entrepreneur",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    gender = models.CharField(_("genre"), max_length=8, choices=Gender.choices, db_index=True)
    age_band = models.CharField(_("tranche d'âge"), max_length=8, choices=AgeBand.choices)
    education = models.CharField(_("niveau d'études"), max_length=16, choices=Education.choices)
    # Diaspora is not stored: it is living outside the country of the programme applied to (cohorts.territory).
    country_of_residence = CountryField(_("pays de résidence"), blank=True, db_index=True)
    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.PROTECT, related_name="founders", null=True, blank=True
    )
    is_fictitious = models.BooleanField(_("fictif (démo)"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # Alumni ([9]): once their follow-up is complete, entrepreneurs stay reachable for later cohorts.
    peer_mentor_available = models.BooleanField(
        _("disponible comme mentor pair"),
        default=False,
        help_text=_("Accepte d'être contacté·e par l'équipe pour accompagner des entrepreneur·es des cohortes suivantes."),
    )
    peer_mentor_topics = models.CharField(
        _("sujets sur lesquels partager son expérience"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : visa, premiers contacts avec des distributeurs belges, normes d'exportation."),
    )

    objects = EntrepreneurQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrepreneur·e")
        verbose_name_plural = _("entrepreneur·es")
        ordering = ["last_name", "first_name"]
        # The alumni page's and the admin changelist's order (name, then id).
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="entrepreneur_list_order")]
        constraints = [models.UniqueConstraint(fields=["email"], name="entrepreneur_email_unique")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Coach(models.Model):
    """A coach of a Senegalese incubator or of Bond'innov, who logs sessions with entrepreneurs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="coach"
    )
    organisation = models.ForeignKey(Organisation, verbose_name=_("structure"), on_delete=models.PROTECT, related_name="coaches")
    specialties = models.CharField(_("spécialités"), max_length=250, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("coach")
        verbose_name_plural = _("coachs")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation.short_name or self.organisation.name})"


# --------------------------------------------------------------------------------------------------
# Spreadsheet imports of Belgian companies
# --------------------------------------------------------------------------------------------------


def company_import_file_path(instance: "CompanyImport", filename: str) -> str:
    import uuid

    return f"imports/companies/{uuid.uuid4().hex}"


class CompanyImport(Job):
    """A checked spreadsheet of Belgian companies (and their contacts), imported by a worker all or
    nothing: the status staff follow."""

    job_task = "partners.tasks.company_import_run"
    job_max_attempts = 3

    file = models.FileField(_("fichier"), upload_to=company_import_file_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("lignes"), default=0)
    created_count = models.PositiveIntegerField(_("entreprises créées"), default=0)
    contact_count = models.PositiveIntegerField(_("contacts créés"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)

    class Meta:
        verbose_name = _("import d'entreprises belges")
        verbose_name_plural = _("imports d'entreprises belges")
        ordering = ["-requested_at"]
        # The directory import page's latest imports and the admin changelist, newest first: read from this index.
        indexes = [models.Index(fields=["-requested_at", "-id"], name="companyimport_list_order")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="company_import_failed_has_error"),
            # The same file cannot be imported twice while a first import is queued, running or done.
            models.UniqueConstraint(
                fields=["sha256"], condition=Q(status__in=["queued", "running", "done"]), name="company_import_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
