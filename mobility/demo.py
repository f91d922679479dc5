"""Demo data of the `mobility` app: mobility plans, visa files and checklists, the economic mission of
May 2023, trips, invitations to Belgian companies and their answers, B2B meetings, partnerships with
their dated stages and transactions, follow-up check-ins and support needs. Called by `load_demo`;
writes only `mobility` models, from the applications `cohorts.demo` created."""

import calendar
import datetime
import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cohorts.demo import CALENDAR, HISTORY_REASON, DemoCohorts, demo_pdf
from cohorts.models import Currency, PartnershipType
from core.storage import private_storage
from partners.demo import BRUSSELS, DEMO_DOMAIN, RECORDED_AT, aware
from partners.models import OrganisationContact

from .models import (
    COMPARISON_MONTHS,
    COMPARISON_STATUSES,
    LIVE_STAGES,
    VISA_CHECKLIST,
    B2BMeeting,
    CheckInGroup,
    CheckInPartnershipAnswer,
    CheckInStatus,
    DeclineReason,
    EconomicMission,
    FollowUpCheckIn,
    InterestLevel,
    Invitation,
    InvitationSlot,
    InvitationStatus,
    MeetingOutcome,
    MobilityPlan,
    NextStepOwner,
    PartnerCheckIn,
    Partnership,
    PartnershipDocument,
    PartnershipDocumentKind,
    PartnershipStage,
    PartnershipStageChange,
    PartnershipTransaction,
    PlanStatus,
    ReferralOutcome,
    RefusalReason,
    StageProposal,
    SupportNeed,
    SupportNeedKind,
    SupportNeedStatus,
    TargetPartner,
    TransactionKind,
    Trip,
    TripCost,
    TripCostCategory,
    TripStatus,
    VisaDocument,
    VisaDocumentKind,
    VisaFile,
    VisaRequirement,
    VisaStatus,
    VisaStatusChange,
)

#: How many distinct Belgian companies the travellers met (the evaluation: "about 130").
BELGIAN_COMPANIES_MET = 130
#: Data are recorded up to the end of August 2024; later follow-ups are still to do.
DATA_CUTOFF = datetime.date(2024, 8, 31)
MISSION = (
    {"fr": "Mission économique en Belgique – mai 2023", "en": "Economic mission to Belgium – May 2023"},
    datetime.date(2023, 5, 15),
    datetime.date(2023, 5, 19),
    "Bruxelles, Liège, Anvers",
)

