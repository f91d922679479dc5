"""Demo data of the coaching app: the group events of PEM-WECCO's two cohorts, the coaches assigned to the
selected entrepreneurs, their sessions and the attendance. Writes only `coaching` models, from the
applications `cohorts.demo` created."""

import datetime
import random

from cohorts.demo import CALENDAR, PATHS, DemoCohorts
from partners.demo import aware

from .models import CoachingSession, CoachingTopic, EventAttendance, EventKind, GroupEvent, SessionKind
from .services import ActionSpec, action_item_set_done, coach_assign, coaching_session_log

SESSION_TOPICS = [
    "Modèle d'affaires et proposition de valeur",
    "Stratégie d'internationalisation",
    "Profil des partenaires belges recherchés",
    "Pitch et présentation de l'entreprise",
    "Préparation des rendez-vous B2B",
    "Prix export et Incoterms",
    "Normes et réglementation européennes",
    "Plan de mobilité et agenda",
    "Suivi des contacts après la mission",
    "Finances et accès au financement",
]
EVENTS = {
    1: [
        (EventKind.INFO_SESSION, "Séance d'information sur l'appel", datetime.date(2022, 2, 10), 0, "Dakar", "enabel"),
        (
            EventKind.INCUBATOR_EXCHANGE,
            "Voyage d'échange des incubateurs sénégalais en Belgique",
            datetime.date(2022, 10, 10),
            4,
            "Bruxelles",
            "enabel",
        ),
        (EventKind.BOOSTCAMP, "Boostcamp 1 – Modèle d'affaires", datetime.date(2023, 1, 17), 2, "Dakar", "bondinnov"),
        (
            EventKind.TRAINING,
            "Formation : négocier avec un partenaire européen",
            datetime.date(2023, 2, 22),
            0,
            "Dakar",
            "bondinnov",
        ),
        (
            EventKind.BOOSTCAMP,
            "Boostcamp 2 – Stratégie d'internationalisation",
            datetime.date(2023, 3, 14),
            2,
            "Thiès",
            "bondinnov",
        ),
        (
            EventKind.VISA_TRAINING,
            "Préparation au visa d'affaires Schengen",
            datetime.date(2023, 3, 29),
            0,
            "Dakar",
            "visa_agency",
        ),
        (
            EventKind.GROUP_COACHING,
            "Coaching collectif : préparer ses rendez-vous B2B",
            datetime.date(2023, 4, 12),
            0,
            "Dakar",
            "bondinnov",
        ),
    ],
    2: [
        (EventKind.INFO_SESSION, "Séance d'information sur l'appel", datetime.date(2023, 9, 25), 0, "Dakar", "enabel"),
        (EventKind.BOOSTCAMP, "Boostcamp 1 – Modèle d'affaires", datetime.date(2024, 2, 20), 2, "Dakar", "bondinnov"),
        (
            EventKind.VISA_TRAINING,
            "Préparation au visa d'affaires Schengen",
            datetime.date(2024, 2, 28),
            0,
            "Dakar",
            "visa_agency",
        ),
        (EventKind.TRAINING, "Formation : prix export et Incoterms", datetime.date(2024, 3, 6), 0, "Dakar", "bondinnov"),
        (
            EventKind.BOOSTCAMP,
            "Boostcamp 2 – Stratégie d'internationalisation",
            datetime.date(2024, 3, 19),
            2,
            "Saly",
            "bondinnov",
        ),
        (
            EventKind.GROUP_COACHING,
            "Coaching collectif : préparer ses rendez-vous B2B",
            datetime.date(2024, 3, 27),
            0,
            "Dakar",
            "bondinnov",
        ),
    ],
}


