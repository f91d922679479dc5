"""Writes on trips, visas and partnerships. A partnership's stage only changes through
`partnership_stage_change`, which dates and attributes every move."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Partnership, PartnershipStage, PartnershipStageChange


@transaction.atomic
def partnership_stage_change(
    *,
    partnership: Partnership,
    to_stage: str,
    by: User | None = None,
    on: datetime.date | None = None,
    note: str = "",
) -> PartnershipStageChange:
    on = on or timezone.localdate()
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_stage == locked.stage:
        raise ValidationError(_("Le partenariat est déjà à cette étape."), code="same_stage")
    if to_stage not in PartnershipStage.values:
        raise ValidationError(_("Étape inconnue."), code="unknown_stage")
    if on < locked.stage_changed_on:
        raise ValidationError(
            _("La date d'un changement d'étape ne peut précéder le précédent (%(date)s).")
            % {"date": locked.stage_changed_on.strftime("%d/%m/%Y")},
            code="date_before_previous",
        )
    change = PartnershipStageChange.objects.create(
        partnership=locked, from_stage=locked.stage, to_stage=to_stage, changed_on=on, by=by, note=note
    )
    locked.stage = to_stage
    locked.stage_changed_on = on
    locked._change_reason = note or f"{change.from_stage} → {to_stage}"
    locked.save(update_fields=["stage", "stage_changed_on"])
    partnership.stage, partnership.stage_changed_on = locked.stage, locked.stage_changed_on
    return change


@transaction.atomic
def partnership_create(
    *,
    application,
    organisation,
    type: str,
    started_on: datetime.date,
    by: User | None = None,
    description: str = "",
    meeting=None,
) -> Partnership:
    """Open a partnership at the prospect stage and record that first stage."""
    partnership = Partnership(
        application=application,
        organisation=organisation,
        type=type,
        stage=PartnershipStage.PROSPECT,
        started_on=started_on,
        stage_changed_on=started_on,
        description=description,
        meeting=meeting,
    )
    partnership.full_clean()
    partnership.save()
    PartnershipStageChange.objects.create(
        partnership=partnership, from_stage="", to_stage=PartnershipStage.PROSPECT, changed_on=started_on, by=by
    )
    return partnership
