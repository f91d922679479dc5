"""Reads on visa files: a file's checklist, the staff board of a cohort, and the decision figures
(refusal rate, median days from submission to decision) that the board and the indicators share."""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.access import get_for_user_or_404
from cohorts.models import Application, ApplicationStatus, Cohort
from core.bilingual import Text, text_in
from partners.models import Organisation

from .models import (
    VISA_AWAITING_DECISION,
    VISA_CHECKLIST,
    VISA_DECIDED,
    InvitationLetter,
    TripStatus,
    VisaDocument,
    VisaDocumentKind,
    VisaFile,
    VisaRequirement,
    VisaStatus,
    VisaStatusChange,
)

# --------------------------------------------------------------------------------------------------
# Decisions: one definition for the board and the indicators
# --------------------------------------------------------------------------------------------------


@dataclass
class VisaDecisions:
    granted: int = 0
    refused: int = 0
    #: refused / (granted + refused), in percent, one decimal; None before any decision.
    refusal_rate: Decimal | None = None
    #: median of the days from submission to the (last) decision, one decimal.
    median_days: Decimal | None = None
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def decided(self) -> int:
        return self.granted + self.refused


def _finish(decisions: VisaDecisions) -> VisaDecisions:
    if decisions.decided:
        rate = Decimal(decisions.refused) / Decimal(decisions.decided) * 100
        decisions.refusal_rate = rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if decisions.days:
        decisions.median_days = Decimal(str(statistics.median(decisions.days))).quantize(Decimal("0.1"))
    return decisions


def visa_decisions(files: QuerySet[VisaFile], *, group_by: str | None = None) -> dict:
    """Granted, refused, refusal rate and median days to decision of `files`, in one query: for all of
    them under the key None, or per value of `group_by` (a field path such as "consulate" or
    "application__cohort"). A file under appeal waits for its second decision and is not counted."""
    columns = ["status", "submitted_on", "decision_on"] + ([group_by] if group_by else [])
    rows = files.filter(status__in=VISA_DECIDED).order_by().values_list(*columns)
    result: dict = defaultdict(VisaDecisions)
    for row in rows:
        status, submitted, decision = row[:3]
        decisions = result[row[3] if group_by else None]
        if status == VisaStatus.GRANTED:
            decisions.granted += 1
        else:
            decisions.refused += 1
        if submitted and decision:
            decisions.days.append((decision - submitted).days)
    if group_by is None and None not in result:
        result[None] = VisaDecisions()
    return {key: _finish(value) for key, value in result.items()}


# --------------------------------------------------------------------------------------------------
# Checklist
# --------------------------------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    kind: str
    label: str
    required: bool
    instructions: Text
    documents: list = field(default_factory=list)

    @property
    def is_missing(self) -> bool:
        return self.required and not any(d.is_received or d.file for d in self.documents)


def requirements_of(programme_id: int) -> list[VisaRequirement]:
    return list(VisaRequirement.objects.filter(programme_id=programme_id).order_by("position", "kind"))


def checklist_lines(requirements: list[VisaRequirement], consulate_id: int | None) -> list[tuple[str, bool, Text]]:
    """(kind, required, instructions) of a file at `consulate_id`: the consulate's own lines, else the
    general lines of the kind; a programme without any line asks for the standard checklist."""
    if not requirements:
        return [(kind, True, Text("")) for kind in VISA_CHECKLIST]
    chosen: dict[str, VisaRequirement] = {}
    for requirement in requirements:
        if requirement.consulate_id is None:
            chosen.setdefault(requirement.kind, requirement)
    for requirement in requirements:
        if consulate_id is not None and requirement.consulate_id == consulate_id:
            chosen[requirement.kind] = requirement
    ordered = sorted(chosen.values(), key=lambda r: (r.position, r.kind))
    return [(r.kind, r.is_required, text_in(r, "instructions")) for r in ordered]


def visa_checklist(*, visa_file: VisaFile, documents: list[VisaDocument] | None = None) -> list[ChecklistItem]:
    """The file's checklist with its documents under each line (documents of another kind last)."""
    if documents is None:
        documents = list(visa_file.documents.select_related("uploaded_by").order_by("kind", "pk"))
    labels = dict(VisaDocumentKind.choices)
    lines = checklist_lines(requirements_of(visa_file.application.cohort.programme_id), visa_file.consulate_id)
    items = [ChecklistItem(kind, str(labels[kind]), required, instructions) for kind, required, instructions in lines]
    by_kind = {item.kind: item for item in items}
    for document in documents:
        item = by_kind.get(document.kind)
        if item is None:
            item = by_kind[document.kind] = ChecklistItem(document.kind, str(labels[document.kind]), False, Text(""))
            items.append(item)
        item.documents.append(document)
    return items


def visa_file_for_page(*, pk: int, user) -> VisaFile:
    """The file, for staff and its entrepreneur only (anyone else: 404)."""
    return get_for_user_or_404(
        VisaFile.objects.select_related("application__entrepreneur", "application__cohort__programme", "consulate"),
        user,
        pk=pk,
    )


def visa_letters(*, visa_file: VisaFile) -> list[InvitationLetter]:
    return list(visa_file.invitation_letters.select_related("invitation__organisation").order_by("-requested_at"))