STAGE_PATHS = {
    PartnershipStage.PROSPECT: [["prospect"]],
    PartnershipStage.DISCUSSION: [["prospect", "discussion"]],
    PartnershipStage.AGREEMENT: [["prospect", "discussion", "agreement"]],
    PartnershipStage.FIRST_TRANSACTION: [["prospect", "discussion", "agreement", "first_transaction"]],
    PartnershipStage.ACTIVE: [["prospect", "discussion", "agreement", "first_transaction", "active"]],
    PartnershipStage.DORMANT: [["prospect", "discussion", "dormant"], ["prospect", "discussion", "agreement", "dormant"]],
    PartnershipStage.ENDED: [
        ["prospect", "discussion", "ended"],
        ["prospect", "discussion", "agreement", "first_transaction", "active", "ended"],
    ],
}
STAGE_WEIGHTS = {"prospect": 8, "discussion": 14, "agreement": 10, "first_transaction": 8, "active": 12, "dormant": 8, "ended": 5}
DECLINE_REASONS = [
    (DeclineReason.UNAVAILABLE, "Pas de disponibilité pendant la période proposée."),
    (DeclineReason.STRATEGY, "Le projet ne correspond pas à notre stratégie actuelle."),
    (DeclineReason.NO_WEST_AFRICA, "Nous ne travaillons pas encore avec l'Afrique de l'Ouest."),
    (DeclineReason.TOO_LATE, "Demande transmise trop tard."),
]
REFUSALS = [
    (RefusalReason.MEANS, "Justificatifs de moyens de subsistance jugés insuffisants."),
    (RefusalReason.RETURN, "Doute sur l'intention de retour exprimé par le poste consulaire."),
    (RefusalReason.DOCUMENTS, "Lettre d'invitation non légalisée au moment du dépôt."),
    (RefusalReason.PURPOSE, "Objet du séjour insuffisamment justifié selon le poste."),
    (RefusalReason.MEANS, "Relevés bancaires de l'entreprise incomplets."),
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def load(rng: random.Random, *, demo: DemoCohorts, orgs: dict, people) -> dict:
    staff = people.users[f"equipe@{DEMO_DOMAIN}"]
    mobility_expert = people.users[f"staff3@{DEMO_DOMAIN}"]
    title, start, end, cities = MISSION
    mission = EconomicMission.objects.create(
        programme=demo.programme, title_fr=title["fr"], title_en=title["en"], starts_on=start, ends_on=end, cities=cities
    )

    selected = [(s, a) for s, a in zip(demo.specs, demo.applications) if s["programme"] == "pem-wecco" and s["fate"]]
    movers = [(s, a) for s, a in selected if s["fate"] != "diaspora_partner"]
    schedule = {a.pk: _schedule(rng, s) for s, a in movers}

    companies = list(orgs["belgian_companies"])
    rng.shuffle(companies)
    met_pool, never_met = companies[:BELGIAN_COMPANIES_MET], companies[BELGIAN_COMPANIES_MET:]
    travellers = [(s, a) for s, a in movers if s["fate"] in ("mission", "window")]
    met = _allocate_meetings(rng, travellers, met_pool)

    _plans_create(rng, movers, met, companies, schedule, staff)
    _visas_create(rng, movers, schedule, orgs, met)
    trips = _trips_create(movers, schedule, mission)
    meetings = _invitations_and_meetings(rng, trips, met, companies, never_met, orgs)
    partnerships = _partnerships_create(rng, travellers, selected, meetings, met_pool, mobility_expert)
    _follow_up_create(rng, trips, partnerships, orgs, mobility_expert)
    # Its own random stream: the rows added for [9] leave every figure drawn from `rng` as it was.
    follow_up_rng = random.Random(9012)
    _partner_check_ins_create(follow_up_rng, trips, partnerships, staff)
    _comparison_group_create(follow_up_rng, demo)
    # Costs and meeting details draw from their own generator: the figures above stay as they were.
    _trip_details(random.Random(8), trips)
    _pipeline_create(partnerships, mobility_expert)
    open_invitations_create(rng)
    _comparison_answers_create(demo, partnerships)
    _peer_mentors_create(demo)
    return {"mission": mission, "trips": trips}


def open_invitations_create(rng) -> list[Invitation]:
    """Invitations still waiting for an answer, with proposed slots, for the demo entrepreneur's planned
    trip when there is one (scripts/demo_logins.py prints the link of one, to open the company's page)."""
    trip = (
        Trip.objects.filter(application__entrepreneur__email=f"entrepreneur@{DEMO_DOMAIN}", status=TripStatus.PLANNED)
        .select_related("application")
        .order_by("departs_on")
        .first()
    )
    if trip is None or (trip.returns_on - trip.departs_on).days < 2:
        return []
    invited = set(Invitation.objects.filter(trip=trip).values_list("organisation_id", flat=True))
    plan = MobilityPlan.objects.filter(application=trip.application).first()
    wished = [t.organisation for t in plan.targets.select_related("organisation")] if plan else []
    companies = [c for c in wished if c is not None and c.pk not in invited][:3]
    created = []
    for n, org in enumerate(companies):
        contact = OrganisationContact.objects.filter(organisation=org).order_by("pk").first()
        invitation = Invitation.objects.create(
            trip=trip,
            organisation=org,
            contact=contact,
            email=contact.email if contact else org.email or f"contact{org.pk}@{DEMO_DOMAIN}",
            language=contact.language if contact else "fr",
            message="Nous serions heureux de vous présenter notre entreprise lors de notre séjour en Belgique.",
            status=InvitationStatus.SENT,
            sent_at=aware(datetime.date.today() - datetime.timedelta(days=n + 1), 10),
        )
        for day in (1, 2):
            starts = aware(trip.departs_on + datetime.timedelta(days=day), 9 + 2 * n + rng.choice([0, 1]), tz=BRUSSELS)
            InvitationSlot.objects.create(invitation=invitation, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
        created.append(invitation)
    return created


def _schedule(rng, spec) -> dict:
    """Visa and trip dates of one selected applicant."""
    cal = CALENDAR[("pem-wecco", spec["cohort"])]
    if spec["fate"] == "mission":
        departs, returns = datetime.date(2023, 5, 13), datetime.date(2023, 5, 21)
    else:
        window_start, window_end = cal["travel"]
        departs = window_start + datetime.timedelta(days=rng.randint(7, (window_end - window_start).days - 14))
        returns = departs + datetime.timedelta(days=rng.randint(7, 11))
    submitted = departs - datetime.timedelta(days=rng.randint(40, 60))
    decision = submitted + datetime.timedelta(days=rng.randint(9, 33))
    return {"departs": departs, "returns": returns, "submitted": submitted, "decision": decision}


def _allocate_meetings(rng, travellers, met_pool) -> dict:
    """Every company of the pool meets at least one traveller; each traveller meets 3 to 7 companies."""
    met = {a.pk: [] for _, a in travellers}
    order = [a.pk for _, a in travellers]
    for i, company in enumerate(met_pool):
        met[order[i % len(order)]].append(company)
    for pk in order:
        extra = [c for c in rng.sample(met_pool, 12) if c not in met[pk]]
        met[pk] += extra[: rng.randint(1, 4)]
    return met


def _plans_create(rng, movers, met, companies, schedule, staff) -> None:
    plans, targets = [], []
    for _spec, app in movers:
        when = schedule[app.pk]["submitted"] - datetime.timedelta(days=rng.randint(15, 30))
        plans.append(
            MobilityPlan(
                application=app,
                status=PlanStatus.VALIDATED,
                submitted_at=aware(when, 16),
                validated_at=aware(when + datetime.timedelta(days=4), 11),
                validated_by=staff,
                objectives="Rencontrer des distributeurs et des partenaires techniques ; comprendre les normes du marché belge.",
                agenda_wishes="Rendez-vous groupés par ville ; une visite de site de production.",
            )
        )
    MobilityPlan.objects.bulk_create(plans)
    for plan in plans:
        plan.updated_at = plan.validated_at
    MobilityPlan.objects.bulk_update(plans, ["updated_at"])
    for plan, (_spec, app) in zip(plans, movers):
        wished = (met.get(app.pk) or rng.sample(companies, 3))[:4]
        for priority, org in enumerate(wished, start=1):
            targets.append(
                TargetPartner(plan=plan, organisation=org, priority=priority, reason="Complémentarité d'activité et de marché.")
            )
        targets.append(
            TargetPartner(
                plan=plan,
                name="Fédération professionnelle du secteur (à identifier)",
                priority=len(wished) + 1,
                reason="Piste d'information sur le secteur en Belgique.",
            )
        )
    TargetPartner.objects.bulk_create(targets, batch_size=1000)


def _visas_create(rng, movers, schedule, orgs, met) -> None:
    files, refusals = [], iter(REFUSALS)
    for spec, app in movers:
        s = schedule[app.pk]
        visa = VisaFile(
            application=app,
            passport_number=f"A00{rng.randint(10000, 99999)}",
            passport_expires_on=datetime.date(rng.randint(2026, 2031), rng.randint(1, 12), 1),
            agency=orgs["visa_agency"],
            consulate=orgs["embassy"],
            submitted_on=s["submitted"],
            appointment_on=s["submitted"],
            decision_on=s["decision"],
        )
        if spec["fate"] == "visa_refused":
            reason, details = next(refusals)
            visa.status, visa.refusal_reason, visa.refusal_details = VisaStatus.REFUSED, reason, details
        else:
            visa.status = VisaStatus.GRANTED
            visa.valid_from = s["departs"] - datetime.timedelta(days=3)
            visa.valid_until = s["returns"] + datetime.timedelta(days=15)
        files.append(visa)
    bulk_create_with_history(files, VisaFile, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)
    documents = []
    for visa in files:
        for kind in VISA_CHECKLIST:
            missing = visa.refusal_reason == RefusalReason.DOCUMENTS and kind == VisaDocumentKind.INVITATION
            note = ""
            if kind == VisaDocumentKind.INVITATION and not missing:
                firms = met.get(visa.application_id) or []
                note = f"Lettre de {firms[0].name}"[:250] if firms else "Lettre d'une entreprise belge"
            documents.append(
                VisaDocument(
                    visa_file=visa,
                    kind=kind,
                    is_received=not missing,
                    received_on=None if missing else visa.submitted_on - datetime.timedelta(days=rng.randint(2, 20)),
                    note=note,
                )
            )
    VisaDocument.objects.bulk_create(documents, batch_size=1000)
    _visa_timelines_create(files)
    _visa_requirements_create({visa.application.cohort.programme_id for visa in files}, orgs["embassy"])
    _visa_demo_uploads(files)


def _visa_timelines_create(files) -> None:
    """Each file's steps, dated as the file is (no randomness: the rest of the demo stays as it was)."""
    changes = []
    for visa in files:
        steps = [("", VisaStatus.PREPARING, visa.submitted_on - datetime.timedelta(days=21))]
        steps.append((VisaStatus.PREPARING, VisaStatus.SUBMITTED, visa.submitted_on))
        steps.append((VisaStatus.SUBMITTED, visa.status, visa.decision_on))
        changes += [
            VisaStatusChange(visa_file=visa, from_status=a, to_status=b, changed_on=on, recorded_at=aware(on, 17))
            for a, b, on in steps
        ]
    VisaStatusChange.objects.bulk_create(changes, batch_size=1000)


#: The programme's checklist: (kind, instructions in French, in English).
VISA_REQUIREMENTS = [
    (
        VisaDocumentKind.PASSPORT,
        "Page d'identité, valable 3 mois après le retour.",
        "Identity page, valid 3 months after the return.",
    ),
    (VisaDocumentKind.INVITATION, "Une lettre par entreprise belge rencontrée.", "One letter per Belgian company met."),
    (VisaDocumentKind.MEANS, "Relevés bancaires des trois derniers mois.", "Bank statements of the last three months."),
    (VisaDocumentKind.COMPANY, "NINEA et registre du commerce (RCCM).", "NINEA and trade register (RCCM)."),
    (VisaDocumentKind.INSURANCE, "Couverture de 30 000 € au moins.", "Cover of at least €30,000."),
    (VisaDocumentKind.MOBILITY_PLAN, "Le plan validé par votre coach.", "The plan your coach approved."),
]


def _visa_requirements_create(programme_ids, embassy) -> None:
    rows = [
        VisaRequirement(programme_id=programme_id, kind=kind, position=n, instructions_fr=fr, instructions_en=en)
        for programme_id in sorted(programme_ids)
        for n, (kind, fr, en) in enumerate(VISA_REQUIREMENTS)
    ]
    # The embassy in Dakar asks for the insurance certificate itself, not a quote.
    rows += [
        VisaRequirement(
            programme_id=programme_id,
            consulate=embassy,
            kind=VisaDocumentKind.INSURANCE,
            position=4,
            instructions_fr="Attestation d'assurance (pas un devis), 30 000 € au moins, pour tout le séjour Schengen.",
            instructions_en="Insurance certificate (not a quote), at least €30,000, for the whole Schengen stay.",
        )
        for programme_id in sorted(programme_ids)
    ]
    VisaRequirement.objects.bulk_create(rows)


def _visa_demo_uploads(files) -> None:
    """The demo entrepreneur's file holds real (fictitious) documents to download."""
    from django.core.files.base import ContentFile

    for visa in files:
        entrepreneur = visa.application.entrepreneur
        if entrepreneur.email != f"entrepreneur@{DEMO_DOMAIN}":
            continue
        for kind, name in ((VisaDocumentKind.PASSPORT, "passeport.pdf"), (VisaDocumentKind.MEANS, "releves-bancaires.pdf")):
            content = demo_pdf([f"{VisaDocumentKind(kind).label} – {entrepreneur}", "Document de démonstration : fictif."])
            document = VisaDocument.objects.filter(visa_file=visa, kind=kind).first()
            document.original_name, document.content_type, document.size = name, "application/pdf", len(content)
            document.uploaded_at = aware(document.received_on, 10)
            document.uploaded_by_id = entrepreneur.user_id
            document.file.save("document", ContentFile(content), save=True)


def _trips_create(movers, schedule, mission) -> list[tuple[dict, Trip]]:
    rows = []
    for spec, app in movers:
        if spec["fate"] == "visa_refused":
            continue
        s = schedule[app.pk]
        status = TripStatus.CANCELLED if spec["fate"] == "cancelled" else TripStatus.COMPLETED
        rows.append(
            (
                spec,
                Trip(
                    application=app,
                    mission=mission if spec["fate"] == "mission" else None,
                    departs_on=s["departs"],
                    returns_on=s["returns"],
                    cities=mission.cities if spec["fate"] == "mission" else "Bruxelles",
                    status=status,
                ),
            )
        )
    Trip.objects.bulk_create([trip for _, trip in rows])
    return rows


def _invitations_and_meetings(rng, trips, met, companies, never_met, orgs) -> dict:
    contacts = {}
    for contact in OrganisationContact.objects.filter(organisation__in=companies).order_by("pk"):
        contacts.setdefault(contact.organisation_id, contact)
    invitations, meetings_plan = [], []
    for _spec, trip in trips:
        firms = met.get(trip.application_id, [])
        if trip.status == TripStatus.CANCELLED:
            firms = []
            others = rng.sample(companies, 4)
        else:
            pool = dict.fromkeys(rng.sample(companies, 8) + rng.sample(never_met, 2))
            others = [c for c in pool if c not in firms][: rng.randint(1, 4)]
        trip_cities = set()
        for org in firms:
            day = trip.departs_on + datetime.timedelta(days=rng.randint(1, (trip.returns_on - trip.departs_on).days - 1))
            if trip.mission_id:
                day = min(max(day, MISSION[1]), MISSION[2])
            starts = aware(day, rng.randint(9, 16), rng.choice([0, 30]), tz=BRUSSELS)
            trip_cities.add(org.city)
            invitation = None
            if not (trip.mission_id and rng.random() < 0.3):  # some mission meetings were set up by AWEX/FIT/hub.brussels
                status = InvitationStatus.OTHER_SLOT if rng.random() < 0.2 else InvitationStatus.ACCEPTED
                invitation = _invitation(
                    rng, trip, org, contacts.get(org.pk), status, proposed=starts - datetime.timedelta(days=1)
                )
                if status == InvitationStatus.OTHER_SLOT:
                    invitation.counter_proposal_at = starts
                invitations.append(invitation)
            meetings_plan.append((trip, org, invitation, starts))
        for org in others:
            status = rng.choice([InvitationStatus.DECLINED, InvitationStatus.EXPIRED, InvitationStatus.EXPIRED])
            if trip.status == TripStatus.CANCELLED:
                status = rng.choice([InvitationStatus.ACCEPTED, InvitationStatus.EXPIRED])
            invitations.append(
                _invitation(
                    rng,
                    trip,
                    org,
                    contacts.get(org.pk),
                    status,
                    proposed=aware(trip.departs_on + datetime.timedelta(days=2), 10, tz=BRUSSELS),
                )
            )
        if trip_cities and not trip.mission_id:
            trip.cities = ", ".join(sorted(trip_cities))[:200]
    Trip.objects.bulk_update([t for _, t in trips], ["cities"])
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    meetings = []
    for trip, org, invitation, starts in meetings_plan:
        meetings.append(
            B2BMeeting(
                trip=trip,
                organisation=org,
                invitation=invitation,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=1),
                city=org.city,
                outcome=rng.choice(
                    [MeetingOutcome.NO_INTEREST, MeetingOutcome.INFORMATION, MeetingOutcome.INFORMATION, MeetingOutcome.FOLLOW_UP]
                ),
                notes="Présentation mutuelle des activités ; échange de documentation.",
            )
        )
    B2BMeeting.objects.bulk_create(meetings, batch_size=1000)
    by_app = {}
    for meeting in meetings:
        by_app.setdefault(meeting.trip.application_id, []).append(meeting)
    return by_app


def _invitation(rng, trip, org, contact, status, proposed) -> Invitation:
    sent = aware(trip.departs_on - datetime.timedelta(days=rng.randint(28, 55)), rng.randint(8, 18))
    invitation = Invitation(
        trip=trip,
        organisation=org,
        contact=contact,
        email=contact.email if contact else org.email,
        language=contact.language if contact else "fr",
        message="Nous serions heureux de vous présenter notre entreprise lors de notre mission en Belgique.",
        proposed_at=proposed,
        status=status,
        sent_at=sent,
    )
    if status in (InvitationStatus.ACCEPTED, InvitationStatus.OTHER_SLOT, InvitationStatus.DECLINED):
        # Belgian companies answered slowly (the evaluation's finding): days, sometimes weeks.
        delay = datetime.timedelta(days=rng.choice([1, 2, 4, 6, 9, 12, 16, 21, 25]), hours=rng.randint(0, 8))
        invitation.answered_at = min(sent + delay, aware(trip.departs_on - datetime.timedelta(days=1), 18))
    if status == InvitationStatus.DECLINED:
        invitation.decline_reason, invitation.decline_details = rng.choice(DECLINE_REASONS)
    return invitation


def _partnerships_create(rng, travellers, selected, meetings, met_pool, by_user) -> list[Partnership]:
    plan = []  # (application, organisation, meeting or None, start date)
    with_partnerships = [a for s, a in travellers if s.get("demo_account")]
    with_partnerships += [a for s, a in rng.sample(travellers, 34) if a not in with_partnerships][:31]
    for app in with_partnerships:
        own = sorted(meetings.get(app.pk, []), key=lambda m: m.starts_at)
        for meeting in rng.sample(own, min(len(own), rng.choice([1, 1, 2, 2, 3]))):
            meeting.outcome = MeetingOutcome.PARTNERSHIP
            plan.append((app, meeting.organisation, meeting, meeting.starts_at.date()))
    for spec, app in selected:
        if spec["fate"] == "diaspora_partner":
            base = datetime.date(2023, 3, 1) if spec["cohort"] == 1 else datetime.date(2024, 3, 1)
            for org in rng.sample(met_pool, rng.choice([1, 2])):
                plan.append((app, org, None, base + datetime.timedelta(days=rng.randint(0, 90))))
    B2BMeeting.objects.bulk_update(
        [m for ms in meetings.values() for m in ms if m.outcome == MeetingOutcome.PARTNERSHIP], ["outcome"]
    )

    stages = list(STAGE_WEIGHTS) * 2
    stages += rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()), k=len(plan) - len(stages))
    rng.shuffle(stages)
    types = list(PartnershipType.values) + rng.choices(
        [PartnershipType.EXPORT, PartnershipType.REPRESENTATION, PartnershipType.CO_DEVELOPMENT, PartnershipType.TRAINING],
        k=len(plan) - len(PartnershipType.values),
    )
    rng.shuffle(types)

    partnerships, histories = [], []
    for (app, org, meeting, start), stage, kind in zip(plan, stages, types):
        path = rng.choice(STAGE_PATHS[stage])
        span = (DATA_CUTOFF - start).days
        offsets = [0] + sorted(rng.sample(range(10, span), len(path) - 1))
        dates = [start + datetime.timedelta(days=o) for o in offsets]
        partnerships.append(
            Partnership(
                application=app,
                organisation=org,
                type=kind,
                stage=stage,
                started_on=start,
                stage_changed_on=dates[-1],
                meeting=meeting,
                description=f"{PartnershipType(kind).label} avec {org.name}.",
            )
        )
        histories.append((path, dates))
    bulk_create_with_history(partnerships, Partnership, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)

    changes, transactions = [], []
    for partnership, (path, dates) in zip(partnerships, histories):
        previous = ""
        for step, day in zip(path, dates):
            changes.append(
                PartnershipStageChange(partnership=partnership, from_stage=previous, to_stage=step, changed_on=day, by=by_user)
            )
            previous = step
        if "first_transaction" in path:
            first = dates[path.index("first_transaction")]
            last = dates[-1] if path[-1] == "ended" else DATA_CUTOFF
            for n in range(rng.randint(1, 3)):
                day = first if n == 0 else first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))
                kind = (
                    TransactionKind.INVESTMENT
                    if partnership.type == PartnershipType.INVESTMENT
                    else (TransactionKind.CONTRACT if n == 0 and rng.random() < 0.4 else TransactionKind.ORDER)
                )
                if rng.random() < 0.5:
                    value, currency = Decimal(rng.randint(3, 60) * 500), Currency.EUR
                else:
                    value, currency = Decimal(rng.randint(2, 40) * 500000), Currency.XOF
                transactions.append(
                    PartnershipTransaction(
                        partnership=partnership,
                        kind=kind,
                        occurred_on=day,
                        value=value,
                        currency=currency,
                        description=f"{TransactionKind(kind).label} – {partnership.organisation.name}"[:250],
                    )
                )
    PartnershipStageChange.objects.bulk_create(changes, batch_size=1000)
    PartnershipTransaction.objects.bulk_create(transactions, batch_size=1000)
    return partnerships


