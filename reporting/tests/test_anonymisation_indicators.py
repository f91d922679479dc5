"""Anonymising people leaves every indicator of the programme unchanged (issue [6] item 6): the demo
programme's figures, whole and per cohort, are computed before and after anonymising the people with the
most history (trips, partnerships, visa files, coaching, a commitment text)."""

import dataclasses

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import User
from cohorts.models import Programme
from mobility.services_privacy import person_anonymise
from partners.models import Entrepreneur
from reporting.indicators import compute_indicators

pytestmark = pytest.mark.django_db


def plain(value):
    """Every figure as plain values (dataclasses, dicts of any kind, lists; rows by their pk)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "computed_at"}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "_meta"):
        return (value._meta.label, value.pk)
    return value


def figures(programme: Programme) -> list[dict]:
    sets = [compute_indicators(programme=programme)]
    sets += [compute_indicators(programme=programme, cohort=cohort) for cohort in programme.cohorts.all()]
    return [plain(indicator_set) for indicator_set in sets]


def test_anonymising_people_changes_no_indicator_of_the_programme(django_capture_on_commit_callbacks):
    call_command("load_demo", allow_production=True)
    programmes = list(Programme.objects.all())
    before = {programme.pk: figures(programme) for programme in programmes}
    people = list(
        Entrepreneur.objects.annotate(
            trips=Count("applications__trips", distinct=True),
            partnerships=Count("applications__partnerships", distinct=True),
            sessions=Count("applications__coaching_sessions", distinct=True),
        )
        .filter(trips__gt=0, partnerships__gt=0)
        .exclude(applications__environmental_commitment="")
        .order_by("-partnerships", "-sessions")[:5]
    )
    refused = Entrepreneur.objects.filter(applications__visa_file__status="refused").first()
    diaspora = Entrepreneur.objects.exclude(country_of_residence="SN").exclude(country_of_residence="").first()
    people += [person for person in (refused, diaspora) if person is not None]
    assert len(people) >= 5
    staff = User.objects.get(email="equipe@demo.pem.example")
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            person_anonymise(entrepreneur=person, by=staff, reason="test")
    assert not Entrepreneur.objects.filter(pk__in=[p.pk for p in people], last_name__in=[p.last_name for p in people]).exists()
    after = {programme.pk: figures(programme) for programme in programmes}
    for programme in programmes:
        assert after[programme.pk] == before[programme.pk], programme
