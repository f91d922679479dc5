"""Writes on applications and their support: every change of state goes through here, dated and
attributed, so that the history can be audited and the time spent in each stage measured."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..eligibility import application_profile, failed_criteria
from ..models import APPLICATION_TRANSITIONS, Application, ApplicationStatus, ApplicationTransition


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_status: str,
    by: User | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ApplicationTransition:
    """Move an application to `to_status` if the state machine allows it, and record the move.

    The row is locked first so that two concurrent moves cannot both start from the same status.
    """
    at = at or timezone.now()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    if to_status not in APPLICATION_TRANSITIONS.get(from_status, set()):
        raise ValidationError(
            _("Une candidature ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label},
            code="invalid_transition",
        )
    locked.status = to_status
    locked.status_changed_at = at
    update_fields = ["status", "status_changed_at", "updated_at"]
    if to_status == ApplicationStatus.SUBMITTED and locked.submitted_at is None:
        locked.submitted_at = at
        update_fields.append("submitted_at")
    if to_status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE):
        locked.is_eligible = to_status == ApplicationStatus.ELIGIBLE
        locked.eligibility_checked_at = at
        update_fields += ["is_eligible", "eligibility_checked_at"]
    locked._change_reason = note or f"{from_status} → {to_status}"
    locked.save(update_fields=update_fields)
    for field in update_fields:
        setattr(application, field, getattr(locked, field))
    return ApplicationTransition.objects.create(
        application=locked, from_status=from_status, to_status=to_status, at=at, by=by, note=note
    )


@transaction.atomic
def application_screen(*, application: Application, by: User | None = None) -> bool:
    """Evaluate the cohort's active criteria on a submitted application, store the profile and the
    failing criteria, and move it to eligible or ineligible. Returns whether it is eligible."""
    profile = application_profile(application)
    failed = failed_criteria(application.cohort.criteria.filter(is_active=True), profile)
    Application.objects.filter(pk=application.pk).update(profile_snapshot=profile, failed_criteria=failed)
    application.profile_snapshot, application.failed_criteria = profile, failed
    note = _("Critères non remplis : %(labels)s") % {"labels": ", ".join(f["label"] for f in failed)} if failed else ""
    application_transition(
        application=application,
        to_status=ApplicationStatus.INELIGIBLE if failed else ApplicationStatus.ELIGIBLE,
        by=by,
        note=note[:500],
    )
    return not failed
