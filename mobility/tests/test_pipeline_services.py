"""The pipeline's rules, at the service level: a move back, to dormant or to ended needs a reason (and
nothing changes without one); every move is dated and attributed; transactions in euros or CFA francs
only, never negative nor before the start; documents under the upload rules of every private document;
a support need is referred, then its outcome recorded."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.demo import demo_pdf
from cohorts.tests.factories import ApplicationFactory
from mobility import services
from mobility.models import (
    PartnershipDocument,
    PartnershipStage,
    PartnershipType,
    ReferralOutcome,
    SupportNeedStatus,
)
from partners.models import OrganisationKind
from partners.tests.factories import BelgianCompanyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = demo_pdf(["Accord de partenariat"])


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.STAFF])


@pytest.fixture
def partnership(staff):
    partnership = services.partnership_create(
        application=ApplicationFactory(submitted=True),
        organisation=BelgianCompanyFactory(),
        type=PartnershipType.EXPORT,
        started_on=datetime.date(2024, 1, 10),
        by=staff,
    )
    services.partnership_stage_change(partnership=partnership, to_stage="discussion", by=staff, on=datetime.date(2024, 2, 1))
    services.partnership_stage_change(partnership=partnership, to_stage="agreement", by=staff, on=datetime.date(2024, 3, 1))
    return partnership


def test_a_move_back_without_a_reason_is_refused_and_changes_nothing(partnership, staff):
    with pytest.raises(ValidationError) as error:
        services.partnership_stage_change(partnership=partnership, to_stage="discussion", by=staff, note="  ")

    assert error.value.code == "reason_required"
    assert "Accord signé → En discussion" in error.value.messages[0]
    partnership.refresh_from_db()
    assert partnership.stage == PartnershipStage.AGREEMENT and partnership.stage_changes.count() == 3


def test_a_move_back_with_a_reason_is_dated_and_attributed(partnership, staff):
    services.partnership_stage_change(
        partnership=partnership, to_stage="discussion", by=staff, on=datetime.date(2024, 4, 2), note="Accord dénoncé"
    )

    last = partnership.stage_changes.order_by("pk").last()
    assert (last.from_stage, last.to_stage, last.changed_on, last.by, last.note) == (
        "agreement",
        "discussion",
        datetime.date(2024, 4, 2),
        staff,
        "Accord dénoncé",
    )


@pytest.mark.parametrize("stage", ["dormant", "ended"])
def test_dormant_and_ended_need_a_reason(partnership, staff, stage):
    with pytest.raises(ValidationError):
        services.partnership_stage_change(partnership=partnership, to_stage=stage, by=staff)
    services.partnership_stage_change(partnership=partnership, to_stage=stage, by=staff, note="Plus de commandes")
    partnership.refresh_from_db()
    assert partnership.stage == stage


def test_forward_moves_need_no_reason_and_a_dormant_partnership_may_revive(partnership, staff):
    services.partnership_stage_change(partnership=partnership, to_stage="active", by=staff, on=datetime.date(2024, 5, 1))
    services.partnership_stage_change(
        partnership=partnership, to_stage="dormant", by=staff, note="Pause", on=datetime.date(2024, 6, 1)
    )
    services.partnership_stage_change(partnership=partnership, to_stage="discussion", by=staff, on=datetime.date(2024, 7, 1))
    assert partnership.stage == "discussion"


def test_a_stage_change_in_the_future_is_refused(partnership, staff):
    with pytest.raises(ValidationError):
        services.partnership_stage_change(
            partnership=partnership, to_stage="active", by=staff, on=datetime.date.today() + datetime.timedelta(days=3)
        )


def _transaction(partnership, **overrides):
    values = {
        "partnership": partnership,
        "kind": "order",
        "occurred_on": datetime.date(2024, 3, 5),
        "value": Decimal("655957"),
        "currency": "XOF",
    }
    return services.partnership_transaction_add(**{**values, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "USD"}, "currency"),
        ({"value": Decimal("-1")}, "value"),
        ({"occurred_on": datetime.date(2024, 1, 9)}, "occurred_on"),
    ],
)
def test_a_transaction_in_an_unknown_currency_negative_or_before_the_start_is_refused(partnership, overrides, field):
    with pytest.raises(ValidationError) as error:
        _transaction(partnership, **overrides)

    assert field in error.value.message_dict
    assert not partnership.transactions.exists()


def test_a_transaction_in_cfa_francs_gets_its_euro_value_from_the_database(partnership):
    _transaction(partnership)

    assert partnership.transactions.get().value_eur == Decimal("1000.00")


def test_a_document_is_stored_privately_when_it_is_a_real_pdf(partnership, staff):
    document = services.partnership_document_add(
        partnership=partnership,
        kind="agreement",
        title="",
        upload=SimpleUploadedFile("accord.pdf", PDF, content_type="application/pdf"),
        by=staff,
    )

    assert (document.content_type, document.title, document.uploaded_by) == ("application/pdf", "accord.pdf", staff)
    assert "accord" not in document.file.name  # a random name on disk
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"MZ\x90\x00 an exe", "file_type"), (b"", "empty")],
)
def test_a_document_that_is_not_a_pdf_or_a_picture_is_refused(partnership, staff, content, code):
    with pytest.raises(ValidationError) as error:
        services.partnership_document_add(
            partnership=partnership,
            kind="agreement",
            title="Accord",
            upload=SimpleUploadedFile("accord.pdf", content, content_type="application/pdf"),
            by=staff,
        )

    assert error.value.code == code
    assert not PartnershipDocument.objects.exists()


def test_a_need_is_referred_then_its_outcome_recorded(partnership, staff):
    adepme = OrganisationFactory(kind=OrganisationKind.SUPPORT_AGENCY, name="ADEPME")
    need = services.support_need_record(partnership=partnership, kind="feasibility", description="Étude de marché", by=staff)
    assert (need.application_id, need.status, need.outcome) == (partnership.application_id, SupportNeedStatus.OPEN, "")

    with pytest.raises(ValidationError):
        services.support_need_outcome_record(need=need, outcome="received", on=datetime.date.today())  # not referred yet

    today = datetime.date.today()
    need = services.support_need_refer(need=need, organisation=adepme, on=today, by=staff)
    assert (need.status, need.referred_to, need.outcome) == (SupportNeedStatus.REFERRED, adepme, ReferralOutcome.PENDING)

    need = services.support_need_outcome_record(
        need=need, outcome="not_eligible", on=today, note="Chiffre d'affaires trop faible"
    )
    assert need.status == SupportNeedStatus.REFERRED and need.outcome_note == "Chiffre d'affaires trop faible"
    need = services.support_need_outcome_record(need=need, outcome="received", on=today)
    assert need.status == SupportNeedStatus.RESOLVED and need.outcome == ReferralOutcome.RECEIVED


def test_a_need_is_not_referred_to_a_belgian_company_nor_before_it_was_recorded(partnership):
    need = services.support_need_record(partnership=partnership, kind="legal")
    with pytest.raises(ValidationError):
        services.support_need_refer(need=need, organisation=BelgianCompanyFactory(), on=datetime.date.today())
    with pytest.raises(ValidationError):
        services.support_need_refer(
            need=need,
            organisation=OrganisationFactory(kind=OrganisationKind.INCUBATOR),
            on=datetime.date.today() - datetime.timedelta(days=5),
        )
    need.refresh_from_db()
    assert need.status == SupportNeedStatus.OPEN and need.referred_to is None
