"""Dates read one way in both languages: months written out, day before month, no "Jui 2024"."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ProgrammeMembershipFactory
from reporting.tests.factories import EvaluationFactory

JUNE_3 = datetime.date(2024, 6, 3)
JULY_3 = datetime.date(2024, 7, 3)


def render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load l10n %}" + text).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["3 juin 2024", "3 juillet 2024", "juin 2024", "juillet 2024", "03/06/2024"]),
        ("en", ["3 June 2024", "3 July 2024", "June 2024", "July 2024", "3 Jun 2024"]),
    ],
)
def test_dates_are_day_first_and_months_unambiguous(language, expected):
    shown = [
        render("{{ d|date }}", language, d=JUNE_3),
        render("{{ d|date }}", language, d=JULY_3),
        render('{{ d|date:"YEAR_MONTH_FORMAT" }}', language, d=JUNE_3),
        render('{{ d|date:"YEAR_MONTH_FORMAT" }}', language, d=JULY_3),
        render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, d=JUNE_3),
    ]

    assert shown == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "june", "july"), [("fr", "juin 2024", "juillet 2024"), ("en", "June 2024", "July 2024")])
def test_the_evaluation_index_writes_the_months_out(client, language, june, july):
    evaluation = EvaluationFactory(period_start=datetime.date(2024, 6, 1), period_end=datetime.date(2024, 7, 31))
    person = UserFactory(roles=[Role.EVALUATOR], preferred_language=language)
    ProgrammeMembershipFactory(programme=evaluation.programme, user=person, role=Role.EVALUATOR)
    client.force_login(person)

    html = client.get(reverse("reporting:evaluation_index")).content.decode()

    assert f"({june} – {july}" in html
    assert "Jui " not in html and "jui " not in html