def _follow_up_create(rng, trips, partnerships, orgs, by_user) -> None:
    by_app = {}
    for p in partnerships:
        by_app.setdefault(p.application_id, []).append(p)
    txs = {}
    for t in PartnershipTransaction.objects.filter(partnership__in=partnerships).select_related("partnership").order_by("pk"):
        txs.setdefault(t.partnership.application_id, []).append(t)
    check_ins = []
    for spec, trip in trips:
        if trip.status != TripStatus.COMPLETED:
            continue
        for months in (1, 3, 6, 12):
            due = add_months(trip.returns_on, months)
            if due > datetime.date(2024, 12, 31):
                continue
            check_in = FollowUpCheckIn(
                application_id=trip.application_id,
                months_after=months,
                due_on=due,
                anchor=trip.returns_on,
                status=CheckInStatus.PENDING,
            )
            if due <= DATA_CUTOFF:
                check_in.sent_at = aware(due, 8)
                check_in.reminders_sent = 2
                if rng.random() < 0.85 or spec.get("demo_account"):
                    done = [t for t in txs.get(trip.application_id, []) if t.occurred_on <= due]
                    check_in.status = CheckInStatus.DONE
                    check_in.completed_on = min(due + datetime.timedelta(days=rng.randint(0, 12)), datetime.date(2024, 9, 15))
                    check_in.contracts_signed = sum(t.kind == TransactionKind.CONTRACT for t in done)
                    check_in.orders_count = sum(t.kind == TransactionKind.ORDER for t in done)
                    check_in.orders_value_eur = sum((t.value_eur for t in done if t.kind == TransactionKind.ORDER), Decimal("0"))
                    alive = any(p.stage in ("first_transaction", "active") for p in by_app.get(trip.application_id, []))
                    check_in.jobs_created = rng.randint(1, 3) if alive and months >= 6 else 0
                    check_in.notes = "Entretien téléphonique de suivi."
                    # The questions asked alike of the comparison group, answered from the same records.
                    check_in.has_belgian_partner = any(
                        p.stage in LIVE_STAGES and p.started_on <= due for p in by_app.get(trip.application_id, [])
                    )
                    check_in.exports_to_europe = bool(done)
                    check_in.reminders_sent = 0
                else:
                    check_in.status = CheckInStatus.MISSED
            check_ins.append(check_in)
    FollowUpCheckIn.objects.bulk_create(check_ins, batch_size=1000)

    done_by_app = {}
    for c in check_ins:
        if c.status == CheckInStatus.DONE and c.months_after in (1, 3):
            done_by_app.setdefault(c.application_id, c)
    candidates = [pk for pk in by_app if pk in done_by_app]
    needs = []
    for i, app_id in enumerate(rng.sample(candidates, min(22, len(candidates)))):
        check_in = done_by_app[app_id]
        # The first four go to OVO (Entrepreneurs pour Entrepreneurs); the others to ADEPME or APIX.
        for _n in range(1 if i < 4 else rng.choice([1, 2])):
            referred_to = orgs["ovo"] if i < 4 else rng.choice([orgs["adepme"], orgs["apix"], None])
            kind = SupportNeedKind.FEASIBILITY if i < 4 else rng.choice(list(SupportNeedKind.values))
            status = (
                SupportNeedStatus.OPEN
                if referred_to is None
                else rng.choice([SupportNeedStatus.REFERRED, SupportNeedStatus.RESOLVED])
            )
            needs.append(
                SupportNeed(
                    application_id=app_id,
                    check_in=check_in,
                    kind=kind,
                    status=status,
                    referred_to=referred_to,
                    referred_on=check_in.completed_on + datetime.timedelta(days=rng.randint(2, 15)) if referred_to else None,
                    description=f"{SupportNeedKind(kind).label} pour le projet de partenariat.",
                    created_at=aware(check_in.completed_on, 15),
                )
            )
    SupportNeed.objects.bulk_create(needs)


