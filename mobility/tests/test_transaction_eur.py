"""A partnership transaction's euro value is computed by the database, as an expense's euro amount is
(`cohorts.models.to_eur_expression`): no save hook to forget."""

from decimal import Decimal

import pytest

from cohorts.models import Currency, to_eur
from mobility.models import PartnershipTransaction
from mobility.tests.factories import PartnershipTransactionFactory

pytestmark = pytest.mark.django_db


def stored(transaction: PartnershipTransaction) -> Decimal:
    return PartnershipTransaction.objects.values_list("value_eur", flat=True).get(pk=transaction.pk)


@pytest.mark.parametrize(
    ("value", "currency", "eur"),
    [
        (Decimal("1200.00"), Currency.EUR, Decimal("1200.00")),
        (Decimal("327978.50"), Currency.XOF, Decimal("500.00")),
        (Decimal("1000000"), Currency.XOF, Decimal("1524.49")),
    ],
)
def test_the_euro_value_follows_the_value_and_currency(value, currency, eur):
    transaction = PartnershipTransactionFactory(value=value, currency=currency)
    assert stored(transaction) == eur == to_eur(value, currency)


def test_a_bulk_update_recomputes_it():
    transaction = PartnershipTransactionFactory(value=Decimal("655957"), currency=Currency.XOF)
    PartnershipTransaction.objects.filter(pk=transaction.pk).update(currency=Currency.EUR)
    assert stored(transaction) == Decimal("655957.00")