def load(rng: random.Random, *, demo: DemoCohorts, coaches, orgs: dict) -> None:
    """Create the events, assignments, sessions and attendance (run after `cohorts.demo.load`)."""
    staff = demo.staff
    bondinnov = [c for c in coaches if c.organisation.short_name == "Bond'innov"]
    by_incubator = {}
    for coach in coaches:
        by_incubator.setdefault(coach.organisation_id, []).append(coach)
    assignments, sessions, attendances = [], [], []  # written through the services after the draws
    events = {}
    for number, rows in EVENTS.items():
        cohort = demo.cohorts[("pem-wecco", number)]
        events[number] = []
        for kind, title, day, extra_days, location, facilitator in rows:
            hours = (9, 17) if kind in (EventKind.BOOSTCAMP, EventKind.INCUBATOR_EXCHANGE) else (9, 13)
            event = GroupEvent(
                cohort=cohort,
                kind=kind,
                title=title,
                starts_at=aware(day, hours[0]),
                ends_at=aware(day + datetime.timedelta(days=extra_days), hours[1]),
                location=location,
                facilitator=orgs[facilitator],
                description=title,
            )
            events[number].append(event)
    GroupEvent.objects.bulk_create([e for rows in events.values() for e in rows])

    for spec, app in zip(demo.specs, demo.applications):
        if spec["programme"] != "pem-wecco":
            continue
        number = spec["cohort"]
        if spec["outcome"] in ("draft", "withdrawn_draft") or not spec["outcome"].startswith("selected"):
            info = events[number][0]
            if spec["outcome"] not in ("draft", "withdrawn_draft") and rng.random() < 0.2:
                attendances.append(EventAttendance(event=info, application=app, attended=True))
            continue
        cal = CALENDAR[("pem-wecco", number)]
        assigned_on = (
            cal["decide"] + datetime.timedelta(days=14)
            if "waitlisted" not in PATHS[spec["outcome"]]
            else cal["from_waitlist"] + datetime.timedelta(days=7)
        )
        incubator = app.company.incubator_id
        main = rng.choice(by_incubator.get(incubator) or [c for c in coaches if c not in bondinnov])
        # The demo coach account follows a good share of the entrepreneurs, including the demo entrepreneur.
        bond = bondinnov[0] if spec.get("demo_account") or rng.random() < 0.45 else rng.choice(bondinnov[1:])
        for coach in {main.pk: main, bond.pk: bond}.values():
            assignments.append((app, coach, assigned_on, coach is main))
        last_day = cal["travel"][0] - datetime.timedelta(days=3)
        span = (last_day - assigned_on).days
        for _ in range(rng.randint(3, 6)):
            day = assigned_on + datetime.timedelta(days=rng.randint(0, span))
            sessions.append(_session(rng, app, main, SessionKind.INDIVIDUAL, day, rng.choice([60, 90, 90, 120])))
        for _ in range(rng.randint(1, 2)):
            day = assigned_on + datetime.timedelta(days=rng.randint(0, span))
            sessions.append(_session(rng, app, bond, SessionKind.INDIVIDUAL, day, rng.choice([45, 60, 90])))
        for event in events[number]:
            if event.kind in (EventKind.INFO_SESSION, EventKind.INCUBATOR_EXCHANGE):
                continue
            if event.kind == EventKind.VISA_TRAINING and spec["fate"] == "diaspora_partner":
                continue
            attended = rng.random() < 0.9 or spec.get("demo_account")
            attendances.append(EventAttendance(event=event, application=app, attended=bool(attended)))
            if attended and event.kind in (EventKind.BOOSTCAMP, EventKind.GROUP_COACHING):
                kind = SessionKind.BOOSTCAMP if event.kind == EventKind.BOOSTCAMP else SessionKind.GROUP
                sessions.append(
                    _session(rng, app, bond, kind, event.starts_at.date(), 480 if kind == SessionKind.BOOSTCAMP else 240, event)
                )
    # Written through the services coaches and staff use (assignment, session logging, ticking an action),
    # each dated on its own day; only the attendance lists are bulk-written.
    for app, coach, assigned_on, lead in assignments:
        coach_assign(applications=[app], coach=coach, is_lead=lead, by=staff, on=assigned_on)
    for spec in sessions:
        session, _created = coaching_session_log(**spec)
        for action in session.actions.all():  # the demo's history: every action was done before the trip
            action_item_set_done(item=action, by=spec["coach"].user)
    EventAttendance.objects.bulk_create(attendances, batch_size=1000)


#: The demo's session topics, with the topic of the coaches' list each belongs to.
TOPIC_TAGS = {
    "Modèle d'affaires et proposition de valeur": CoachingTopic.BUSINESS_MODEL,
    "Stratégie d'internationalisation": CoachingTopic.MARKET,
    "Profil des partenaires belges recherchés": CoachingTopic.PARTNERS,
    "Pitch et présentation de l'entreprise": CoachingTopic.PITCH,
    "Préparation des rendez-vous B2B": CoachingTopic.PARTNERS,
    "Prix export et Incoterms": CoachingTopic.MARKET,
    "Normes et réglementation européennes": CoachingTopic.LEGAL,
    "Plan de mobilité et agenda": CoachingTopic.MOBILITY_PLAN,
    "Suivi des contacts après la mission": CoachingTopic.PARTNERS,
    "Finances et accès au financement": CoachingTopic.FINANCE,
}


def _session(rng, app, coach, kind, day, minutes, event=None) -> dict:
    """The arguments of one session as a coach logs it (the random draws in the demo's fixed order)."""
    topics = rng.sample(SESSION_TOPICS, 2)
    action = rng.choice(
        [
            "",
            "Mettre à jour la liste des partenaires visés.",
            "Préparer le pitch en 5 minutes.",
            "Envoyer les invitations aux entreprises belges.",
        ]
    )
    return {
        "coach": coach,
        "application": app,
        "held_on": day,
        "duration_minutes": minutes,
        "kind": kind,
        "topic_tags": list(dict.fromkeys(TOPIC_TAGS[topic] for topic in topics)),
        "summary": " ; ".join(topics),
        "actions": [ActionSpec(title=action, due_on=day + datetime.timedelta(days=14))] if action else [],
        "by": coach.user,
        "event": event,
        "today": day,
        "logged_at": aware(day, 18),
    }


def delete_demo(programmes) -> None:
    """Delete the `coaching` rows of the demo programmes, the sessions' history included (deleting the
    applications would cascade to the sessions, leaving one history row per deleted session)."""
    sessions = CoachingSession.objects.filter(application__cohort__programme__in=programmes)
    session_ids = list(sessions.values_list("pk", flat=True))
    sessions.delete()
    CoachingSession.history.filter(id__in=session_ids).delete()