def _partner_check_ins_create(rng, trips, partnerships, staff) -> None:
    """The Belgian partners of the demo account's partnerships (and a few others) were asked at +1 and
    +3 months; most answered. One answer from the demo entrepreneur ("we signed") waits for staff."""
    returns = {trip.application_id: trip.returns_on for _spec, trip in trips if trip.status == TripStatus.COMPLETED}
    demo_apps = {trip.application_id for spec, trip in trips if spec.get("demo_account")}
    contacts = {}
    for contact in OrganisationContact.objects.filter(organisation__in={p.organisation_id for p in partnerships}).order_by("pk"):
        contacts.setdefault(contact.organisation_id, contact)
    chosen = [p for p in partnerships if p.application_id in demo_apps]
    others = [p for p in partnerships if p.application_id in returns and p.application_id not in demo_apps]
    chosen += rng.sample(others, min(8, len(others)))
    rows = []
    for partnership in chosen:
        contact = contacts.get(partnership.organisation_id)
        anchor = returns.get(partnership.application_id)
        if contact is None or anchor is None:
            continue
        for months in (1, 3):
            due = add_months(anchor, months)
            row = PartnerCheckIn(
                partnership=partnership,
                email=contact.email,
                language=rng.choice(["fr", "nl", "en"]),
                months_after=months,
                due_on=due,
                sent_at=aware(due, 8),
            )
            if rng.random() < 0.7:
                row.answered_at = aware(due + datetime.timedelta(days=rng.randint(1, 10)), 11)
                row.still_going = partnership.stage not in (PartnershipStage.ENDED, PartnershipStage.DORMANT)
                row.stage = partnership.stage if partnership.stage != PartnershipStage.PROSPECT else ""
                row.comment = rng.choice(["", "Échanges réguliers.", "Premier échantillon reçu.", "Nous attendons leur offre."])
            else:
                row.reminders_sent = 2
            rows.append(row)
    PartnerCheckIn.objects.bulk_create(rows)

    # The demo entrepreneur's latest answered check-in says "we signed" for a partnership still in discussion.
    pending = (
        Partnership.objects.filter(
            application_id__in=demo_apps, stage__in=[PartnershipStage.PROSPECT, PartnershipStage.DISCUSSION]
        )
        .order_by("pk")
        .first()
    )
    if pending is None:  # the demo account's partnerships have all moved on: another entrepreneur's then
        pending = (
            Partnership.objects.filter(
                stage__in=[PartnershipStage.PROSPECT, PartnershipStage.DISCUSSION],
                application__check_ins__status=CheckInStatus.DONE,
            )
            .order_by("pk")
            .first()
        )
    check_in = (
        FollowUpCheckIn.objects.filter(application_id=pending.application_id, status=CheckInStatus.DONE)
        .order_by("-due_on")
        .first()
        if pending is not None
        else None
    )
    if pending is not None and check_in is not None:
        answered_on = max(check_in.completed_on, pending.stage_changed_on)
        CheckInPartnershipAnswer.objects.create(
            check_in=check_in,
            partnership=pending,
            still_going=True,
            stage=PartnershipStage.AGREEMENT,
            signed=True,
            signed_on=answered_on,
        )
        StageProposal.objects.create(
            partnership=pending,
            to_stage=PartnershipStage.AGREEMENT,
            check_in=check_in,
            answered_on=answered_on,
            note="Accord de distribution signé, selon l'entrepreneure.",
        )


