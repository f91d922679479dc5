"""The programme's governance: its steering committee (members, meetings, attendance) and the incubators' sub-projects."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partners.models import Company, Organisation

from .programmes import Programme

# --------------------------------------------------------------------------------------------------
# Steering committee and incubator sub-projects
# --------------------------------------------------------------------------------------------------


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Présidence")
    MEMBER = "member", _("Membre")
    OBSERVER = "observer", _("Observateur")


class CommitteeMembership(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="committee_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="committee_memberships"
    )
    role = models.CharField(_("rôle"), max_length=16, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    representative = models.CharField(_("représentant·e"), max_length=200, blank=True)
    joined_on = models.DateField(_("depuis"), null=True, blank=True)
    left_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre du comité de pilotage")
        verbose_name_plural = _("comité de pilotage")
        ordering = ["programme", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="committee_member_unique"),
            models.UniqueConstraint(fields=["programme"], condition=Q(role="chair"), name="committee_one_chair_per_programme"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="committee_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class CommitteeMeeting(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="committee_meetings"
    )
    held_on = models.DateField(_("date"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("réunion du comité de pilotage")
        verbose_name_plural = _("réunions du comité de pilotage")
        ordering = ["-held_on"]
        constraints = [models.UniqueConstraint(fields=["programme", "held_on"], name="committee_meeting_one_per_day")]

    def __str__(self) -> str:
        return f"COPIL {self.held_on:%d/%m/%Y}"


class CommitteeAttendance(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        CommitteeMembership, verbose_name=_("membre"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("présent"), default=True)

    class Meta:
        verbose_name = _("présence au comité")
        verbose_name_plural = _("présences au comité")
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="committee_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.membership.organisation} @ {self.meeting}"


class SubProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    ONGOING = "ongoing", _("En cours")
    COMPLETED = "completed", _("Terminé")
    CANCELLED = "cancelled", _("Annulé")


class IncubatorSubProject(models.Model):
    """A joint sub-project of Senegalese and Belgian incubators (meso level)."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sub_projects")
    title = models.CharField(_("intitulé"), max_length=200)
    sector = models.CharField(_("secteur"), max_length=16, choices=Company._meta.get_field("sector").choices)
    lead = models.ForeignKey(
        Organisation, verbose_name=_("incubateur chef de file"), on_delete=models.PROTECT, related_name="led_sub_projects"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("incubateurs partenaires"), related_name="sub_projects", blank=True
    )
    supported_companies = models.ManyToManyField(
        Company, verbose_name=_("entreprises accompagnées"), related_name="sub_projects", blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=SubProjectStatus.choices, default=SubProjectStatus.PLANNED)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sous-projet d'incubateurs")
        verbose_name_plural = _("sous-projets d'incubateurs")
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="sub_project_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(budget_eur__gte=0), name="sub_project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


__all__ = [
    "CommitteeAttendance",
    "CommitteeMeeting",
    "CommitteeMembership",
    "CommitteeRole",
    "IncubatorSubProject",
    "SubProjectStatus",
]
