"""The pipeline pages: the board moves cards with a plain form (no JavaScript) and with htmx (the board
fragment comes back); a refused move says why and keeps what was typed; the partnership page adds
transactions, documents and needs; documents are downloaded by staff, the entrepreneur and their coach
only, as attachments; the board's queries do not grow with the number of partnerships."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from coaching.tests.factories import CoachAssignmentFactory
from cohorts.demo import demo_pdf
from cohorts.tests.factories import ApplicationFactory, CohortFactory
from core.figures import money
from mobility import services
from mobility.models import Partnership, PartnershipDocument, PartnershipStage, SupportNeed
from mobility.tests.factories import B2BMeetingFactory, PartnershipDocumentFactory, PartnershipTransactionFactory
from partners.models import OrganisationKind
from partners.tests.factories import BelgianCompanyFactory, EntrepreneurFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = demo_pdf(["Accord de partenariat"])


@pytest.fixture
def staff(client):
    user = UserFactory(roles=[Role.STAFF])
    client.force_login(user)
    return user


def _partnership(cohort=None, *, stage="discussion", entrepreneur=None, by=None):
    application = ApplicationFactory(
        submitted=True, cohort=cohort or CohortFactory(), **({"entrepreneur": entrepreneur} if entrepreneur else {})
    )
    partnership = services.partnership_create(
        application=application,
        organisation=BelgianCompanyFactory(),
        type="export",
        started_on=datetime.date(2024, 1, 10),
        by=by,
    )
    path = ["discussion", "agreement", "first_transaction", "active"]
    for n, step in enumerate(path[: path.index(stage) + 1] if stage != "prospect" else []):
        services.partnership_stage_change(partnership=partnership, to_stage=step, by=by, on=datetime.date(2024, 2 + n, 1))
    return partnership


def _move(partnership, **data):
    return {"cohort": partnership.application.cohort_id, "changed_on": datetime.date.today().isoformat(), **data}


def test_without_javascript_a_card_moves_forward_and_the_board_comes_back(client, staff):
    partnership = _partnership()
    url = reverse("mobility:partnership_move", args=[partnership.pk])

    response = client.post(url, _move(partnership, to_stage="agreement"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mobility:pipeline_board") + f"?cohort={partnership.application.cohort_id}")
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT
    assert partnership.stage_changes.order_by("pk").last().by == staff


def test_without_javascript_a_move_back_without_reason_shows_why_and_keeps_the_card_form(client, staff):
    partnership = _partnership(stage="agreement")
    url = reverse("mobility:partnership_move", args=[partnership.pk])

    response = client.post(url, _move(partnership, to_stage="prospect", changed_on="2024-06-01"))

    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert "demande un motif" in page
    assert 'value="2024-06-01"' in page  # what was typed is still there
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT and partnership.stage_changes.count() == 3

    client.post(url, _move(partnership, to_stage="prospect", note="Le partenaire a changé de direction"))
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.PROSPECT


def test_with_htmx_the_board_fragment_comes_back_with_the_error_or_the_move(client, staff):
    partnership = _partnership(stage="agreement")
    url = reverse("mobility:partnership_move", args=[partnership.pk])
    htmx = {"HX-Request": "true"}

    refused = client.post(url, _move(partnership, to_stage="discussion", note=""), headers=htmx)
    page = refused.content.decode()
    assert refused.status_code == 200 and "<html" not in page and 'id="pipeline-board"' in page
    assert "demande un motif" in page

    moved = client.post(url, _move(partnership, to_stage="discussion", note="Renégociation"), headers=htmx)
    page = moved.content.decode()
    assert moved.status_code == 200 and "<html" not in page and "En discussion" in page
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.DISCUSSION

    board = client.get(reverse("mobility:pipeline_board"), {"cohort": partnership.application.cohort_id}, headers=htmx)
    assert "<html" not in board.content.decode() and board["Vary"].find("HX-Request") >= 0


def test_the_board_filters_and_shows_counts_and_euro_total(client, staff):
    cohort = CohortFactory()
    exporting = _partnership(cohort, stage="agreement")
    PartnershipTransactionFactory(partnership=exporting, value=1311914, currency="XOF", occurred_on=datetime.date(2024, 4, 1))
    other = _partnership(cohort, stage="prospect")
    Partnership.objects.filter(pk=other.pk).update(type="training")

    page = client.get(reverse("mobility:pipeline_board"), {"cohort": cohort.pk}).content.decode()
    assert "2 partenariats" in page and money(Decimal("2000")) in page

    only_training = client.get(reverse("mobility:pipeline_board"), {"cohort": cohort.pk, "type": "training"}).content.decode()
    assert "1 partenariat" in only_training and f'id="p{exporting.pk}"' not in only_training
    assert client.get(reverse("mobility:pipeline_board"), {"cohort": "x", "type": "nope", "sector": "<b>"}).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_board_queries_stay_the_same_with_3_or_30_partnerships(client, staff, django_assert_num_queries, rows):
    cohort = CohortFactory()
    for _n in range(rows):
        PartnershipTransactionFactory(partnership=_partnership(cohort, stage="prospect"), occurred_on=datetime.date(2024, 3, 1))
    url = reverse("mobility:pipeline_board")
    # Eleven at any size: session, user and roles of the request and the base template; the cohort by id;
    # counts by type and stage; the transactions' total; the cards with their value; the filter's cohort
    # list; the count of stage changes proposed by check-ins.
    with django_assert_num_queries(11):
        response = client.get(url, {"cohort": cohort.pk})
    assert response.content.decode().count('class="card mb-2 pipeline-card"') == rows


def test_staff_add_a_transaction_in_cfa_francs_and_an_unknown_currency_is_refused(client, staff):
    partnership = _partnership()
    url = reverse("mobility:partnership_transaction_add", args=[partnership.pk])
    data = {"kind": "order", "occurred_on": "2024-03-01", "value": "655957", "currency": "XOF", "description": "Commande"}

    refused = client.post(url, {**data, "currency": "USD"})
    assert "Devise inconnue" in refused.content.decode() and 'value="Commande"' in refused.content.decode()
    early = client.post(url, {**data, "occurred_on": "2023-12-01"})
    assert "début du partenariat" in early.content.decode()
    assert not partnership.transactions.exists()

    assert client.post(url, data).status_code == 302
    assert str(partnership.transactions.get().value_eur) == "1000.00"


def test_staff_create_a_partnership_from_a_b2b_meeting(client, staff):
    meeting = B2BMeetingFactory()
    url = reverse("mobility:partnership_new")
    assert client.get(url, {"meeting": meeting.pk}).status_code == 200

    response = client.post(url, {"meeting": meeting.pk, "type": "representation", "started_on": "2024-05-20"})

    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert (partnership.application, partnership.organisation, partnership.meeting) == (
        meeting.trip.application,
        meeting.organisation,
        meeting,
    )
    again = client.post(url, {"meeting": meeting.pk, "type": "representation", "started_on": "2024-05-20"})
    assert "existe déjà" in again.content.decode() and Partnership.objects.count() == 1
    empty = client.post(url, {"type": "export", "started_on": "2024-05-20"})
    assert "Choisissez l&#x27;entrepreneur·e" in empty.content.decode()


def test_staff_record_refer_a_need_and_its_outcome_from_the_partnership_page(client, staff):
    partnership = _partnership()
    apix = OrganisationFactory(kind=OrganisationKind.SUPPORT_AGENCY, name="Agence APIX", short_name="APIX")
    client.post(reverse("mobility:support_need_add", args=[partnership.pk]), {"kind": "finance", "description": "Préfinancement"})
    need = SupportNeed.objects.get()
    today = datetime.date.today().isoformat()
    client.post(
        reverse("mobility:support_need_refer", args=[partnership.pk, need.pk]), {"organisation": apix.pk, "referred_on": today}
    )
    client.post(
        reverse("mobility:support_need_outcome", args=[partnership.pk, need.pk]),
        {"outcome": "received", "note": "Ligne de crédit", "outcome_on": today},
    )

    page = client.get(reverse("mobility:partnership_detail", args=[partnership.pk])).content.decode()
    assert "Orienté vers APIX" in page and "Appui reçu" in page and "Ligne de crédit" in page
    assert SupportNeed.objects.get().status == "resolved"


def test_documents_are_downloaded_as_attachments_by_staff_the_entrepreneur_and_their_coach_only(client):
    entrepreneur = EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    partnership = _partnership(entrepreneur=entrepreneur)
    coach = CoachAssignmentFactory(application=partnership.application).coach.user
    document = PartnershipDocumentFactory(partnership=partnership, original_name="Accord signé.pdf")
    url = reverse("mobility:partnership_document_download", args=[partnership.pk, document.pk])

    for user in (UserFactory(roles=[Role.STAFF]), entrepreneur.user, coach):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    for outsider in (
        EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR])).user,
        CoachAssignmentFactory().coach.user,
        UserFactory(roles=[Role.COMMITTEE]),
        UserFactory(roles=[Role.REVIEWER]),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_entrepreneur_reads_their_partnerships_and_adds_the_signed_agreement(client):
    entrepreneur = EntrepreneurFactory(user=UserFactory(roles=[Role.ENTREPRENEUR]))
    partnership = _partnership(entrepreneur=entrepreneur, stage="agreement")
    client.force_login(entrepreneur.user)

    listing = client.get(reverse("mobility:my_partnerships")).content.decode()
    assert str(partnership.organisation) in listing and "Accord signé" in listing
    url = reverse("mobility:my_partnership", args=[partnership.pk])
    page = client.get(url).content.decode()
    assert "Lecture seule" in page and "Changer d&#x27;étape" not in page and "Ajouter une transaction" not in page

    refused = client.post(
        url, {"title": "Accord", "file": SimpleUploadedFile("accord.pdf", b"MZ exe", content_type="application/pdf")}
    )
    assert "Seuls les fichiers PDF, JPEG ou PNG" in refused.content.decode() and not PartnershipDocument.objects.exists()
    client.post(url, {"title": "Accord", "file": SimpleUploadedFile("accord.pdf", PDF, content_type="application/pdf")})
    document = PartnershipDocument.objects.get()
    assert (document.kind, document.uploaded_by) == ("agreement", entrepreneur.user)

    # Their staff-only writes stay out of reach.
    assert (
        client.post(
            reverse("mobility:partnership_move", args=[partnership.pk]), _move(partnership, to_stage="active")
        ).status_code
        == 404
    )
    other = _partnership()
    assert client.get(reverse("mobility:my_partnership", args=[other.pk])).status_code == 404


def test_the_coach_reads_the_partnerships_of_their_entrepreneurs_only(client):
    mine = _partnership()
    coach = CoachAssignmentFactory(application=mine.application).coach.user
    other = _partnership()
    client.force_login(coach)

    listing = client.get(reverse("mobility:coach_partnerships")).content.decode()
    assert str(mine.organisation) in listing and str(other.organisation) not in listing
    page = client.get(reverse("mobility:coach_partnership", args=[mine.pk])).content.decode()
    assert "Lecture seule" in page and "Déposer" not in page
    assert client.get(reverse("mobility:coach_partnership", args=[other.pk])).status_code == 404


def test_the_board_points_to_stage_changes_proposed_by_check_ins(client, staff):
    from mobility.models import FollowUpCheckIn, StageProposal

    partnership = _partnership(stage="discussion")
    check_in = FollowUpCheckIn.objects.create(
        application=partnership.application, months_after=1, due_on=datetime.date(2024, 1, 1)
    )
    url = reverse("mobility:pipeline_board")
    assert "attend votre décision" not in client.get(url, {"cohort": partnership.application.cohort_id}).content.decode()
    StageProposal.objects.create(
        partnership=partnership, to_stage="agreement", check_in=check_in, answered_on=datetime.date(2024, 1, 5)
    )
    page = client.get(url, {"cohort": partnership.application.cohort_id}).content.decode()
    assert "Un changement d'étape proposé par un questionnaire de suivi attend votre décision." in page
    assert reverse("mobility:follow_up_staff") in page