def _comparison_group_create(rng, demo: DemoCohorts) -> None:
    """The comparison group (mobility.models.COMPARISON_STATUSES, consenting): asked at +6 and +12 months after the cohort's travel
    window; answered up to the data cut-off (fewer have a Belgian partner or export than participants)."""
    rows = []
    for application in sorted(demo.applications, key=lambda a: a.pk):
        cohort = application.cohort
        if not (application.follow_up_consent and application.status in COMPARISON_STATUSES and cohort.travel_ends_on):
            continue
        for months in COMPARISON_MONTHS:
            due = add_months(cohort.travel_ends_on, months)
            row = FollowUpCheckIn(
                application=application,
                months_after=months,
                due_on=due,
                anchor=cohort.travel_ends_on,
                group=CheckInGroup.COMPARISON,
            )
            if due <= DATA_CUTOFF:
                row.sent_at = aware(due, 8)
                if rng.random() < 0.7:
                    row.status, row.completed_on = (
                        CheckInStatus.DONE,
                        min(due + datetime.timedelta(days=rng.randint(0, 12)), DATA_CUTOFF),
                    )
                    row.has_belgian_partner = rng.random() < 0.12
                    row.exports_to_europe = rng.random() < 0.18
                    row.jobs_created = rng.choice([0, 0, 0, 1, 2])
                else:
                    row.status, row.reminders_sent = CheckInStatus.MISSED, 2
            rows.append(row)
    FollowUpCheckIn.objects.bulk_create(rows)


