"""Who may open the follow-up pages (checked by tests/test_urls_access.py)."""

import datetime

from accounts.tests.url_access import everyone, only
from cohorts.tests.factories import ApplicationFactory
from mobility.services_follow_up import partner_link_token
from mobility.tests.factories import FollowUpCheckInFactory, PartnerCheckInFactory, StageProposalFactory


def the_entrepreneurs_check_in(users: dict) -> dict:
    application = ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True)
    return {"pk": FollowUpCheckInFactory(application=application, due_on=datetime.date(2024, 1, 1)).pk}


def a_partner_link(users: dict) -> dict:
    return {"token": partner_link_token(PartnerCheckInFactory(due_on=datetime.date(2024, 1, 1)))}


def a_proposal(users: dict) -> dict:
    return {"pk": StageProposalFactory().pk}


ACCESS = {
    # Another entrepreneur's check-in is a 404 (tested in test_follow_up_pages.py).
    "mobility:check_in_answer": {**only("entrepreneur"), "kwargs": the_entrepreneurs_check_in},
    # The personal link is the key: anyone holding it, logged in or not, sees the questionnaire.
    "mobility:partner_check_in": {**everyone(200), "kwargs": a_partner_link},
    "mobility:follow_up_staff": only("staff"),
    # Deciding is a POST: a GET is refused (405) to staff; the others never learn the page exists.
    "mobility:stage_proposal_decide": {**only("staff", status=405), "kwargs": a_proposal},
}
