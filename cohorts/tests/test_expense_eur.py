"""An expense's euro amount is computed by the database from its amount and currency (a stored generated
column), at the fixed parity 1 EUR = 655.957 XOF: the same whoever writes the row, even a bulk update."""

import datetime
from decimal import Decimal

import pytest

from cohorts.models import Currency, Expense, to_eur
from cohorts.tests.factories import BudgetLineFactory, ExpenseFactory

pytestmark = pytest.mark.django_db


def stored(expense: Expense) -> Decimal:
    return Expense.objects.values_list("amount_eur", flat=True).get(pk=expense.pk)


def test_an_amount_in_euros_is_kept_as_it_is():
    expense = ExpenseFactory(amount=Decimal("1234.56"), currency=Currency.EUR)
    assert stored(expense) == Decimal("1234.56")


def test_an_amount_in_fcfa_is_converted_at_the_fixed_parity_to_the_cent():
    assert stored(ExpenseFactory(amount=Decimal("655957"), currency=Currency.XOF)) == Decimal("1000.00")
    assert stored(ExpenseFactory(amount=Decimal("1000"), currency=Currency.XOF)) == Decimal("1.52")  # 1.5245...
    assert stored(ExpenseFactory(amount=Decimal("3279.78"), currency=Currency.XOF)) == Decimal("5.00")  # 4.99999...


def test_the_database_and_to_eur_agree_in_both_currencies():
    line = BudgetLineFactory()
    amounts = [Decimal(n) / 100 for n in (1, 99, 328, 65596, 123457, 99999999, 65595700000)]
    Expense.objects.bulk_create(
        Expense(budget_line=line, spent_on=datetime.date(2023, 5, 2), amount=amount, currency=currency, description="x")
        for amount in amounts
        for currency in Currency.values
    )
    for amount, currency, amount_eur in Expense.objects.values_list("amount", "currency", "amount_eur"):
        assert amount_eur == to_eur(amount, currency), (amount, currency)


def test_changing_the_amount_or_the_currency_in_a_bulk_update_recomputes_it():
    expense = ExpenseFactory(amount=Decimal("655957"), currency=Currency.XOF)

    Expense.objects.filter(pk=expense.pk).update(amount=Decimal("1311914"))
    assert stored(expense) == Decimal("2000.00")

    Expense.objects.filter(pk=expense.pk).update(currency=Currency.EUR)
    assert stored(expense) == Decimal("1311914.00")


def test_the_saved_instance_reads_the_computed_amount():
    expense = ExpenseFactory(amount=Decimal("655957"), currency=Currency.XOF)
    expense.refresh_from_db()
    assert expense.amount_eur == Decimal("1000.00")