#: Interest shown by the Belgian company, by the meeting's recorded result.
INTEREST_BY_OUTCOME = {
    MeetingOutcome.NO_INTEREST: [InterestLevel.NONE],
    MeetingOutcome.INFORMATION: [InterestLevel.LOW, InterestLevel.LOW, InterestLevel.MEDIUM],
    MeetingOutcome.FOLLOW_UP: [InterestLevel.MEDIUM, InterestLevel.HIGH],
    MeetingOutcome.PARTNERSHIP: [InterestLevel.HIGH],
}
NEXT_STEPS = [
    ("Envoyer la fiche technique et une offre de prix FOB Dakar.", NextStepOwner.ENTREPRENEUR),
    ("Faire tester un échantillon par le service qualité.", NextStepOwner.COMPANY),
    ("Organiser une visio avec le responsable des achats.", NextStepOwner.PROGRAMME),
    ("Transmettre le projet de contrat de distribution.", NextStepOwner.COMPANY),
    ("Préparer une commande d'essai et ses conditions de transport.", NextStepOwner.ENTREPRENEUR),
]
STREETS = ["Rue de la Loi", "Avenue Louise", "Quai de la Batte", "Rue Neuve", "Chaussée de Louvain", "Meir", "Boulevard d'Avroy"]
#: Per diem paid in Dakar, in CFA francs, per day abroad.
PER_DIEM_XOF = Decimal("45000")


