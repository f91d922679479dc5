"""Selection: decisions (single, batch, admin) move the status with them; the live shares; notifications."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OutgoingEmail, Role
from accounts.tests.factories import UserFactory
from cohorts import selectors_selection
from cohorts.models import ApplicationStatus, DecisionOutcome, SelectionDecision
from cohorts.services.selection import selection_decide, selection_notify
from cohorts.tests.factories import CohortFactory
from cohorts.tests.factories_review import application_at, application_reviewed, reviewer, rubric, submitted_review
from partners.models import Gender
from partners.tests.factories import CompanyFactory, EntrepreneurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


# --- selection_decide ------------------------------------------------------------------------------


def test_a_decision_moves_the_status_in_the_same_transaction(staff):
    application = application_reviewed(ApplicationStatus.SHORTLISTED)

    decision = selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Projet mûr", by=staff)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    assert (decision.outcome, decision.reason, decision.decided_by, decision.notified_at) == (
        "selected",
        "Projet mûr",
        staff,
        None,
    )
    assert application.transitions.get(to_status=ApplicationStatus.SELECTED).note == "Projet mûr"


def test_an_invalid_move_is_refused_with_a_message_and_nothing_is_recorded(staff):
    application = application_reviewed(ApplicationStatus.UNDER_REVIEW)

    with pytest.raises(ValidationError, match="En évaluation.*Sélectionnée"):
        selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Très bon", by=staff)
    with pytest.raises(ValidationError):
        selection_decide(application=application, outcome=DecisionOutcome.REJECTED, reason="  ", by=staff)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert not SelectionDecision.objects.exists()
    # Under review -> rejected is allowed.
    selection_decide(application=application, outcome=DecisionOutcome.REJECTED, reason="Hors cible", by=staff)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_a_waitlisted_application_selected_later_is_to_be_notified_again(staff):
    application = application_reviewed(ApplicationStatus.SHORTLISTED)
    selection_decide(application=application, outcome=DecisionOutcome.WAITLISTED, reason="Liste", by=staff)
    SelectionDecision.objects.update(notified_at="2024-01-01T00:00:00Z")

    selection_decide(application=application, outcome=DecisionOutcome.SELECTED, reason="Désistement", by=staff)

    decision = SelectionDecision.objects.get()
    assert (decision.outcome, decision.reason, decision.notified_at) == ("selected", "Désistement", None)


# --- The board and batch decisions -----------------------------------------------------------------


def test_the_board_ranks_by_weighted_average(client, staff):
    cohort = CohortFactory()
    [criterion] = rubric(cohort, ("global", 1, 10))
    low, high, unscored = (application_at(ApplicationStatus.UNDER_REVIEW, cohort=cohort) for _ in range(3))
    submitted_review(low, reviewer(), {criterion: 4})
    submitted_review(high, reviewer(), {criterion: 9})
    application_at(ApplicationStatus.ELIGIBLE, cohort=cohort)  # not reviewed yet: not on the board
    client.force_login(staff)

    response = client.get(reverse("cohorts:selection_board", args=[cohort.pk]))

    rows = response.context["applications"]
    assert [a.pk for a in rows] == [high.pk, low.pk, unscored.pk]
    assert [a.rank for a in rows] == [1, 2, None]


def test_batch_decisions_apply_where_allowed_and_report_the_others(client, staff):
    cohort = CohortFactory()
    first, second = (application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort) for _ in range(2))
    too_early = application_reviewed(ApplicationStatus.UNDER_REVIEW, cohort=cohort)
    client.force_login(staff)

    response = client.post(
        reverse("cohorts:selection_decide", args=[cohort.pk]),
        {"applications": [first.pk, second.pk, too_early.pk], "action": "selected", "reason": "Réseau solide"},
        follow=True,
    )

    html = response.content.decode()
    assert "2 candidatures mises à jour" in html
    assert str(too_early.entrepreneur) in html and "ne peut pas passer" in html
    statuses = dict(cohort.applications.values_list("pk", "status"))
    assert statuses == {first.pk: "selected", second.pk: "selected", too_early.pk: "under_review"}
    assert set(SelectionDecision.objects.values_list("application_id", "reason")) == {
        (first.pk, "Réseau solide"),
        (second.pk, "Réseau solide"),
    }


def test_shortlisting_then_deciding_one_application(client, staff):
    application = application_reviewed(ApplicationStatus.UNDER_REVIEW)
    url = reverse("cohorts:selection_decide", args=[application.cohort_id])
    client.force_login(staff)

    client.post(url, {"applications": [application.pk], "action": "shortlist"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    client.post(url, {"applications": [application.pk], "action": "waitlisted", "reason": "Places limitées"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITLISTED


def test_a_decision_without_reason_or_with_a_foreign_id_keeps_what_was_typed(client, staff):
    cohort = CohortFactory()
    mine = application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort)
    foreign = application_reviewed(ApplicationStatus.SHORTLISTED)
    client.force_login(staff)
    url = reverse("cohorts:selection_decide", args=[cohort.pk])

    no_reason = client.post(url, {"applications": [mine.pk], "action": "rejected", "reason": ""})
    tampered = client.post(url, {"applications": [mine.pk, foreign.pk], "action": "rejected", "reason": "Motif tapé"})

    assert no_reason.status_code == tampered.status_code == 200
    assert no_reason.context["form"].errors["reason"]
    assert tampered.context["form"].errors["applications"]
    assert "Motif tapé" in tampered.content.decode()
    assert mine.pk in tampered.context["ticked"]
    assert not SelectionDecision.objects.exists()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_selection_board_query_count_does_not_grow(client, django_assert_num_queries, staff, rows):
    cohort = CohortFactory()
    [criterion] = rubric(cohort, ("global", 1, 10))
    people = [reviewer() for _ in range(2)]
    for index in range(rows):
        application = application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort)
        for person in people:
            submitted_review(application, person, {criterion: index % 10})
        if index % 2:
            selection_decide(application=application, outcome="selected", reason="Bien", by=None)
    client.force_login(staff)

    # session, user, savepoint, groups, cohort, the ranking (candidates' ids, submitted reviews' sums),
    # the page's applications (with decisions), their reviews, their conflicts, the shares of the selected
    # (nothing ticked: no query for the ticked alone, and selected + ticked are the selected), decisions
    # to notify, release savepoint.
    with django_assert_num_queries(13):
        response = client.get(reverse("cohorts:selection_board", args=[cohort.pk]))
    assert response.status_code == 200


# --- Shares ----------------------------------------------------------------------------------------


def candidate(cohort, status, *, gender, diaspora=False, region="dakar"):
    entrepreneur = EntrepreneurFactory(gender=gender, diaspora=diaspora, company=CompanyFactory(region=region))
    return application_at(status, cohort=cohort, entrepreneur=entrepreneur)


def test_shares_among_the_selected_the_ticked_and_both(client, staff):
    cohort = CohortFactory()
    candidate(cohort, ApplicationStatus.SELECTED, gender=Gender.WOMAN, region="dakar")
    candidate(cohort, ApplicationStatus.SELECTED, gender=Gender.MAN, diaspora=True, region="kolda")
    candidate(cohort, ApplicationStatus.SELECTED, gender=Gender.MAN, region="thies")
    candidate(cohort, ApplicationStatus.SELECTED, gender=Gender.MAN, region="thies")
    ziguinchor = candidate(cohort, ApplicationStatus.SHORTLISTED, gender=Gender.WOMAN, region="ziguinchor")
    diaspora = candidate(cohort, ApplicationStatus.SHORTLISTED, gender=Gender.WOMAN, diaspora=True, region="dakar")
    candidate(CohortFactory(), ApplicationStatus.SELECTED, gender=Gender.WOMAN)  # another cohort

    shares = selectors_selection.selection_shares_for(cohort, [ziguinchor.pk, diaspora.pk])

    assert shares["selected"] == selectors_selection.Shares(total=4, women=1, diaspora=1, axis=3, elsewhere=1)
    assert shares["selected"].women_pct == 25.0
    assert shares["ticked"] == selectors_selection.Shares(total=2, women=2, diaspora=1, axis=1, elsewhere=1)
    assert shares["together"] == selectors_selection.Shares(total=6, women=3, diaspora=2, axis=4, elsewhere=2)
    assert shares["together"].women_pct == 50.0
    nothing_ticked = selectors_selection.selection_shares_for(cohort, [])
    assert nothing_ticked["together"] == nothing_ticked["selected"] == shares["selected"]

    client.force_login(staff)
    html = client.get(
        reverse("cohorts:selection_shares", args=[cohort.pk]),
        {"applications": [ziguinchor.pk, diaspora.pk, "abc"]},
    ).content.decode()
    assert '<td class="num" data-share="ticked-women">100 % (2)</td>' in html
    assert '<td class="num" data-share="together-women">50 % (3)</td>' in html
    assert '<td class="num" data-share="selected-axis">75 % (3)</td>' in html


def test_an_empty_set_has_no_percentages():
    shares = selectors_selection.selection_shares_for(CohortFactory(), [])
    assert shares["ticked"].total == 0
    assert shares["ticked"].women_pct is None


# --- Notifications ---------------------------------------------------------------------------------


def test_notifications_go_once_in_each_applicants_language(client, staff, django_capture_on_commit_callbacks, mailoutbox):
    cohort = CohortFactory()
    french = application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort)
    english = application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort)
    english.entrepreneur.user.preferred_language = "en"
    english.entrepreneur.user.save()
    undecided = application_reviewed(ApplicationStatus.SHORTLISTED, cohort=cohort)
    selection_decide(application=french, outcome="selected", reason="Partenariat solide", by=staff)
    selection_decide(application=english, outcome="rejected", reason="Marché non ciblé", by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        assert selection_notify(cohort=cohort, by=staff) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert selection_notify(cohort=cohort, by=staff) == 0

    assert len(mailoutbox) == 2
    emails = {e.user_id: e for e in OutgoingEmail.objects.all()}
    assert emails[french.entrepreneur.user_id].kind == "selection_selected"
    assert emails[french.entrepreneur.user_id].language == "fr"
    assert "Partenariat solide" in emails[french.entrepreneur.user_id].body
    assert emails[english.entrepreneur.user_id].kind == "selection_rejected"
    assert emails[english.entrepreneur.user_id].language == "en"
    assert "Marché non ciblé" in emails[english.entrepreneur.user_id].body
    assert undecided.entrepreneur.user_id not in emails
    assert not SelectionDecision.objects.filter(notified_at__isnull=True).exists()


def test_the_applicant_sees_the_decision_on_their_home_once_notified(client, staff, django_capture_on_commit_callbacks):
    application = application_reviewed(ApplicationStatus.SHORTLISTED)
    selection_decide(application=application, outcome="waitlisted", reason="Une place peut se libérer", by=staff)
    client.force_login(application.entrepreneur.user)
    assert "Une place peut se libérer" not in client.get("/").content.decode()

    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:selection_notify", args=[application.cohort_id]), follow=True)
    assert "1 e-mail de décision mis en file d" in response.content.decode()

    client.force_login(application.entrepreneur.user)
    assert "Une place peut se libérer" in client.get("/").content.decode()


# --- The admin -------------------------------------------------------------------------------------


def test_a_decision_saved_in_the_admin_moves_the_status_or_is_refused(client):
    admin_user = UserFactory(roles=[Role.STAFF], is_superuser=True)
    shortlisted = application_reviewed(ApplicationStatus.SHORTLISTED)
    too_early = application_reviewed(ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    url = reverse("admin:cohorts_selectiondecision_add")

    refused = client.post(url, {"application": too_early.pk, "outcome": "selected", "reason_fr": "Bien", "reason_en": "Good"})
    accepted = client.post(url, {"application": shortlisted.pk, "outcome": "selected", "reason_fr": "Bien", "reason_en": "Good"})

    assert refused.status_code == 200
    assert "ne peut pas passer" in refused.content.decode()
    assert accepted.status_code == 302
    shortlisted.refresh_from_db()
    too_early.refresh_from_db()
    assert shortlisted.status == ApplicationStatus.SELECTED
    assert too_early.status == ApplicationStatus.UNDER_REVIEW
    decision = SelectionDecision.objects.get()
    assert decision.decided_by == admin_user
    assert (decision.reason_fr, decision.reason_en) == ("Bien", "Good")  # each language where it was typed


def test_a_long_board_is_paginated_and_ranked_across_its_pages(client, staff):
    cohort = CohortFactory()
    [criterion] = rubric(cohort, ("global", 1, 100))
    person = reviewer()
    applications = [application_at(ApplicationStatus.SHORTLISTED, cohort=cohort) for _ in range(60)]
    for score, application in enumerate(applications[:55], start=1):  # the last scored ranks first; 5 unscored
        submitted_review(application, person, {criterion: score})
    client.force_login(staff)
    url = reverse("cohorts:selection_board", args=[cohort.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    first_rows, second_rows = first.context["applications"], second.context["applications"]
    assert (len(first_rows), len(second_rows)) == (50, 10)
    assert [a.rank for a in first_rows] == list(range(1, 51))
    assert [a.rank for a in second_rows] == [51, 52, 53, 54, 55, None, None, None, None, None]
    assert first_rows[0].pk == applications[54].pk
    assert {a.pk for a in first_rows + second_rows} == {a.pk for a in applications}
    assert 'action="' + reverse("cohorts:selection_decide", args=[cohort.pk]) + '?page=2"' in second.content.decode()
    assert "?page=2" in first.content.decode()  # the link to the next page


def test_a_batch_sent_from_a_page_of_the_board_comes_back_to_that_page(client, staff):
    cohort = CohortFactory()
    application = application_reviewed(ApplicationStatus.UNDER_REVIEW, cohort=cohort)
    client.force_login(staff)
    url = reverse("cohorts:selection_decide", args=[cohort.pk])

    response = client.post(f"{url}?page=2", {"applications": [application.pk], "action": "shortlist"})
    tampered = client.post(f"{url}?page=x", {"applications": [application.pk], "action": "shortlist"})

    assert response.url == reverse("cohorts:selection_board", args=[cohort.pk]) + "?page=2"
    assert tampered.url == reverse("cohorts:selection_board", args=[cohort.pk])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
