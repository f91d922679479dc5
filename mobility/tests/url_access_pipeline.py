"""Who may open the partnership pipeline pages (checked by tests/test_urls_access.py): staff run the
board and write; the entrepreneur and their coach read (the entrepreneur adds the signed agreement);
the committee, reviewers and evaluators see none of it (the committee reads the indicators)."""

from accounts.tests.url_access import only
from coaching.tests.factories import CoachAssignmentFactory
from mobility.tests.factories import PartnershipDocumentFactory, PartnershipFactory, SupportNeedFactory


def a_partnership(users: dict) -> dict:
    return {"pk": PartnershipFactory().pk}


def a_need(users: dict) -> dict:
    partnership = PartnershipFactory()
    need = SupportNeedFactory(application=partnership.application, partnership=partnership)
    return {"pk": partnership.pk, "need_pk": need.pk}


def a_document(users: dict) -> dict:
    document = PartnershipDocumentFactory()
    return {"pk": document.partnership_id, "document_pk": document.pk}


def the_entrepreneurs_partnership(users: dict) -> dict:
    return {"pk": PartnershipFactory(application__entrepreneur=users["entrepreneur"].entrepreneur).pk}


def the_coachs_partnership(users: dict) -> dict:
    assignment = CoachAssignmentFactory(coach=users["coach"].coach)
    return {"pk": PartnershipFactory(application=assignment.application).pk}


def a_document_of_the_entrepreneur_and_their_coach(users: dict) -> dict:
    partnership = PartnershipFactory(application__entrepreneur=users["entrepreneur"].entrepreneur)
    CoachAssignmentFactory(coach=users["coach"].coach, application=partnership.application)
    document = PartnershipDocumentFactory(partnership=partnership)
    return {"pk": partnership.pk, "document_pk": document.pk}


#: POST-only views: a GET is refused (405) to staff, hidden (404) from the others.
POSTS = {
    "mobility:partnership_move": a_partnership,
    "mobility:partnership_transaction_add": a_partnership,
    "mobility:partnership_jobs": a_partnership,
    "mobility:partnership_document_add": a_partnership,
    "mobility:partnership_document_remove": a_document,
    "mobility:support_need_add": a_partnership,
    "mobility:support_need_refer": a_need,
    "mobility:support_need_outcome": a_need,
}

ACCESS = {
    "mobility:pipeline_board": only("staff"),
    "mobility:partnership_new": only("staff"),
    "mobility:partnership_detail": {**only("staff"), "kwargs": a_partnership},
    **{name: {**only("staff", status=405), "kwargs": kwargs} for name, kwargs in POSTS.items()},
    "mobility:my_partnerships": only("entrepreneur"),
    "mobility:my_partnership": {**only("entrepreneur"), "kwargs": the_entrepreneurs_partnership},
    "mobility:coach_partnerships": only("coach"),
    "mobility:coach_partnership": {**only("coach"), "kwargs": the_coachs_partnership},
    "mobility:partnership_document_download": {
        **only("staff", "entrepreneur", "coach"),
        "kwargs": a_document_of_the_entrepreneur_and_their_coach,
    },
}