def _trip_details(rng: random.Random, trips) -> None:
    """What the trip pages show beyond the figures: costs by category (the flight and visa fees in euros,
    the per diem in CFA francs), and each meeting's place, contact, attendees and outcome."""
    costs = []
    for _spec, trip in trips:
        days = (trip.returns_on - trip.departs_on).days + 1
        booked = trip.departs_on - datetime.timedelta(days=rng.randint(20, 40))
        costs.append(
            TripCost(
                trip=trip,
                category=TripCostCategory.VISA_FEES,
                amount=Decimal("80"),
                currency=Currency.EUR,
                date=booked,
                note="Visa Schengen court séjour",
            )
        )
        if trip.status == TripStatus.CANCELLED:
            continue
        costs += [
            TripCost(trip=trip, category=TripCostCategory.FLIGHT, amount=Decimal(rng.randrange(580, 730, 5)), currency=Currency.EUR, date=booked, note="Dakar – Bruxelles aller-retour"),
            TripCost(trip=trip, category=TripCostCategory.PER_DIEM, amount=PER_DIEM_XOF * days, currency=Currency.XOF, date=trip.departs_on, note=f"{days} jours"),
            TripCost(trip=trip, category=TripCostCategory.LODGING, amount=Decimal(rng.randrange(85, 115, 5) * (days - 1)), currency=Currency.EUR, date=trip.departs_on, note=f"{days - 1} nuits"),
            TripCost(trip=trip, category=TripCostCategory.INSURANCE, amount=Decimal(rng.randrange(25, 46)), currency=Currency.EUR, date=booked, note="Assurance voyage Schengen"),
        ]  # fmt: skip
    TripCost.objects.bulk_create(costs, batch_size=1000)

    meetings = list(
        B2BMeeting.objects.filter(trip__in=[trip for _spec, trip in trips])
        .select_related("organisation", "trip__application__entrepreneur")
        .order_by("pk")
    )
    contacts = {}
    for contact in OrganisationContact.objects.filter(organisation__in={m.organisation_id for m in meetings}).order_by("pk"):
        contacts.setdefault(contact.organisation_id, contact)
    for meeting in meetings:
        contact = contacts.get(meeting.organisation_id)
        person = meeting.trip.application.entrepreneur
        meeting.contact = contact
        meeting.place = f"{rng.choice(STREETS)} {rng.randint(1, 180)}"
        meeting.attendees = f"{person.first_name} {person.last_name}" + (
            f" ; {contact.full_name} ({contact.position or 'contact'})" if contact else ""
        )
        if meeting.outcome:
            meeting.interest_level = rng.choice(INTEREST_BY_OUTCOME[meeting.outcome])
        if meeting.outcome in (MeetingOutcome.FOLLOW_UP, MeetingOutcome.PARTNERSHIP):
            meeting.next_step, meeting.next_step_owner = rng.choice(NEXT_STEPS)
            meeting.next_step_due = meeting.starts_at.date() + datetime.timedelta(days=rng.choice([7, 14, 21, 30]))
    B2BMeeting.objects.bulk_update(
        meetings,
        ["contact", "place", "attendees", "interest_level", "next_step", "next_step_owner", "next_step_due"],
        batch_size=1000,
    )


