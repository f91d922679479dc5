"""Who may open the invitation pages (checked by tests/test_urls_access.py). The company's page needs no
account: a valid link opens it for anyone, a bad one is a 404 for anyone."""

from accounts.tests.url_access import everyone, only
from cohorts.tests.factories import ApplicationFactory
from core.links import link_token_make
from mobility.selectors_invitations import LINK_PURPOSE


def an_application(users: dict) -> dict:
    return {"application_pk": ApplicationFactory(submitted=True).pk}


def the_entrepreneurs_allowed_plan(users: dict) -> dict:
    from mobility.tests.invitations_setup import setting

    application = ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True, status="selected")
    s = setting(application=application)
    s.plan.entrepreneur_may_invite = True
    s.plan.save()
    return {"application_pk": application.pk}


def an_invitation(users: dict) -> dict:
    from mobility.tests.invitations_setup import sent_invitation, setting

    return {
        "pk": sent_invitation(
            setting(application=ApplicationFactory(entrepreneur=users["entrepreneur"].entrepreneur, submitted=True))
        ).pk
    }


def a_valid_link(users: dict) -> dict:
    from mobility.tests.invitations_setup import sent_invitation, setting

    invitation = sent_invitation(setting())
    return {"token": link_token_make(purpose=LINK_PURPOSE, pk=invitation.pk, nonce=invitation.link_nonce)}


ACCESS = {
    "mobility:plan_staff": {**only("staff"), "kwargs": an_application},
    # POST only: a GET is refused (405) to staff, hidden (404) from the others.
    "mobility:plan_invitations_allow": {**only("staff", status=405), "kwargs": an_application},
    "mobility:invitation_new": {**only("staff", "entrepreneur"), "kwargs": the_entrepreneurs_allowed_plan},
    "mobility:invitation_resend": {**only("staff", "entrepreneur", status=405), "kwargs": an_invitation},
    "mobility:invitation_list": only("staff"),
    "mobility:invitation_answer": {**everyone(200), "kwargs": a_valid_link},
}
