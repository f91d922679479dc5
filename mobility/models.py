"""The trip and what follows it: mobility plans, visa files, trips and economic missions, invitations
to Belgian companies, B2B meetings, partnerships and their stages, follow-up check-ins and support."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role
from cohorts.models import Application, ApplicationStatus, Currency, PartnershipType, Programme, to_eur_expression
from cohorts.models.programmes import COMPARISON_MONTHS as PROGRAMME_COMPARISON_MONTHS
from core.bilingual import plain_text_in
from core.fields import EncryptedTextField
from core.jobs import Job
from core.links import link_nonce_new
from core.meeting_time import meeting_time
from core.storage import private_storage
from partners.models import Entrepreneur, Organisation, OrganisationContact


class ApplicationScopedQuerySet(models.QuerySet):
    """Rows that belong to an application are visible to whoever may see the application."""

    application_path = "application"

    def for_user(self, user):
        return self.filter(**{f"{self.application_path}__in": Application.objects.for_user(user)})


class PersonalDataQuerySet(models.QuerySet):
    """Visa files hold passport numbers and scans: only staff and the entrepreneur themself, never the
    coaches or reviewers who may otherwise see the application."""

    application_path = "application"

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.STAFF):
            return self
        return self.filter(**{f"{self.application_path}__entrepreneur__user": user})


class VisaDocumentQuerySet(PersonalDataQuerySet):
    application_path = "visa_file__application"


# --------------------------------------------------------------------------------------------------
# Mobility plan
# --------------------------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis")
    CHANGES_REQUESTED = "changes", _("À revoir")
    VALIDATED = "validated", _("Validé")


class MobilityPlan(models.Model):
    application = models.OneToOneField(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="mobility_plan"
    )
    objectives = models.TextField(_("objectifs de la mobilité"), blank=True)
    agenda_wishes = models.TextField(_("souhaits d'agenda"), blank=True)
    sectors = models.JSONField(_("secteurs visés"), default=list, blank=True, help_text=_("Valeurs de la liste des secteurs."))
    preferred_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    preferred_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    coach_comment = models.TextField(_("commentaire du coach"), blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    entrepreneur_may_invite = models.BooleanField(
        _("l'entrepreneur·e peut envoyer les invitations"),
        default=False,
        help_text=_("Décidé par l'équipe : sinon, seule l'équipe invite les entreprises visées."),
    )
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("validé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ApplicationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan de mobilité")
        verbose_name_plural = _("plans de mobilité")

    def __str__(self) -> str:
        return str(self.application)


class TargetPartner(models.Model):
    plan = models.ForeignKey(MobilityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("entreprise belge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targeted_by",
    )
    name = models.CharField(_("nom (si absente de la base)"), max_length=200, blank=True)
    reason = models.TextField(_("pourquoi ce partenaire"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priorité"), default=1)

    class Meta:
        verbose_name = _("partenaire visé")
        verbose_name_plural = _("partenaires visés")
        ordering = ["plan", "priority"]
        constraints = [models.CheckConstraint(condition=Q(organisation__isnull=False) | ~Q(name=""), name="target_partner_named")]

    def __str__(self) -> str:
        return str(self.organisation or self.name)


# --------------------------------------------------------------------------------------------------
# Visa
# --------------------------------------------------------------------------------------------------


class VisaStatus(models.TextChoices):
    PREPARING = "preparing", _("En préparation")
    SUBMITTED = "submitted", _("Déposé")
    APPOINTMENT = "appointment", _("Rendez-vous passé")
    GRANTED = "granted", _("Accordé")
    REFUSED = "refused", _("Refusé")
    APPEAL = "appeal", _("Recours introduit")
    WITHDRAWN = "withdrawn", _("Retiré")


#: The timeline of a visa file: from each status, the statuses it may move to. A refusal may be
#: appealed; the appeal ends granted or refused again. Withdrawn and granted are final.
VISA_TRANSITIONS: dict[str, tuple[str, ...]] = {
    VisaStatus.PREPARING: (VisaStatus.SUBMITTED, VisaStatus.WITHDRAWN),
    VisaStatus.SUBMITTED: (VisaStatus.APPOINTMENT, VisaStatus.GRANTED, VisaStatus.REFUSED, VisaStatus.WITHDRAWN),
    VisaStatus.APPOINTMENT: (VisaStatus.GRANTED, VisaStatus.REFUSED, VisaStatus.WITHDRAWN),
    VisaStatus.REFUSED: (VisaStatus.APPEAL,),
    VisaStatus.APPEAL: (VisaStatus.GRANTED, VisaStatus.REFUSED, VisaStatus.WITHDRAWN),
    VisaStatus.GRANTED: (),
    VisaStatus.WITHDRAWN: (),
}
#: Waiting for the consulate: submitted, appointment held, or an appeal lodged.
VISA_AWAITING_DECISION = (VisaStatus.SUBMITTED, VisaStatus.APPOINTMENT, VisaStatus.APPEAL)
VISA_DECIDED = (VisaStatus.GRANTED, VisaStatus.REFUSED)


def passport_number_masked(number: str) -> str:
    """The one way a passport number is shown anywhere (pages, admin, exports): its last four
    characters, enough to recognise it on the phone with its holder, not enough to misuse it."""
    if not number:
        return "—"
    return f"•••• {number[-4:]}" if len(number) > 5 else "••••"


class RefusalReason(models.TextChoices):
    MEANS = "means", _("Moyens de subsistance insuffisants")
    PURPOSE = "purpose", _("Objet du séjour non justifié")
    RETURN = "return", _("Doute sur l'intention de retour")
    DOCUMENTS = "documents", _("Documents incomplets ou non valables")
    SIS = "sis", _("Signalement SIS")
    OTHER = "other", _("Autre")


def visa_scan_path(instance, filename: str) -> str:
    return f"visa/{uuid.uuid4().hex}"


class VisaFile(models.Model):
    """A Schengen business-visa file. Passport number and scan are sensitive personal data:
    encrypted in the database, stored privately, shown only through permission-checked views."""

    application = models.OneToOneField(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="visa_file"
    )
    passport_number = EncryptedTextField(_("numéro de passeport"), blank=True)
    passport_expires_on = models.DateField(_("expiration du passeport"), null=True, blank=True)
    passport_scan = models.FileField(
        _("scan du passeport"), upload_to=visa_scan_path, storage=private_storage, blank=True, max_length=255
    )
    agency = models.ForeignKey(
        Organisation, verbose_name=_("agence visa"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consulate = models.ForeignKey(
        Organisation,
        verbose_name=_("ambassade ou consulat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visa_files",
        limit_choices_to={"kind": "embassy"},
    )
    status = models.CharField(_("statut"), max_length=16, choices=VisaStatus.choices, default=VisaStatus.PREPARING, db_index=True)
    submitted_on = models.DateField(_("date de dépôt"), null=True, blank=True)
    appointment_on = models.DateField(_("date du rendez-vous"), null=True, blank=True)
    decision_on = models.DateField(_("date de la décision"), null=True, blank=True)
    appeal_on = models.DateField(_("recours introduit le"), null=True, blank=True)
    refusal_reason = models.CharField(_("motif du refus"), max_length=16, choices=RefusalReason.choices, blank=True)
    refusal_details = models.TextField(_("détails du refus"), blank=True)
    valid_from = models.DateField(_("visa valable du"), null=True, blank=True)
    valid_until = models.DateField(_("visa valable jusqu'au"), null=True, blank=True)
    documents_purged_on = models.DateField(
        _("pièces effacées le"),
        null=True,
        blank=True,
        help_text=_("Passeport et pièces du dossier effacés au terme de la durée de conservation."),
    )

    history = HistoricalRecords(excluded_fields=["passport_number"])
    objects = PersonalDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier visa")
        verbose_name_plural = _("dossiers visa")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True) | Q(submitted_on__isnull=True) | Q(decision_on__gte=F("submitted_on")),
                name="visa_decision_after_submission",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["granted", "refused"]) | (Q(decision_on__isnull=False) & Q(submitted_on__isnull=False)),
                name="visa_decided_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_on__isnull=False), name="visa_submitted_has_date"
            ),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""), name="visa_refusal_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="appointment") | (Q(appointment_on__isnull=False) & Q(submitted_on__isnull=False)),
                name="visa_appointment_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="appeal")
                | (Q(appeal_on__isnull=False) & Q(decision_on__isnull=False) & ~Q(refusal_reason="")),
                name="visa_appeal_after_refusal",
            ),
            models.CheckConstraint(
                condition=Q(appointment_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(appointment_on__gte=F("submitted_on")),
                name="visa_appointment_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(appeal_on__isnull=True) | (Q(submitted_on__isnull=False) & Q(appeal_on__gte=F("submitted_on"))),
                name="visa_appeal_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="visa_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Visa')} – {self.application.entrepreneur}"

    @property
    def passport_number_masked(self) -> str:
        return passport_number_masked(self.passport_number)

    @property
    def next_statuses(self) -> list[str]:
        return list(VISA_TRANSITIONS.get(self.status, ()))

    @property
    def processing_days(self) -> int | None:
        if self.submitted_on and self.decision_on:
            return (self.decision_on - self.submitted_on).days
        return None


class VisaDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passeport")
    INVITATION = "invitation", _("Lettre d'invitation d'une entreprise belge")
    MEANS = "means", _("Preuve de moyens de subsistance")
    COMPANY = "company", _("Documents de l'entreprise")
    INSURANCE = "insurance", _("Assurance voyage")
    MOBILITY_PLAN = "mobility_plan", _("Plan de mobilité")
    OTHER = "other", _("Autre")


#: The checklist every visa file starts with.
VISA_CHECKLIST = [
    VisaDocumentKind.PASSPORT,
    VisaDocumentKind.INVITATION,
    VisaDocumentKind.MEANS,
    VisaDocumentKind.COMPANY,
    VisaDocumentKind.INSURANCE,
    VisaDocumentKind.MOBILITY_PLAN,
]


class VisaDocument(models.Model):
    visa_file = models.ForeignKey(VisaFile, verbose_name=_("dossier visa"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("pièce"), max_length=16, choices=VisaDocumentKind.choices)
    is_received = models.BooleanField(_("reçue"), default=False)
    received_on = models.DateField(_("reçue le"), null=True, blank=True)
    file = models.FileField(_("fichier"), upload_to=visa_scan_path, storage=private_storage, blank=True, max_length=255)
    note = models.CharField(_("note"), max_length=250, blank=True)
    original_name = models.CharField(_("nom du fichier déposé"), max_length=255, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), null=True, blank=True)

    objects = VisaDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pièce du dossier visa")
        verbose_name_plural = _("pièces du dossier visa")
        ordering = ["visa_file", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_received=False) | Q(received_on__isnull=False), name="visa_document_received_dated"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class VisaStatusChange(models.Model):
    """One move of a visa file along its timeline, with the date it happened (not the date it was typed)."""

    visa_file = models.ForeignKey(
        VisaFile, verbose_name=_("dossier visa"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("de"), max_length=16, choices=VisaStatus.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=16, choices=VisaStatus.choices)
    changed_on = models.DateField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("étape du dossier visa")
        verbose_name_plural = _("étapes du dossier visa")
        ordering = ["visa_file", "changed_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="visa_change_changes_status")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '∅'} → {self.get_to_status_display()} ({self.changed_on})"


class VisaRequirement(models.Model):
    """One line of a programme's visa checklist, for one consulate or (consulate empty) for all of them.
    A file's checklist is its programme's lines for its consulate, a consulate's own line replacing the
    general line of the same kind."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="visa_requirements"
    )
    consulate = models.ForeignKey(
        Organisation,
        verbose_name=_("ambassade ou consulat"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visa_requirements",
        limit_choices_to={"kind": "embassy"},
        help_text=_("Vide : pour tous les consulats."),
    )
    kind = models.CharField(_("pièce"), max_length=16, choices=VisaDocumentKind.choices)
    is_required = models.BooleanField(_("obligatoire"), default=True)
    instructions = models.TextField(_("consignes"), blank=True, help_text=_("Montrées à l'entrepreneur·e à côté de la pièce."))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("pièce demandée pour le visa")
        verbose_name_plural = _("pièces demandées pour le visa")
        ordering = ["programme", "position", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "consulate", "kind"],
                condition=Q(consulate__isnull=False),
                name="visa_requirement_one_per_consulate",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind"], condition=Q(consulate__isnull=True), name="visa_requirement_one_general"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


def invitation_letter_path(instance, filename: str) -> str:
    return f"visa/{uuid.uuid4().hex}"


#: The reason a letter job ends without a file: its visa file's documents were purged meanwhile.
LETTER_FILE_PURGED_CODE = "visa_file_purged"


class InvitationLetter(Job):
    """A PDF invitation letter drawn from an invitation a Belgian company accepted, made by a worker and
    attached to the entrepreneur's visa file as an invitation document."""

    job_task = "mobility.tasks_visa.invitation_letter_run"

    visa_file = models.ForeignKey(
        VisaFile, verbose_name=_("dossier visa"), on_delete=models.CASCADE, related_name="invitation_letters"
    )
    invitation = models.OneToOneField("Invitation", verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="letter")
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    document = models.OneToOneField(
        VisaDocument,
        verbose_name=_("pièce jointe au dossier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter",
    )

    class Meta:
        verbose_name = _("lettre d'invitation")
        verbose_name_plural = _("lettres d'invitation")
        ordering = ["-requested_at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-requested_at", "-id"], name="invitationletter_list_order")]

    def __str__(self) -> str:
        return f"{_('Lettre')} – {self.invitation.organisation}"

    @property
    def error_display(self) -> str:
        if self.error == LETTER_FILE_PURGED_CODE:
            return str(_("Les pièces du dossier ont été effacées au terme de leur conservation : aucune lettre n'y est ajoutée."))
        return super().error_display