def _pipeline_create(partnerships: list[Partnership], by_user) -> None:
    """What the pipeline adds to the partnerships above, with its own random stream so that every figure
    drawn before stays as it was: needs attached to a partnership with the outcome of their referral, jobs
    created (the last check-in's count, on the entrepreneur's liveliest partnership) and a signed agreement
    (a generated PDF) for partnerships that reached that stage."""
    import hashlib

    from django.core.files.base import ContentFile

    from cohorts.demo import demo_pdf

    rng = random.Random(912)
    by_app: dict[int, list[Partnership]] = {}
    for p in partnerships:
        by_app.setdefault(p.application_id, []).append(p)

    needs = list(SupportNeed.objects.filter(application_id__in=by_app).order_by("pk"))
    for need in needs:
        need.partnership = by_app[need.application_id][0]
        if need.referred_to_id is None:
            continue
        if need.status == SupportNeedStatus.RESOLVED:
            need.outcome, need.outcome_on = (
                ReferralOutcome.RECEIVED,
                need.referred_on + datetime.timedelta(days=rng.randint(20, 60)),
            )
            need.outcome_note = "Accompagnement obtenu."
        else:
            need.outcome = rng.choice(
                [ReferralOutcome.PENDING, ReferralOutcome.PENDING, ReferralOutcome.NOT_ELIGIBLE, ReferralOutcome.NO_ANSWER]
            )
            if need.outcome != ReferralOutcome.PENDING:
                need.outcome_on = need.referred_on + datetime.timedelta(days=rng.randint(20, 60))
    SupportNeed.objects.bulk_update(needs, ["partnership", "outcome", "outcome_on", "outcome_note"])

    order = {
        stage: n
        for n, stage in enumerate(["active", "first_transaction", "agreement", "discussion", "prospect", "dormant", "ended"])
    }
    last_jobs = {}
    for check_in in FollowUpCheckIn.objects.filter(application_id__in=by_app, status=CheckInStatus.DONE).order_by("months_after"):
        last_jobs[check_in.application_id] = check_in.jobs_created
    for app_id, jobs in last_jobs.items():
        if jobs:
            liveliest = min(by_app[app_id], key=lambda p: (order[p.stage], p.pk))
            liveliest.jobs_created = jobs
    Partnership.objects.bulk_update([p for p in partnerships if p.jobs_created], ["jobs_created"])

    signed = set(
        PartnershipStageChange.objects.filter(partnership__in=partnerships, to_stage=PartnershipStage.AGREEMENT).values_list(
            "partnership_id", "changed_on"
        )
    )
    partners = {p.pk: p for p in partnerships}
    for pk, day in sorted(signed):
        partnership = partners[pk]
        content = demo_pdf(
            [
                f"Accord de partenariat – {partnership.organisation.name}",
                "Document de démonstration : entreprises et termes fictifs.",
                f"Signé le {day:%d/%m/%Y}.",
            ]
        )
        document = PartnershipDocument(
            partnership=partnership,
            kind=PartnershipDocumentKind.AGREEMENT,
            title="Accord de partenariat signé",
            original_name=f"accord-{pk}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=aware(day, 11),
            uploaded_by=by_user,
        )
        document.file.save("document", ContentFile(content), save=False)
        document.save()


def _comparison_answers_create(demo: DemoCohorts, partnerships) -> None:
    """The questions asked alike of participants and of the comparison group ([9]): the participants'
    answered +6/+12 check-ins answer them from their own partnerships and transactions (the comparison
    group's questionnaires and answers are `_comparison_group_create`'s)."""
    started: dict[int, list[datetime.date]] = {}
    for p in partnerships:
        started.setdefault(p.application_id, []).append(p.started_on)
    sales: dict[int, list[datetime.date]] = {}
    for t in PartnershipTransaction.objects.filter(partnership__in=partnerships).select_related("partnership"):
        sales.setdefault(t.partnership.application_id, []).append(t.occurred_on)
    answered = list(
        FollowUpCheckIn.objects.filter(
            application__cohort__programme=demo.programme, status=CheckInStatus.DONE, months_after__in=(6, 12)
        )
    )
    for check_in in answered:
        check_in.has_belgian_partner = any(day <= check_in.due_on for day in started.get(check_in.application_id, []))
        check_in.exports_to_europe = any(day <= check_in.due_on for day in sales.get(check_in.application_id, []))
    FollowUpCheckIn.objects.bulk_update(answered, ["has_belgian_partner", "exports_to_europe"])


#: What the demo's peer mentors offer to share with later cohorts.
PEER_MENTOR_TOPICS = [
    "Dossier visa et premiers rendez-vous à Bruxelles",
    "Négocier avec un distributeur belge",
    "Normes sanitaires pour exporter des produits transformés",
    "Préparer un salon professionnel en Belgique",
]


def _peer_mentors_create(demo: DemoCohorts) -> None:
    """A few alumni of the first cohort (not the demo account, which says it from its own page) have
    said they are available as peer mentors."""
    from partners.models import Entrepreneur

    from .selectors_alumni import alumni_applications

    people = list(
        Entrepreneur.objects.filter(
            pk__in=alumni_applications().filter(cohort__programme=demo.programme).values("entrepreneur_id")
        )
        .exclude(email__startswith="entrepreneur@")
        .order_by("pk")[::5][: len(PEER_MENTOR_TOPICS)]
    )
    for person, topics in zip(people, PEER_MENTOR_TOPICS, strict=False):
        person.peer_mentor_available, person.peer_mentor_topics = True, topics
    Entrepreneur.objects.bulk_update(people, ["peer_mentor_available", "peer_mentor_topics"])


def delete_demo(programmes) -> None:
    """Delete the `mobility` rows of the demo programmes, history included."""
    from cohorts.models import Application

    applications = Application.objects.filter(cohort__programme__in=programmes)
    visa_ids = list(VisaFile.objects.filter(application__in=applications).values_list("pk", flat=True))
    stored = list(VisaDocument.objects.filter(visa_file_id__in=visa_ids).exclude(file="").values_list("file", flat=True))
    transaction.on_commit(lambda: [private_storage().delete(name) for name in stored])
    VisaRequirement.objects.filter(programme__in=programmes).delete()
    partnership_ids = list(Partnership.objects.filter(application__in=applications).values_list("pk", flat=True))
    Partnership.objects.filter(pk__in=partnership_ids).delete()
    VisaFile.objects.filter(pk__in=visa_ids).delete()
    for model in (SupportNeed, FollowUpCheckIn, Trip, MobilityPlan):
        model.objects.filter(application__in=applications).delete()
    EconomicMission.objects.filter(programme__in=programmes).delete()
    VisaFile.history.filter(id__in=visa_ids).delete()
    Partnership.history.filter(id__in=partnership_ids).delete()