# --------------------------------------------------------------------------------------------------
# The staff board
# --------------------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    application: Application
    visa_file: VisaFile | None
    missing: list[str]
    late: list[str]
    next_departure: datetime.date | None


def _late(visa_file: VisaFile | None, next_departure, today: datetime.date) -> list[str]:
    reasons = []
    status = visa_file.status if visa_file else None
    if visa_file is not None and status in VISA_AWAITING_DECISION:
        since = visa_file.appeal_on if status == VisaStatus.APPEAL else visa_file.submitted_on
        if since and (today - since).days > settings.VISA_DECISION_LATE_DAYS:
            reasons.append(_("Sans décision depuis %(days)s jours") % {"days": (today - since).days})
    if (
        visa_file is not None
        and visa_file.appointment_on
        and visa_file.appointment_on < today
        and status in (VisaStatus.PREPARING, VisaStatus.SUBMITTED)
    ):
        reasons.append(_("Rendez-vous du %(date)s passé") % {"date": visa_file.appointment_on.strftime("%d/%m/%Y")})
    if (
        next_departure is not None
        and (next_departure - today).days <= settings.VISA_TRAVEL_SOON_DAYS
        and status != VisaStatus.GRANTED
    ):
        reasons.append(_("Départ le %(date)s, visa non accordé") % {"date": next_departure.strftime("%d/%m/%Y")})
    return reasons


def visa_board(*, cohort: Cohort, today: datetime.date) -> dict:
    """Who is at which step, what is missing, what is late, for the selected entrepreneurs of a cohort
    (and anyone else with a visa file in it); counts per step; decisions per cohort and per consulate.
    Five queries whatever the number of files: applications with their file and next departure,
    documents received, the programme's checklist, decisions per cohort, decisions per consulate."""
    applications = list(
        Application.objects.filter(cohort=cohort)
        .filter(Q(status=ApplicationStatus.SELECTED) | Q(visa_file__isnull=False))
        .select_related("entrepreneur", "visa_file__consulate")
        .annotate(
            next_departure=Min("trips__departs_on", filter=Q(trips__status=TripStatus.PLANNED, trips__departs_on__gte=today))
        )
        .order_by("entrepreneur__last_name", "entrepreneur__first_name", "pk")
    )
    received: dict[int, set[str]] = defaultdict(set)
    for visa_file_id, kind in (
        VisaDocument.objects.filter(visa_file__application__cohort=cohort)
        .filter(Q(is_received=True) | ~Q(file=""))
        .order_by()
        .values_list("visa_file_id", "kind")
    ):
        received[visa_file_id].add(kind)
    requirements = requirements_of(cohort.programme_id)
    labels = dict(VisaDocumentKind.choices)
    rows, steps = [], Counter()
    for application in applications:
        visa_file = getattr(application, "visa_file", None)
        if visa_file is None:
            missing = []
            steps[""] += 1
        else:
            lines = checklist_lines(requirements, visa_file.consulate_id)
            missing = [str(labels[kind]) for kind, required, _text in lines if required and kind not in received[visa_file.pk]]
            steps[visa_file.status] += 1
        rows.append(
            BoardRow(
                application=application,
                visa_file=visa_file,
                missing=missing,
                late=_late(visa_file, application.next_departure, today),
                next_departure=application.next_departure,
            )
        )
    counts = [(str(label), steps.get(value, 0), value) for value, label in VisaStatus.choices]
    counts.append((_("Pas de dossier"), steps.get("", 0), ""))
    programme_files = VisaFile.objects.filter(application__cohort__programme_id=cohort.programme_id)
    by_cohort = visa_decisions(programme_files, group_by="application__cohort")
    by_consulate = visa_decisions(programme_files, group_by="consulate")
    cohort_names = dict(Cohort.objects.filter(pk__in=list(by_cohort)).values_list("pk", "name"))
    consulate_names = dict(Organisation.objects.filter(pk__in=[k for k in by_consulate if k]).values_list("pk", "name"))
    return {
        "rows": rows,
        "counts": counts,
        "late": sum(1 for row in rows if row.late),
        "by_cohort": sorted(((cohort_names.get(k, "?"), v) for k, v in by_cohort.items()), key=lambda item: str(item[0])),
        "by_consulate": sorted(
            ((consulate_names.get(k) or _("Consulat non renseigné"), v) for k, v in by_consulate.items()),
            key=lambda item: str(item[0]),
        ),
    }


def visa_status_for_coach(*, application: Application) -> dict | None:
    """What a coach may know of an assigned entrepreneur's visa: the step and the dates of the timeline.
    Read as plain values, so that no passport field nor document is even loaded."""
    status = VisaFile.objects.filter(application=application).values("pk", "status").first()
    if status is None:
        return None
    labels = dict(VisaStatus.choices)
    steps = VisaStatusChange.objects.filter(visa_file_id=status["pk"]).order_by("changed_on", "pk")
    return {
        "label": labels.get(status["status"], ""),
        "steps": [(labels.get(to, ""), on) for to, on in steps.values_list("to_status", "changed_on")],
    }