# --------------------------------------------------------------------------------------------------
# Trips, invitations and B2B meetings
# --------------------------------------------------------------------------------------------------


class EconomicMission(models.Model):
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="missions")
    title = models.CharField(_("intitulé"), max_length=200)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    cities = models.CharField(_("villes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mission économique")
        verbose_name_plural = _("missions économiques")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="mission_dates_in_order")]

    def __str__(self) -> str:
        return plain_text_in(self, "title")  # the reader's language, or the other one named (menus, filters, admin)


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    COMPLETED = "completed", _("Effectué")
    CANCELLED = "cancelled", _("Annulé")


class TripScopedQuerySet(ApplicationScopedQuerySet):
    application_path = "trip__application"


class TripQuerySet(ApplicationScopedQuerySet):
    def travelled(self):
        return self.filter(status=TripStatus.COMPLETED)


class Trip(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="trips")
    mission = models.ForeignKey(
        EconomicMission,
        verbose_name=_("mission économique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trips",
    )
    departs_on = models.DateField(_("départ"))
    returns_on = models.DateField(_("retour"))
    cities = models.CharField(_("villes"), max_length=200, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=TripStatus.choices, default=TripStatus.PLANNED, db_index=True)

    objects = TripQuerySet.as_manager()

    class Meta:
        verbose_name = _("voyage")
        verbose_name_plural = _("voyages")
        ordering = ["-departs_on"]
        # The staff trip list and the admin changelist, latest departure first: read from this index.
        indexes = [models.Index(fields=["-departs_on", "-id"], name="trip_list_order")]
        constraints = [models.CheckConstraint(condition=Q(returns_on__gte=F("departs_on")), name="trip_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.application.entrepreneur} – {self.departs_on:%d/%m/%Y}"


class InvitationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SENT = "sent", _("Envoyée")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")
    OTHER_SLOT = "other_slot", _("Autre créneau proposé")
    REFERRED = "referred", _("Transmise à un·e collègue")
    EXPIRED = "expired", _("Sans réponse")


#: The answers a company gives (the invitation is then answered: its link is used up).
ANSWERED_STATUSES = (
    InvitationStatus.ACCEPTED,
    InvitationStatus.DECLINED,
    InvitationStatus.OTHER_SLOT,
    InvitationStatus.REFERRED,
)

#: The languages in which a Belgian company reads its invitation, its page and its reminders.
INVITATION_LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]


def new_invitation_token() -> str:
    """Kept for migration 0001 only: links are now signed by core.links (Invitation.link_nonce)."""
    return link_nonce_new()


class DeclineReason(models.TextChoices):
    UNAVAILABLE = "unavailable", _("Pas de disponibilité pendant ces dates")
    STRATEGY = "strategy", _("Ne correspond pas à notre stratégie actuelle")
    NO_WEST_AFRICA = "no_west_africa", _("Pas d'activité avec l'Afrique de l'Ouest pour le moment")
    TOO_LATE = "too_late", _("Demande reçue trop tard")
    OTHER = "other", _("Autre raison")


class Invitation(models.Model):
    """An invitation from a Senegalese company to a Belgian company, answered by personal link."""

    trip = models.ForeignKey(Trip, verbose_name=_("voyage"), on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("entreprise belge"), on_delete=models.PROTECT, related_name="invitations"
    )
    contact = models.ForeignKey(
        OrganisationContact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail du destinataire"))
    language = models.CharField(_("langue"), max_length=8, choices=INVITATION_LANGUAGES, default="fr")
    #: Carried by the personal link (core.links); a new nonce when the invitation is sent again retires older links.
    link_nonce = models.CharField(_("nonce du lien"), max_length=32, default=link_nonce_new, editable=False)
    message = models.TextField(_("message"), blank=True)
    proposed_at = models.DateTimeField(_("créneau proposé par l'entreprise sénégalaise"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.DRAFT, db_index=True
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    counter_proposal_at = models.DateTimeField(_("créneau proposé en retour"), null=True, blank=True)
    decline_reason = models.CharField(_("motif du refus"), max_length=16, choices=DeclineReason.choices, blank=True)
    decline_details = models.TextField(_("précisions sur le refus"), blank=True)
    chosen_slot = models.ForeignKey(
        "InvitationSlot", verbose_name=_("créneau choisi"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_name = models.CharField(_("collègue désigné·e"), max_length=200, blank=True)
    referred_email = models.EmailField(_("e-mail du ou de la collègue"), blank=True)
    referred_from = models.ForeignKey(
        "self",
        verbose_name=_("transmise par l'invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TripScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        # The staff invitation list and the admin changelist, latest sent first: read from this index.
        indexes = [models.Index(fields=["-sent_at", "-id"], name="invitation_list_order")]
        constraints = [
            # A company is invited once per trip; the colleague it names gets an invitation of their own.
            models.UniqueConstraint(
                fields=["trip", "organisation"],
                condition=Q(referred_from__isnull=True),
                name="invitation_one_per_trip_and_company",
            ),
            models.UniqueConstraint(fields=["trip", "email"], name="invitation_one_per_trip_and_email"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="invitation_at_most_two_reminders"),
            models.CheckConstraint(condition=~Q(status="referred") | ~Q(referred_email=""), name="invitation_referral_has_email"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | (Q(sent_at__isnull=False) & Q(answered_at__gte=F("sent_at"))),
                name="invitation_answered_after_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "declined", "other_slot", "referred"]) | Q(answered_at__isnull=False),
                name="invitation_answer_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trip.application.entrepreneur} → {self.organisation}"


#: Where B2B meetings happen (Belgium) and, for the odd online or Dakar meeting, Senegal.
MEETING_TIME_ZONES = [("Europe/Brussels", _("Heure de Bruxelles")), ("Africa/Dakar", _("Heure de Dakar"))]


class MeetingOutcome(models.TextChoices):
    NO_INTEREST = "no_interest", _("Pas d'intérêt")
    INFORMATION = "information", _("Échange d'informations")
    FOLLOW_UP = "follow_up", _("Suite à donner")
    PARTNERSHIP = "partnership", _("Partenariat engagé")


class InterestLevel(models.TextChoices):
    NONE = "none", _("Aucun")
    LOW = "low", _("Faible")
    MEDIUM = "medium", _("Moyen")
    HIGH = "high", _("Fort")


class NextStepOwner(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("L'entrepreneur·e")
    COMPANY = "company", _("L'entreprise belge")
    PROGRAMME = "programme", _("L'équipe du programme")


class B2BMeeting(models.Model):
    trip = models.ForeignKey(Trip, verbose_name=_("voyage"), on_delete=models.CASCADE, related_name="meetings")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("entreprise belge"), on_delete=models.PROTECT, related_name="b2b_meetings"
    )
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date et heure"))
    ends_at = models.DateTimeField(_("fin"))
    #: The zone of the place where the meeting happens (B2B meetings are in Belgium: Brussels time);
    #: starts_at and ends_at are instants, shown in this zone with Dakar time beside them.
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, choices=MEETING_TIME_ZONES, default="Europe/Brussels")
    city = models.CharField(_("ville"), max_length=100, blank=True)
    place = models.CharField(_("lieu"), max_length=250, blank=True, help_text=_("Adresse ou salle du rendez-vous."))
    outcome = models.CharField(_("résultat"), max_length=16, choices=MeetingOutcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    contact = models.ForeignKey(
        OrganisationContact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="b2b_meetings",
    )
    attendees = models.TextField(_("participants"), blank=True, help_text=_("Qui participe, de part et d'autre."))
    # After the meeting: how interested the Belgian company was and what happens next (who, by when).
    interest_level = models.CharField(_("niveau d'intérêt"), max_length=8, choices=InterestLevel.choices, blank=True)
    next_step = models.TextField(_("prochaine étape"), blank=True)
    next_step_owner = models.CharField(
        _("responsable de la prochaine étape"), max_length=16, choices=NextStepOwner.choices, blank=True
    )
    next_step_due = models.DateField(_("échéance de la prochaine étape"), null=True, blank=True)

    objects = TripScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous B2B")
        verbose_name_plural = _("rendez-vous B2B")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            # "No interest" is one fact, told by two fields: they never disagree.
            models.CheckConstraint(
                condition=~Q(outcome="no_interest") | Q(interest_level__in=["", "none"]), name="meeting_no_interest_agrees"
            ),
            models.CheckConstraint(
                condition=~Q(interest_level="none") | Q(outcome__in=["", "no_interest"]), name="meeting_none_interest_agrees"
            ),
        ]
        # The meeting lists read in date order, 50 at a time.
        indexes = [models.Index(fields=["starts_at", "id"], name="meeting_date_order")]

    def __str__(self) -> str:
        return f"{self.organisation} – {meeting_time(self.starts_at)}"


class InvitationSlot(models.Model):
    """A time proposed to the Belgian company (one to three per invitation); the slot it accepts becomes
    a B2B meeting on the trip's agenda."""

    invitation = models.ForeignKey(Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, choices=MEETING_TIME_ZONES, default="Europe/Brussels")

    class Meta:
        verbose_name = _("créneau proposé")
        verbose_name_plural = _("créneaux proposés")
        ordering = ["invitation", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="invitation_slot_ends_after_start"),
            models.UniqueConstraint(fields=["invitation", "starts_at"], name="invitation_slot_unique_start"),
        ]

    def __str__(self) -> str:
        return meeting_time(self.starts_at)


# --------------------------------------------------------------------------------------------------
# Trip costs
# --------------------------------------------------------------------------------------------------


class TripCostCategory(models.TextChoices):
    FLIGHT = "flight", _("Billet d'avion")
    PER_DIEM = "per_diem", _("Per diem")
    LODGING = "lodging", _("Hébergement")
    VISA_FEES = "visa_fees", _("Frais de visa")
    INSURANCE = "insurance", _("Assurance")
    OTHER = "other", _("Autre")


class TripCost(models.Model):
    """One cost of a trip, in the currency it was paid in; its euro amount is computed by the database
    at the programme's fixed parity, as every other amount of the platform."""

    trip = models.ForeignKey(Trip, verbose_name=_("voyage"), on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("catégorie"), max_length=16, choices=TripCostCategory.choices)
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    amount_eur = models.GeneratedField(
        expression=to_eur_expression("amount", "currency"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("montant (EUR)"),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    objects = TripScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("coût du voyage")
        verbose_name_plural = _("coûts du voyage")
        ordering = ["trip", "category", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="trip_cost_positive")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount} {self.currency}"


# --------------------------------------------------------------------------------------------------
# Partnerships and follow-up
# --------------------------------------------------------------------------------------------------


class PartnershipStage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    DISCUSSION = "discussion", _("En discussion")
    AGREEMENT = "agreement", _("Accord signé")
    FIRST_TRANSACTION = "first_transaction", _("Première transaction")
    ACTIVE = "active", _("Actif")
    DORMANT = "dormant", _("En sommeil")
    ENDED = "ended", _("Terminé")


#: Stages at which a partnership counts as alive for the persistence indicators.
LIVE_STAGES = (PartnershipStage.AGREEMENT, PartnershipStage.FIRST_TRANSACTION, PartnershipStage.ACTIVE)


class Partnership(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partenaire belge"), on_delete=models.PROTECT, related_name="partnerships"
    )
    type = models.CharField(_("type"), max_length=16, choices=PartnershipType.choices)
    stage = models.CharField(
        _("étape"), max_length=20, choices=PartnershipStage.choices, default=PartnershipStage.PROSPECT, db_index=True
    )
    stage_changed_on = models.DateField(_("étape depuis le"), default=timezone.localdate)
    started_on = models.DateField(_("début"), default=timezone.localdate)
    description = models.TextField(_("description"), blank=True)
    #: Jobs the partnership created at the entrepreneur's company, as last reported (check-ins report them too).
    jobs_created = models.PositiveIntegerField(_("emplois créés"), default=0)
    meeting = models.ForeignKey(
        B2BMeeting,
        verbose_name=_("issu du rendez-vous"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
    )

    history = HistoricalRecords()
    objects = ApplicationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("partenariat")
        verbose_name_plural = _("partenariats")
        ordering = ["-stage_changed_on"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-stage_changed_on", "-id"], name="partnership_list_order")]
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation", "type"], name="partnership_unique"),
            models.CheckConstraint(condition=Q(stage_changed_on__gte=F("started_on")), name="partnership_stage_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.application.entrepreneur} × {self.organisation} ({self.get_type_display()})"


class PartnershipStageChange(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("de"), max_length=20, choices=PartnershipStage.choices, blank=True)
    to_stage = models.CharField(_("vers"), max_length=20, choices=PartnershipStage.choices)
    changed_on = models.DateField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["partnership", "changed_on", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stage_change_changes_stage")]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or '∅'} → {self.get_to_stage_display()} ({self.changed_on})"


class TransactionKind(models.TextChoices):
    CONTRACT = "contract", _("Contrat")
    ORDER = "order", _("Commande")
    INVESTMENT = "investment", _("Investissement")


class PartnershipTransaction(models.Model):
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="transactions"
    )
    kind = models.CharField(_("type"), max_length=16, choices=TransactionKind.choices)
    occurred_on = models.DateField(_("date"))
    value = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    # Computed by the database from the value and currency, as an expense's euro amount is.
    value_eur = models.GeneratedField(
        expression=to_eur_expression("value", "currency"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("montant (EUR)"),
    )
    description = models.CharField(_("objet"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-occurred_on"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-occurred_on", "-id"], name="transaction_list_order")]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="transaction_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} {self.currency}"


class CheckInStatus(models.TextChoices):
    PENDING = "pending", _("À faire")
    DONE = "done", _("Réalisé")
    MISSED = "missed", _("Sans réponse")


#: Follow-up milestones after the trip, in months, when a programme sets none (Programme.check_in_months).
CHECK_IN_MONTHS = (1, 3, 6, 12)
#: The comparison group (eligible, not selected) is asked at these months only.
COMPARISON_MONTHS = PROGRAMME_COMPARISON_MONTHS
#: The comparison group: applicants screened eligible whose non-selection is final (not selected, or left
#: on the waiting list once the travel window has ended), who agreed to be asked. ONE definition, used by
#: the follow-up scheduling and sending and by reporting's contribution figures.
COMPARISON_STATUSES = (ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


def comparison_condition(prefix: str = "") -> Q:
    """Applications of the comparison group (`prefix` to reach the application from another model)."""
    return Q(**{f"{prefix}status__in": COMPARISON_STATUSES, f"{prefix}follow_up_consent": True})


class CheckInGroup(models.TextChoices):
    PARTICIPANT = "participant", _("Participant·e")
    COMPARISON = "comparison", _("Groupe de comparaison (éligible, non retenu·e)")


class FollowUpCheckIn(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="check_ins"
    )
    months_after = models.PositiveSmallIntegerField(_("mois après le voyage"))
    due_on = models.DateField(_("échéance"))
    #: The date the months count from: the return from the trip (participants) or the end of the
    #: cohort's travel window (comparison group).
    anchor = models.DateField(_("compté à partir du"), null=True, blank=True)
    group = models.CharField(
        _("groupe"), max_length=16, choices=CheckInGroup.choices, default=CheckInGroup.PARTICIPANT, db_index=True
    )
    status = models.CharField(_("statut"), max_length=16, choices=CheckInStatus.choices, default=CheckInStatus.PENDING)
    sent_at = models.DateTimeField(_("questionnaire envoyé le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    completed_on = models.DateField(_("réalisé le"), null=True, blank=True)
    contracts_signed = models.PositiveSmallIntegerField(_("contrats signés"), default=0)
    orders_count = models.PositiveSmallIntegerField(_("commandes"), default=0)
    orders_value_eur = models.DecimalField(_("valeur des commandes (EUR)"), max_digits=14, decimal_places=2, default=0)
    jobs_created = models.PositiveSmallIntegerField(_("emplois créés"), default=0)
    # The questions asked alike of participants and of the comparison group (eligible, not selected):
    # unknown (None) until answered.
    has_belgian_partner = models.BooleanField(_("partenariat avec une entreprise belge"), null=True, blank=True)
    exports_to_europe = models.BooleanField(_("exporte vers l'Europe"), null=True, blank=True)
    support_request = models.TextField(_("besoins d'appui exprimés"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ApplicationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("suivi post-mobilité")
        verbose_name_plural = _("suivis post-mobilité")
        ordering = ["application", "months_after"]
        # The staff follow-up page, by due date either way (and FollowUpCheckInAdmin.ordering).
        indexes = [models.Index(fields=["due_on", "id"], name="followupcheckin_list_order")]
        constraints = [
            models.UniqueConstraint(fields=["application", "months_after"], name="check_in_one_per_milestone"),
            models.CheckConstraint(condition=Q(months_after__gte=1), name="check_in_months_positive"),
            models.CheckConstraint(condition=~Q(status="done") | Q(completed_on__isnull=False), name="check_in_done_dated"),
            models.CheckConstraint(condition=Q(orders_value_eur__gte=0), name="check_in_value_not_negative"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="check_in_at_most_two_reminders"),
        ]

    def __str__(self) -> str:
        return f"+{self.months_after} {_('mois')} – {self.application.entrepreneur}"


class SupportNeedKind(models.TextChoices):
    FEASIBILITY = "feasibility", _("Étude de faisabilité")
    LEGAL = "legal", _("Appui juridique")
    FINANCE = "finance", _("Accès au financement")
    MARKET = "market", _("Information sur le marché")
    # Was "regulatory" (standards and regulation) before the pipeline: the migration maps it here.
    CERTIFICATION = "certification", _("Certification")
    OTHER = "other", _("Autre")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("En attente")
    RECEIVED = "received", _("Appui reçu")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
    NO_ANSWER = "no_answer", _("Sans réponse")


class SupportNeedStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    REFERRED = "referred", _("Orienté")
    RESOLVED = "resolved", _("Résolu")


class SupportNeed(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="support_needs"
    )
    check_in = models.ForeignKey(
        FollowUpCheckIn, verbose_name=_("suivi"), on_delete=models.SET_NULL, null=True, blank=True, related_name="support_needs"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partenariat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_needs",
    )
    kind = models.CharField(_("besoin"), max_length=16, choices=SupportNeedKind.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=SupportNeedStatus.choices, default=SupportNeedStatus.OPEN)
    referred_to = models.ForeignKey(
        Organisation, verbose_name=_("orienté vers"), on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    referred_on = models.DateField(_("orienté le"), null=True, blank=True)
    #: What came of the referral (blank until referred).
    outcome = models.CharField(_("résultat de l'orientation"), max_length=16, choices=ReferralOutcome.choices, blank=True)
    outcome_note = models.CharField(_("précision sur le résultat"), max_length=500, blank=True)
    outcome_on = models.DateField(_("résultat connu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = ApplicationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin d'appui")
        verbose_name_plural = _("besoins d'appui")
        ordering = ["-created_at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-created_at", "-id"], name="supportneed_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="referred") | (Q(referred_to__isnull=False) & Q(referred_on__isnull=False)),
                name="support_need_referral_complete",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(referred_to__isnull=False), name="support_need_outcome_after_referral"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# --------------------------------------------------------------------------------------------------
# Partnership pipeline: agreements and other documents of a partnership
# --------------------------------------------------------------------------------------------------


class PartnershipDocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Accord de partenariat")
    CONTRACT = "contract", _("Contrat")
    OTHER = "other", _("Autre document")


class PartnershipScopedQuerySet(ApplicationScopedQuerySet):
    application_path = "partnership__application"


def partnership_document_path(instance: "PartnershipDocument", filename: str) -> str:
    # Random name: the original name is kept in a field and never used on disk.
    return f"partnerships/{instance.partnership_id}/{uuid.uuid4().hex}"


class PartnershipDocument(models.Model):
    """A signed agreement, a contract...: stored privately, checked by content as application documents
    are (cohorts.services.apply), downloaded only through a permission-checking view."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("type de document"), max_length=16, choices=PartnershipDocumentKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=partnership_document_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de partenariat")
        verbose_name_plural = _("documents de partenariat")
        ordering = ["partnership", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=10 * 1024 * 1024), name="partnership_document_max_10mb"),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="partnership_document_allowed_types",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.title}"


# --------------------------------------------------------------------------------------------------
# Follow-up questionnaires: the entrepreneur's answers per partnership, the Belgian partner's check-in
# by personal link, and the stage changes those answers propose to staff
# --------------------------------------------------------------------------------------------------


class CheckInPartnershipAnswer(models.Model):
    """What the entrepreneur said of one partnership in a check-in."""

    check_in = models.ForeignKey(
        FollowUpCheckIn, verbose_name=_("suivi"), on_delete=models.CASCADE, related_name="partnership_answers"
    )
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="check_in_answers"
    )
    still_going = models.BooleanField(_("le partenariat continue"))
    stage = models.CharField(_("étape selon l'entrepreneur·e"), max_length=20, choices=PartnershipStage.choices)
    signed = models.BooleanField(_("accord signé"), default=False)
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    transactions_value = models.DecimalField(_("valeur des transactions"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("devise"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    transactions_value_eur = models.GeneratedField(
        expression=to_eur_expression("transactions_value", "currency"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("valeur des transactions (EUR)"),
    )
    jobs_created = models.PositiveSmallIntegerField(_("emplois créés"), default=0)

    class Meta:
        verbose_name = _("réponse sur un partenariat")
        verbose_name_plural = _("réponses sur les partenariats")
        ordering = ["check_in", "partnership"]
        constraints = [
            models.UniqueConstraint(fields=["check_in", "partnership"], name="check_in_answer_one_per_partnership"),
            models.CheckConstraint(condition=Q(transactions_value__gte=0), name="check_in_answer_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.check_in} – {self.partnership.organisation}"


class PartnerLanguage(models.TextChoices):
    FR = "fr", "Français"
    NL = "nl", "Nederlands"
    EN = "en", "English"


class PartnerCheckIn(models.Model):
    """The Belgian partner's short questionnaire, answered through a personal link without an account."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="partner_check_ins"
    )
    email = models.EmailField(_("e-mail du contact"))
    language = models.CharField(_("langue"), max_length=2, choices=PartnerLanguage.choices, default=PartnerLanguage.FR)
    months_after = models.PositiveSmallIntegerField(_("mois après le voyage"))
    due_on = models.DateField(_("échéance"))
    link_nonce = models.CharField(_("nonce du lien"), max_length=32, default=link_nonce_new, editable=False)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    still_going = models.BooleanField(_("le partenariat continue"), null=True, blank=True)
    stage = models.CharField(_("étape selon le partenaire"), max_length=20, choices=PartnershipStage.choices, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("suivi du partenaire belge")
        verbose_name_plural = _("suivis des partenaires belges")
        ordering = ["due_on", "pk"]
        # The staff follow-up page (partner side) and the admin changelist, by due date.
        indexes = [models.Index(fields=["due_on", "id"], name="partnercheckin_list_order")]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "months_after"], name="partner_check_in_one_per_milestone"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="partner_check_in_at_most_two_reminders"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(still_going__isnull=False), name="partner_check_in_answer_complete"
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.months_after} {_('mois')} – {self.partnership.organisation}"


class StageProposalStatus(models.TextChoices):
    PENDING = "pending", _("À décider")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class StageProposal(models.Model):
    """A stage change that a check-in answer suggests ("we signed"); staff accept it (the partnership
    then moves, attributed to them and dated the answer's date) or reject it."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partenariat"), on_delete=models.CASCADE, related_name="stage_proposals"
    )
    to_stage = models.CharField(_("étape proposée"), max_length=20, choices=PartnershipStage.choices)
    check_in = models.ForeignKey(
        FollowUpCheckIn,
        verbose_name=_("suivi de l'entrepreneur·e"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_proposals",
    )
    partner_check_in = models.ForeignKey(
        PartnerCheckIn,
        verbose_name=_("suivi du partenaire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_proposals",
    )
    answered_on = models.DateField(_("date de la réponse"))
    #: The day the entrepreneur says the agreement was signed: the accepted change is dated then, not on
    #: the answer's day (persistence at +6/+12 months counts from it).
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=StageProposalStatus.choices, default=StageProposalStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("décidé par"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement d'étape proposé")
        verbose_name_plural = _("changements d'étape proposés")
        ordering = ["-answered_on", "-pk"]
        indexes = [
            # The follow-up page lists the pending proposals, oldest answer first: read from this index.
            models.Index(fields=["status", "answered_on", "id"], name="stageproposal_pending_order"),
            # The admin changelist, latest answer first.
            models.Index(fields=["-answered_on", "-id"], name="stageproposal_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_in__isnull=False, partner_check_in__isnull=True)
                | Q(check_in__isnull=True, partner_check_in__isnull=False),
                name="stage_proposal_one_source",
            ),
            models.UniqueConstraint(fields=["partnership", "check_in"], name="stage_proposal_one_per_check_in"),
            models.UniqueConstraint(fields=["partnership", "partner_check_in"], name="stage_proposal_one_per_partner_check_in"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False), name="stage_proposal_decision_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} → {self.get_to_stage_display()}"

    @property
    def source_label(self) -> str:
        return str(_("l'entrepreneur·e") if self.check_in_id else _("le partenaire belge"))


# --------------------------------------------------------------------------------------------------
# Personal data: retention, a person's export, anonymisation
# --------------------------------------------------------------------------------------------------


class RetentionRun(Job):
    """One day's pass of the retention rule: passport numbers and scans and the visa file's documents
    are deleted a set number of days after the return from the trip, or after a visa refusal. The row
    records what was deleted (staff see the runs on the personal-data page)."""

    job_task = "mobility.tasks_privacy.retention_run"
    job_max_attempts = 5

    run_on = models.DateField(_("jour"), unique=True)
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    visa_files_purged = models.PositiveIntegerField(_("dossiers visa effacés"), default=0)
    files_deleted = models.PositiveIntegerField(_("fichiers supprimés"), default=0)

    class Meta:
        verbose_name = _("passage de la règle de conservation")
        verbose_name_plural = _("passages de la règle de conservation")
        ordering = ["-run_on"]

    def __str__(self) -> str:
        return f"{_('Conservation')} {self.run_on:%d/%m/%Y}"


def personal_export_path(instance, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.zip"


class PersonalDataExport(Job):
    """All the data the platform holds on one person, as a zip (data.json and their files), prepared by
    a worker on their request and downloadable by them only, for a week."""

    job_task = "mobility.tasks_privacy.personal_data_export_run"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    file = models.FileField(_("fichier"), upload_to=personal_export_path, storage=private_storage, blank=True, max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    expires_at = models.DateTimeField(_("disponible jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("export de données personnelles")
        verbose_name_plural = _("exports de données personnelles")
        ordering = ["-requested_at"]
        # The admin changelist's order (newest first, then the id): read from this index, not sorted.
        indexes = [models.Index(fields=["-requested_at", "-id"], name="personaldataexport_list_order")]

    def __str__(self) -> str:
        return f"{_('Export')} {self.requested_at:%d/%m/%Y %H:%M}"


class Anonymisation(models.Model):
    """A person anonymised by staff: who did it, when and why. The categories the indicators count
    (gender, age band, education, country, company, statuses, dates) stay; names, contacts, passport,
    documents and free texts go."""

    entrepreneur = models.OneToOneField(
        Entrepreneur, verbose_name=_("entrepreneur·e"), on_delete=models.CASCADE, related_name="anonymisation"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("le"), auto_now_add=True)
    reason = models.TextField(_("motif"))
    files_deleted = models.PositiveIntegerField(_("fichiers supprimés"), default=0)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-done_at"]
        # The personal-data page's latest anonymisations and the admin changelist.
        indexes = [models.Index(fields=["-done_at", "-id"], name="anonymisation_list_order")]

    def __str__(self) -> str:
        return f"{_('Anonymisation')} #{self.entrepreneur_id}"
