"""The follow-up pages: the entrepreneur's questionnaire (theirs only, bad input refused with their
answers kept), the partner's page by personal link in three languages (bad links get the problem
page), and staff's page (constant queries, proposals accepted or rejected)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.models import ApplicationStatus
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from mobility.models import CheckInGroup, CheckInStatus, FollowUpCheckIn, PartnerCheckIn, StageProposal
from mobility.services import partnership_create
from mobility.services_follow_up import check_ins_schedule, partner_link_token
from mobility.tests.factories import TripFactory
from partners.tests.factories import BelgianCompanyFactory, OrganisationContactFactory

pytestmark = pytest.mark.django_db


def scheduled(language="fr", company="Brasserie Zinneke"):
    application = ApplicationFactory(submitted=True, status=ApplicationStatus.SELECTED)
    trip = TripFactory(application=application, status="completed", departs_on=datetime.date(2023, 5, 14))
    company = BelgianCompanyFactory(**({"name": company} if company else {}))
    OrganisationContactFactory(organisation=company, language=language)
    partnership = partnership_create(
        application=application, organisation=company, type="export", started_on=datetime.date(2023, 5, 17)
    )
    check_ins_schedule(trip=trip)
    check_in = FollowUpCheckIn.objects.get(application=application, months_after=1)
    return check_in, partnership


def form_data(partnership, **changes):
    prefix = f"p{partnership.pk}_"
    data = {
        "has_belgian_partner": "yes",
        "exports_to_europe": "no",
        "jobs_created": "1",
        "support_request": "Un appui pour la certification.",
        prefix + "still_going": "yes",
        prefix + "stage": "discussion",
        prefix + "signed": "on",
        prefix + "signed_on": "2023-06-10",
        prefix + "transactions_value": "1500",
        prefix + "currency": "EUR",
        prefix + "jobs_created": "1",
    }
    data.update(
        {(prefix + k if not k.startswith(("has_", "exports", "jobs_created", "support")) else k): v for k, v in changes.items()}
    )
    return data


# --- The entrepreneur's questionnaire ------------------------------------------------------------


def test_the_entrepreneur_answers_and_a_signed_agreement_is_proposed_to_staff(client):
    check_in, partnership = scheduled()
    client.force_login(check_in.application.entrepreneur.user)
    url = reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk})

    page = client.get(url)
    response = client.post(url, form_data(partnership))

    assert "Brasserie Zinneke" in page.content.decode()
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DONE and check_in.support_request == "Un appui pour la certification."
    assert StageProposal.objects.get().to_stage == "agreement"
    assert "Merci" in client.get(url).content.decode()


def test_another_entrepreneur_gets_a_404(client):
    check_in, _partnership = scheduled()
    client.force_login(UserFactory(roles=[Role.ENTREPRENEUR]))

    assert client.get(reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk})).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"currency": "USD"}, "Sélectionnez un choix valide"),
        ({"signed_on": "2023-05-01"}, "ne peut précéder le voyage"),
        ({"transactions_value": "-5"}, "supérieure ou égale à 0"),
        ({"signed_on": ""}, "Indiquez la date de la signature"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_the_answers_are_kept(client, change, message):
    check_in, partnership = scheduled()
    client.force_login(check_in.application.entrepreneur.user)

    response = client.post(reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk}), form_data(partnership, **change))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Un appui pour la certification." in html  # nothing typed is lost
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.PENDING


def test_the_comparison_group_gets_only_the_short_questions(client):
    cohort = CohortFactory(travel_ends_on=datetime.date(2023, 6, 30), travel_starts_on=datetime.date(2023, 5, 1))
    application = ApplicationFactory(cohort=cohort, submitted=True, status=ApplicationStatus.REJECTED, follow_up_consent=True)
    check_in = FollowUpCheckIn.objects.create(
        application=application, months_after=6, due_on=datetime.date(2023, 12, 30), group=CheckInGroup.COMPARISON
    )
    client.force_login(application.entrepreneur.user)
    url = reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk})

    html = client.get(url).content.decode()
    response = client.post(url, {"has_belgian_partner": "no", "exports_to_europe": "yes", "jobs_created": "3"})

    assert "Ce partenariat continue" not in html and "appui" not in html
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert (check_in.has_belgian_partner, check_in.exports_to_europe, check_in.jobs_created) == (False, True, 3)


def test_a_check_in_not_yet_due_says_when_it_opens(client):
    check_in, _partnership = scheduled()
    FollowUpCheckIn.objects.filter(pk=check_in.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(check_in.application.entrepreneur.user)

    html = client.get(reverse("mobility:check_in_answer", kwargs={"pk": check_in.pk})).content.decode()

    assert "s'ouvrira le" in html


# --- The partner's page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Votre partenariat : trois questions"),
        ("nl", "Uw partnerschap: drie vragen"),
        ("en", "Your partnership: three questions"),
    ],
)
def test_the_partner_page_opens_in_the_links_language_without_an_account(client, language, text):
    check_in, partnership = scheduled(language=language)
    row = PartnerCheckIn.objects.filter(partnership=partnership).first()

    response = client.get(reverse("mobility:partner_check_in", kwargs={"token": partner_link_token(row)}))

    html = response.content.decode()
    assert response.status_code == 200
    assert text in html
    assert f'<html lang="{language}">' in html


def test_the_partner_switches_language_and_answers_once(client):
    _check_in, partnership = scheduled(language="fr")
    row = PartnerCheckIn.objects.filter(partnership=partnership).first()
    url = reverse("mobility:partner_check_in", kwargs={"token": partner_link_token(row)})

    dutch = client.get(url + "?lang=nl").content.decode()
    answered = client.post(url + "?lang=nl", {"still_going": "yes", "stage": "agreement", "comment": "Goed", "lang": "nl"})
    again = client.get(url)

    assert "Uw partnerschap" in dutch
    assert answered.status_code == 200 and "Bedankt" in answered.content.decode()
    assert again.status_code == 410
    row.refresh_from_db()
    assert row.answered_at is not None and row.comment == "Goed"


def test_a_tampered_link_gets_the_problem_page(client):
    response = client.get(reverse("mobility:partner_check_in", kwargs={"token": "not-a-token"}))

    assert response.status_code == 404
    assert "pas valable" in response.content.decode()


def test_an_answer_sent_after_the_link_expired_gets_a_clear_page_with_the_comment_kept(client, monkeypatch):
    _check_in, partnership = scheduled()
    row = PartnerCheckIn.objects.filter(partnership=partnership).first()
    url = reverse("mobility:partner_check_in", kwargs={"token": partner_link_token(row)})
    later = timezone.now().timestamp() + 31 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    opened = client.get(url)
    sent = client.post(url, {"still_going": "yes", "stage": "", "comment": "Nous avons signé en juin."})

    assert opened.status_code == 404 and "Ce lien a expiré" in opened.content.decode()
    assert sent.status_code == 404
    assert "Nous avons signé en juin." in sent.content.decode()
    row.refresh_from_db()
    assert row.answered_at is None


# --- Staff --------------------------------------------------------------------------------------


def many(n):
    for _ in range(n):
        check_in, partnership = scheduled(company=None)
        StageProposal.objects.create(
            partnership=partnership, to_stage="agreement", check_in=check_in, answered_on=check_in.due_on
        )


@pytest.mark.parametrize("side", ["entrepreneur", "partner"])
def test_the_staff_page_runs_as_many_queries_for_30_rows_as_for_3(client, django_assert_max_num_queries, side):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(roles=[Role.STAFF]))
    url = reverse("mobility:follow_up_staff") + f"?side={side}"
    many(3)
    with CaptureQueriesContext(connection) as with_3:
        assert client.get(url).status_code == 200
    many(27)
    with CaptureQueriesContext(connection) as with_30:
        response = client.get(url)
    # session and user, roles; cohorts for the filter; the count per state; the page's count and rows;
    # the pending proposals with their partnership, company and entrepreneur: the same at 3 and 30.
    assert len(with_30) == len(with_3)
    assert response.content.decode().count('name="decision" value="accept"') == 30


def test_staff_accept_a_proposal_from_the_page(client):
    check_in, partnership = scheduled()
    proposal = StageProposal.objects.create(
        partnership=partnership, to_stage="agreement", check_in=check_in, answered_on=datetime.date(2023, 6, 30)
    )
    staff = UserFactory(roles=[Role.STAFF])
    client.force_login(staff)

    response = client.post(reverse("mobility:stage_proposal_decide", kwargs={"pk": proposal.pk}), {"decision": "accept"})

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.stage == "agreement"
    assert partnership.stage_changes.order_by("pk").last().by == staff
    page = client.get(reverse("mobility:follow_up_staff")).content.decode()
    assert "Aucune proposition en attente" in page


def test_staff_accepting_a_proposal_already_reached_are_told_it_is_closed(client):
    check_in, partnership = scheduled()
    proposal = StageProposal.objects.create(
        partnership=partnership, to_stage=partnership.stage, check_in=check_in, answered_on=datetime.date(2023, 6, 30)
    )
    client.force_login(UserFactory(roles=[Role.STAFF]))

    response = client.post(
        reverse("mobility:stage_proposal_decide", kwargs={"pk": proposal.pk}), {"decision": "accept"}, follow=True
    )

    assert "la proposition est close sans changement" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_staff_filter_overdue_check_ins(client):
    check_in, _partnership = scheduled()
    client.force_login(UserFactory(roles=[Role.STAFF]))

    overdue = client.get(reverse("mobility:follow_up_staff") + "?state=overdue")
    answered = client.get(reverse("mobility:follow_up_staff") + "?state=answered")

    assert str(check_in.application.entrepreneur) in overdue.content.decode()
    assert str(check_in.application.entrepreneur) not in answered.content.decode()
