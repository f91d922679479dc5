"""Writes on the mobility plan: the entrepreneur drafts it (objectives, Belgian companies they aim at,
chosen from those on record or proposed by name, sectors, the dates they can travel) and submits it; a
coach assigned to them comments and approves it, or sends it back with a comment."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_queue
from accounts.models import User
from coaching.models import CoachAssignment
from coaching.services import coach_is_assigned
from cohorts.models import Application
from partners.models import Organisation, OrganisationKind, Sector

from .models import MobilityPlan, PlanStatus, TargetPartner

EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)
MAX_TARGETS = 10


@dataclass(frozen=True)
class TargetSpec:
    organisation_id: int | None = None
    name: str = ""
    reason: str = ""


def _owned(application: Application, user: User) -> None:
    if application.entrepreneur.user_id != user.pk:
        raise PermissionDenied


@transaction.atomic
def mobility_plan_save(
    *,
    application: Application,
    by: User,
    objectives: str,
    agenda_wishes: str,
    sectors: list[str],
    preferred_from: datetime.date | None,
    preferred_until: datetime.date | None,
    targets: list[TargetSpec],
) -> MobilityPlan:
    """The entrepreneur's draft, saved whole (targets replaced in the given order of priority)."""
    _owned(application, by)
    plan, _created = MobilityPlan.objects.select_for_update().get_or_create(application=application)
    if plan.status not in EDITABLE:
        raise ValidationError(_("Ce plan est soumis ou validé : il ne se modifie plus."))
    errors = {}
    if set(sectors) - set(Sector.values):
        errors["sectors"] = _("Secteur inconnu.")
    if preferred_from and preferred_until and preferred_until < preferred_from:
        errors["preferred_until"] = _("La fin de la période doit venir après son début.")
    targets = [t for t in targets if t.organisation_id or t.name.strip()]
    if len(targets) > MAX_TARGETS:
        errors["targets"] = _("Au plus %(n)s entreprises visées.") % {"n": MAX_TARGETS}
    known = set(
        Organisation.objects.filter(
            kind=OrganisationKind.BELGIAN_COMPANY, pk__in=[t.organisation_id for t in targets if t.organisation_id]
        ).values_list("pk", flat=True)
    )
    if any(t.organisation_id and t.organisation_id not in known for t in targets):
        errors["targets"] = _("Une des entreprises choisies n'est pas une entreprise belge connue.")
    if errors:
        raise ValidationError(errors)
    plan.objectives, plan.agenda_wishes, plan.sectors = objectives.strip(), agenda_wishes.strip(), list(sectors)
    plan.preferred_from, plan.preferred_until = preferred_from, preferred_until
    plan.save()
    plan.targets.all().delete()
    TargetPartner.objects.bulk_create(
        [
            TargetPartner(
                plan=plan,
                organisation_id=t.organisation_id,
                name="" if t.organisation_id else t.name.strip(),
                reason=t.reason.strip(),
                priority=n,
            )
            for n, t in enumerate(targets, start=1)
        ]
    )
    return plan


@transaction.atomic
def mobility_plan_submit(*, plan: MobilityPlan, by: User) -> MobilityPlan:
    _owned(plan.application, by)
    plan = MobilityPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in EDITABLE:
        raise ValidationError(_("Ce plan est déjà soumis."))
    missing = []
    if not plan.objectives:
        missing.append(_("les objectifs"))
    if not plan.targets.exists():
        missing.append(_("au moins une entreprise visée"))
    if missing:
        raise ValidationError(
            _("Avant de soumettre, indiquez %(missing)s.") % {"missing": _(" et ").join(str(m) for m in missing)}
        )
    plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    for assignment in CoachAssignment.objects.filter(application=plan.application, ended_on__isnull=True).select_related(
        "coach__user"
    ):
        coach = assignment.coach
        email_queue(to=coach.user.email, user=coach.user, template="plan_submitted", context={"plan": plan, "coach": coach})
    return plan


@transaction.atomic
def mobility_plan_review(*, plan: MobilityPlan, by: User, approve: bool, comment: str) -> MobilityPlan:
    """A coach assigned to the entrepreneur approves the submitted plan, or sends it back (a comment is
    then required)."""
    plan = MobilityPlan.objects.select_for_update(of=("self",)).select_related("application__entrepreneur__user").get(pk=plan.pk)
    if not hasattr(by, "coach") or not coach_is_assigned(coach=by.coach, application=plan.application):
        raise PermissionDenied
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Seul un plan soumis se valide ou se renvoie."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Dites à l'entrepreneur·e ce qu'il faut revoir.")})
    plan.coach_comment = comment
    if approve:
        plan.status, plan.validated_at, plan.validated_by = PlanStatus.VALIDATED, timezone.now(), by
    else:
        plan.status = PlanStatus.CHANGES_REQUESTED
    plan.save()
    entrepreneur = plan.application.entrepreneur
    email_queue(
        to=entrepreneur.email,
        user=entrepreneur.user,
        template="plan_reviewed",
        context={"plan": plan, "approved": approve},
    )
    return plan
