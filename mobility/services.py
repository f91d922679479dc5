"""Writes on trips, visas and partnerships. A partnership's stage only changes through
`partnership_stage_change`, which dates and attributes every move and asks a reason for a move back,
to dormant or to ended; its transactions, documents and support needs are written here too."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Currency
from cohorts.services.apply import document_checked
from core.storage import stored_row_delete, stored_row_save, upload_name_clean
from partners.models import Organisation, OrganisationKind

from .models import (
    Partnership,
    PartnershipDocument,
    PartnershipStage,
    PartnershipStageChange,
    PartnershipTransaction,
    ReferralOutcome,
    SupportNeed,
    SupportNeedStatus,
)

#: The forward order of the pipeline; a move to an earlier stage of it is a move back.
STAGE_ORDER = (
    PartnershipStage.PROSPECT,
    PartnershipStage.DISCUSSION,
    PartnershipStage.AGREEMENT,
    PartnershipStage.FIRST_TRANSACTION,
    PartnershipStage.ACTIVE,
)
#: Stages that close or pause a partnership: reaching them needs a reason too.
STAGES_NEEDING_REASON = (PartnershipStage.DORMANT, PartnershipStage.ENDED)


def stage_change_needs_reason(from_stage: str, to_stage: str) -> bool:
    if to_stage in STAGES_NEEDING_REASON:
        return True
    if from_stage in STAGE_ORDER and to_stage in STAGE_ORDER:
        return STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage)
    return False


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
    note = note.strip()
    if not note and stage_change_needs_reason(locked.stage, to_stage):
        if to_stage in STAGES_NEEDING_REASON:
            message = _("Mettre un partenariat en sommeil ou le terminer demande un motif.")
        else:
            message = _("Revenir à une étape antérieure (%(from)s → %(to)s) demande un motif.") % {
                "from": PartnershipStage(locked.stage).label,
                "to": PartnershipStage(to_stage).label,
            }
        raise ValidationError(message, code="reason_required")
    if on > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future")
    if on < locked.stage_changed_on:
        raise ValidationError(
            _("La date d'un changement d'étape ne peut précéder le précédent (%(date)s).")
            % {"date": date_format(locked.stage_changed_on, "SHORT_DATE_FORMAT")},
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


@transaction.atomic
def partnership_transaction_add(
    *,
    partnership: Partnership,
    kind: str,
    occurred_on: datetime.date,
    value: Decimal,
    currency: str,
    description: str = "",
    by: User | None = None,
) -> PartnershipTransaction:
    """Record a contract, an order or an investment, in euros or CFA francs (the database computes the
    euro value at the fixed parity); never negative, never before the partnership started."""
    errors = {}
    if currency not in Currency.values:
        errors["currency"] = _("Devise inconnue : seuls l'euro (EUR) et le franc CFA (XOF) sont acceptés.")
    if value is None or value < 0:
        errors["value"] = _("Le montant ne peut pas être négatif.")
    if occurred_on < partnership.started_on:
        errors["occurred_on"] = _("La date ne peut précéder le début du partenariat (%(date)s).") % {
            "date": date_format(partnership.started_on, "SHORT_DATE_FORMAT")
        }
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("La date ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors, code="invalid_transaction")
    row = PartnershipTransaction(
        partnership=partnership, kind=kind, occurred_on=occurred_on, value=value, currency=currency, description=description
    )
    row.full_clean(exclude=["value_eur"])
    row.save()
    return row


def partnership_jobs_set(*, partnership: Partnership, jobs_created: int, by: User | None = None) -> Partnership:
    """The jobs the partnership created, as last reported."""
    if jobs_created is None or jobs_created < 0:
        raise ValidationError({"jobs_created": _("Le nombre d'emplois ne peut pas être négatif.")}, code="negative")
    partnership.jobs_created = jobs_created
    partnership._change_reason = _("Emplois créés : %(n)s") % {"n": jobs_created}
    partnership.save(update_fields=["jobs_created"])
    return partnership


@transaction.atomic
def partnership_document_add(*, partnership: Partnership, kind: str, title: str, upload, by: User | None) -> PartnershipDocument:
    """Store an agreement, a contract... under the rules of every private document (document_checked)."""
    content_type, stored, sha256 = document_checked(upload)
    document = PartnershipDocument(
        partnership=partnership,
        kind=kind,
        title=title.strip() or (upload.name or "document")[:200],
        original_name=upload_name_clean(upload.name),
        content_type=content_type,
        size=stored.size,
        sha256=sha256,
        uploaded_by=by,
    )
    stored_row_save(document, "file", stored)  # upload_to gives a random name
    return document


@transaction.atomic
def partnership_document_remove(*, document: PartnershipDocument, by: User | None) -> None:
    """Remove a document; its file is deleted once the removal is committed."""
    stored_row_delete(document, "file")


#: The organisations a need may be referred to: support and promotion agencies (ADEPME, APIX), public
#: bodies, incubators and business associations (OVO).
REFERRAL_KINDS = (
    OrganisationKind.SUPPORT_AGENCY,
    OrganisationKind.PUBLIC_BODY,
    OrganisationKind.INCUBATOR,
    OrganisationKind.BUSINESS_ASSOCIATION,
)


def support_need_record(*, partnership: Partnership, kind: str, description: str = "", by: User | None = None) -> SupportNeed:
    need = SupportNeed(
        application_id=partnership.application_id, partnership=partnership, kind=kind, description=description.strip()
    )
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def support_need_refer(
    *, need: SupportNeed, organisation: Organisation, on: datetime.date, by: User | None = None
) -> SupportNeed:
    """Refer a need to an organisation on a date; its outcome is pending until recorded."""
    locked = SupportNeed.objects.select_for_update().get(pk=need.pk)
    if organisation.kind not in REFERRAL_KINDS:
        raise ValidationError(
            {
                "organisation": _(
                    "Un besoin s'oriente vers une agence d'appui, un organisme public, un incubateur ou une association."
                )
            },
            code="not_a_support_organisation",
        )
    if on > timezone.localdate():
        raise ValidationError({"referred_on": _("La date ne peut pas être dans le futur.")}, code="future")
    if on < timezone.localdate(locked.created_at):
        raise ValidationError(
            {
                "referred_on": _("La date ne peut précéder celle du besoin (%(date)s).")
                % {"date": date_format(timezone.localdate(locked.created_at), "SHORT_DATE_FORMAT")}
            },
            code="before_need",
        )
    locked.referred_to, locked.referred_on = organisation, on
    locked.status = SupportNeedStatus.REFERRED
    locked.outcome, locked.outcome_note, locked.outcome_on = ReferralOutcome.PENDING, "", None
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def support_need_outcome_record(
    *, need: SupportNeed, outcome: str, on: datetime.date, note: str = "", by: User | None = None
) -> SupportNeed:
    """What came of a referral: support received resolves the need; not eligible or no answer leaves it
    referred (it may be referred elsewhere)."""
    locked = SupportNeed.objects.select_for_update().get(pk=need.pk)
    if locked.referred_to_id is None:
        raise ValidationError(_("Ce besoin n'a pas encore été orienté."), code="not_referred")
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Résultat inconnu.")}, code="unknown_outcome")
    if on > timezone.localdate():
        raise ValidationError({"outcome_on": _("La date ne peut pas être dans le futur.")}, code="future")
    if locked.referred_on and on < locked.referred_on:
        raise ValidationError(
            {
                "outcome_on": _("La date ne peut précéder l'orientation (%(date)s).")
                % {"date": date_format(locked.referred_on, "SHORT_DATE_FORMAT")}
            },
            code="before_referral",
        )
    locked.outcome, locked.outcome_note, locked.outcome_on = outcome, note.strip(), on
    locked.status = SupportNeedStatus.RESOLVED if outcome == ReferralOutcome.RECEIVED else SupportNeedStatus.REFERRED
    locked.full_clean()
    locked.save()
    return locked
