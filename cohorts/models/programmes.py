"""Programmes, their members and partners, and their cohorts with the call and the selection rules (eligibility criteria, scoring rubric); the euro at the fixed XOF parity."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Role
from core.bilingual import plain_text_in
from partners.models import Organisation, RegionGroup

#: The XOF is pegged to the euro: 1 EUR = 655.957 XOF (fixed parity since 1999).
XOF_PER_EUR = Decimal("655.957")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    XOF = "XOF", "XOF (FCFA)"


def to_eur(amount: Decimal, currency: str) -> Decimal:
    """An amount in euros, rounded to the cent; the database computes the same with `to_eur_expression`."""
    return amount if currency == Currency.EUR else (amount / XOF_PER_EUR).quantize(Decimal("0.01"), ROUND_HALF_UP)


def to_eur_expression(amount: str = "amount", currency: str = "currency") -> models.Expression:
    """`to_eur` in the database, on the row's `amount` and `currency` fields: what a `GeneratedField` stores."""
    return models.Case(
        models.When(**{currency: Currency.XOF}, then=Round(F(amount) / Value(XOF_PER_EUR), 2)),
        default=F(amount),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
    )


# --------------------------------------------------------------------------------------------------
# Programmes
# --------------------------------------------------------------------------------------------------


class ProgrammeQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProgrammeQuerySet":
        """Staff see every programme; other roles see the programmes they are members of, in a role
        they still hold (taking someone out of the committee group ends their access)."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        return self.filter(memberships__user=user, memberships__role__in=user.role_names).distinct()


def check_in_months_default() -> list[int]:
    """Follow-up check-ins after the return from the trip, in months: +1, +3, +6 and +12."""
    return [1, 3, 6, 12]


#: The latest follow-up a programme may plan, in months after the trip.
CHECK_IN_MONTHS_MAX = 36
#: The milestones at which the comparison group is asked too: every programme's follow-up includes them,
#: or its participants could not be compared (mobility.models.COMPARISON_MONTHS is this).
COMPARISON_MONTHS = (6, 12)


def check_in_months_validate(value) -> None:
    """A list of whole months, positive, increasing, at most CHECK_IN_MONTHS_MAX, including COMPARISON_MONTHS."""
    if not isinstance(value, list) or not value or not all(isinstance(m, int) and not isinstance(m, bool) for m in value):
        raise ValidationError(_("Indiquez au moins un nombre de mois, en chiffres."), code="check_in_months_invalid")
    if any(m < 1 for m in value):
        raise ValidationError(_("Les mois doivent être positifs."), code="check_in_months_not_positive")
    if any(b <= a for a, b in zip(value, value[1:], strict=False)):
        raise ValidationError(_("Les mois doivent être croissants, sans doublon."), code="check_in_months_not_increasing")
    if value[-1] > CHECK_IN_MONTHS_MAX:
        raise ValidationError(
            _("Au plus %(max)s mois après le voyage.") % {"max": CHECK_IN_MONTHS_MAX}, code="check_in_months_too_late"
        )
    if not set(COMPARISON_MONTHS) <= set(value):
        raise ValidationError(
            _("Le suivi doit inclure %(first)s et %(last)s mois : le groupe de comparaison est interrogé à ces échéances.")
            % {"first": COMPARISON_MONTHS[0], "last": COMPARISON_MONTHS[-1]},
            code="check_in_months_without_comparison",
        )


class MonthOffsetsFormField(forms.CharField):
    """Months typed as "1, 3, 6, 12": what staff read and write in the programme form."""

    def __init__(self, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(m) for m in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if isinstance(text, list):
            return text
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        try:
            return [int(part.removeprefix("+")) for part in parts]
        except ValueError:
            raise ValidationError(
                _("Indiquez des nombres de mois séparés par des virgules, par exemple 1, 3, 6, 12."),
                code="check_in_months_invalid",
            ) from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class MonthOffsetsField(models.JSONField):
    """A list of month offsets (JSON), edited as "1, 3, 6, 12"."""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": MonthOffsetsFormField, **kwargs})


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin_country = CountryField(
        _("pays d'origine"),
        help_text=_("Ses régions sont proposées aux candidat·es ; qui vit hors de ce pays compte dans la diaspora."),
    )
    destination_country = CountryField(_("pays de destination"), default="BE")
    watched_region_group = models.ForeignKey(
        RegionGroup,
        verbose_name=_("groupe de régions suivi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text=_("Les indicateurs et la sélection comparent ce groupe aux autres régions (ex. axe Dakar–Thiès)."),
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    donor = models.ForeignKey(
        Organisation, verbose_name=_("bailleur"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementer = models.ForeignKey(
        Organisation,
        verbose_name=_("agence de mise en œuvre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("référence (ex. code Navision)"), max_length=60, blank=True)
    iati_identifier = models.CharField(_("identifiant IATI"), max_length=100, blank=True)
    is_fictitious = models.BooleanField(_("données fictives (démo)"), default=False)
    check_in_months = MonthOffsetsField(
        _("suivis après le voyage (mois)"),
        default=check_in_months_default,
        validators=[check_in_months_validate],
        help_text=_(
            "Nombre de mois après le retour du voyage où l'entrepreneur·e et son partenaire belge reçoivent le "
            "questionnaire de suivi, séparés par des virgules (par exemple 1, 3, 6, 12 ; au plus 36)."
        ),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="programme_dates_in_order")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        group = self.watched_region_group
        if group is not None and self.origin_country and group.country != self.origin_country:
            raise ValidationError({"watched_region_group": _("Choisissez un groupe de régions du pays d'origine du programme.")})


class ProgrammeMembership(models.Model):
    """Ties a user to a programme in a role: what committee members and evaluators may see."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur·rice"),
        on_delete=models.CASCADE,
        related_name="programme_memberships",
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membre du programme")
        verbose_name_plural = _("membres du programme")
        constraints = [models.UniqueConstraint(fields=["programme", "user", "role"], name="membership_unique_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme.name} ({self.get_role_display()})"


class ProgrammePartnerRole(models.TextChoices):
    IMPLEMENTING = "implementing", _("Partenaire de mise en œuvre")
    COACHING = "coaching", _("Formation et coaching")
    INCUBATOR = "incubator", _("Incubateur partenaire")
    RELAY = "relay", _("Agence relais")
    DIASPORA = "diaspora", _("Mobilisation de la diaspora")
    VISA = "visa", _("Accompagnement visa")
    FUNDING = "funding", _("Financement")
    INSTITUTIONAL = "institutional", _("Partenaire institutionnel")
    RESEARCH = "research", _("Recherche-action / évaluation")


class ProgrammePartner(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="programme_roles"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=ProgrammePartnerRole.choices)
    since = models.DateField(_("depuis"), null=True, blank=True)

    class Meta:
        verbose_name = _("partenaire du programme")
        verbose_name_plural = _("partenaires du programme")
        constraints = [models.UniqueConstraint(fields=["programme", "organisation", "role"], name="programme_partner_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class Objective(models.TextChoices):
    """Specific objectives, and the level at which the programme acts."""

    OS1 = "OS1", _("OS1 – Performance des entreprises")
    OS2 = "OS2", _("OS2 – Partenariats durables entre acteurs")


class Level(models.TextChoices):
    MICRO = "micro", _("Micro (entreprises)")
    MESO = "meso", _("Méso (structures d'appui)")
    MACRO = "macro", _("Macro (organisations publiques)")


# --------------------------------------------------------------------------------------------------
# Cohorts, calls and selection rules
# --------------------------------------------------------------------------------------------------


class CohortQuerySet(models.QuerySet):
    def for_user(self, user) -> "CohortQuerySet":
        return self.filter(programme__in=Programme.objects.for_user(user))

    def open_for_applications(self, at=None) -> "CohortQuerySet":
        at = at or timezone.now()
        return self.filter(call_opens_at__lte=at, call_closes_at__gt=at)


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="cohorts")
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=200)
    call_text = models.TextField(_("texte de l'appel"), blank=True)
    call_opens_at = models.DateTimeField(_("ouverture de l'appel"))
    call_closes_at = models.DateTimeField(_("clôture de l'appel"))
    travel_starts_on = models.DateField(_("début de la fenêtre de voyage"), null=True, blank=True)
    travel_ends_on = models.DateField(_("fin de la fenêtre de voyage"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=25)
    min_reviews = models.PositiveSmallIntegerField(_("évaluations requises par candidature"), default=2)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohorte")
        verbose_name_plural = _("cohortes")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cohort_number_unique_per_programme"),
            models.CheckConstraint(condition=Q(call_closes_at__gt=F("call_opens_at")), name="cohort_call_dates_in_order"),
            models.CheckConstraint(
                condition=Q(travel_starts_on__isnull=True)
                | Q(travel_ends_on__isnull=True)
                | Q(travel_ends_on__gte=F("travel_starts_on")),
                name="cohort_travel_window_in_order",
            ),
            models.CheckConstraint(condition=Q(min_reviews__gte=1), name="cohort_at_least_one_review"),
        ]

    def __str__(self) -> str:
        # The programme's name and the cohort's in the reader's language: its code is for URLs and files.
        return f"{self.programme.name} – {self.name}"

    def label(self, language: str | None = None) -> str:
        """As `str()`, for plain text read in `language` (an e-mail, a spreadsheet): the cohort's name in
        that language, or the other one marked as such."""
        return f"{self.programme.name} – {plain_text_in(self, 'name', language)}"

    @property
    def is_open(self) -> bool:
        return self.call_opens_at <= timezone.now() < self.call_closes_at


class CriterionField(models.TextChoices):
    """What an eligibility criterion can test, in the applicant's and company's answers."""

    COMPANY_AGE = "company_age", _("Âge de l'entreprise (années)")
    #: "Founded in year X or before": a meaning that does not drift with the submission year.
    YEAR_FOUNDED = "year_founded", _("Année de création de l'entreprise")
    IS_FORMAL = "is_formal", _("Entreprise formelle")
    TURNOVER_FLOOR = "turnover_floor_mxof", _("Chiffre d'affaires (plancher de la tranche, M FCFA)")
    #: The exact amount when the applicant (or an imported file) gave it, else the floor of the band.
    TURNOVER_AMOUNT = "turnover_xof", _("Chiffre d'affaires (FCFA ; montant exact, à défaut plancher de la tranche)")
    EMPLOYEES = "employees", _("Nombre d'employé·es")
    SECTOR = "sector", _("Secteur")
    REGION = "region", _("Région")
    HAS_EXPORT_EXPERIENCE = "has_export_experience", _("Expérience à l'export")
    LEGAL_FORM = "legal_form", _("Forme juridique")
    IS_DIASPORA = "is_diaspora", _("Membre de la diaspora")
    GENDER = "gender", _("Genre")
    EDUCATION = "education", _("Niveau d'études")
    ENVIRONMENTAL_COMMITMENT = "has_environmental_commitment", _("Engagement environnemental renseigné")


class CriterionOperator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    GT = "gt", ">"
    LT = "lt", "<"
    EQ = "eq", "="
    NE = "ne", "≠"
    IN = "in", _("parmi")
    NOT_IN = "not_in", _("hors de")
    IS_TRUE = "true", _("est vrai")
    IS_FALSE = "false", _("est faux")


class EligibilityCriterion(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="criteria")
    field = models.CharField(_("champ"), max_length=32, choices=CriterionField.choices)
    operator = models.CharField(_("opérateur"), max_length=8, choices=CriterionOperator.choices)
    value = models.CharField(
        _("valeur"), max_length=250, blank=True, help_text=_("Plusieurs valeurs séparées par des virgules pour « parmi ».")
    )
    label = models.CharField(_("libellé"), max_length=250)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("critère d'éligibilité")
        verbose_name_plural = _("critères d'éligibilité")
        ordering = ["cohort", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class RubricCriterion(models.Model):
    cohort = models.ForeignKey(Cohort, verbose_name=_("cohorte"), on_delete=models.CASCADE, related_name="rubric")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200)
    guidance = models.TextField(_("consignes"), blank=True)
    weight = models.DecimalField(_("pondération"), max_digits=5, decimal_places=2, default=Decimal("1"))
    max_score = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère de notation")
        verbose_name_plural = _("grille de notation")
        ordering = ["cohort", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "code"], name="rubric_code_unique_per_cohort"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="rubric_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="rubric_max_score_positive"),
        ]

    def __str__(self) -> str:
        return self.label


__all__ = [
    "Cohort",
    "CohortQuerySet",
    "CriterionField",
    "CriterionOperator",
    "Currency",
    "EligibilityCriterion",
    "Level",
    "Objective",
    "Programme",
    "ProgrammeMembership",
    "ProgrammePartner",
    "ProgrammePartnerRole",
    "ProgrammeQuerySet",
    "RubricCriterion",
    "XOF_PER_EUR",
    "to_eur",
    "to_eur_expression",
]
