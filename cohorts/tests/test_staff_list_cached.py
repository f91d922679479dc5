"""The staff application list reads its filter menus (programmes, cohorts, regions) and its count once per
data version and language, and draws its filter form without crispy's per-field templates: the same
labels, ids, chosen values and errors, the new rows after every write."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import CohortFactory
from cohorts.tests.factories_staff import staff_application

pytestmark = pytest.mark.django_db

URL = reverse("cohorts:application_list")


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _options(html: str, name: str) -> list[str]:
    menu = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option [^>]*>([^<]*)</option>", menu)


def test_a_second_view_reads_the_menus_and_the_count_from_the_cache_and_a_write_shows_at_once(client, django_assert_num_queries):
    client.force_login(UserFactory(roles=["staff"], preferred_language="fr"))
    cohort = CohortFactory(name="Cohorte printemps")
    for number in range(3):
        staff_application(cohort=cohort, name=f"Entreprise {number}")
    first = client.get(URL).content.decode()

    # session, user, SAVEPOINT, the user's groups, the page of applications, RELEASE SAVEPOINT: neither the
    # count nor the programmes, cohorts and regions of the menus.
    with django_assert_num_queries(6):
        second = client.get(URL).content.decode()
    assert _without_tokens(second) == _without_tokens(first)
    assert "3 candidatures" in second

    CohortFactory(programme=cohort.programme, name="Cohorte automne")
    staff_application(cohort=cohort, name="Entreprise 4")
    third = client.get(URL).content.decode()

    assert any(option.endswith("Cohorte automne") for option in _options(third, "cohort"))
    assert "4 candidatures" in third
    assert "Entreprise 4" in third


def test_each_filter_has_its_own_count(client):
    client.force_login(UserFactory(roles=["staff"]))
    cohort = CohortFactory()
    staff_application(cohort=cohort, name="Awa Textile", gender="woman")
    staff_application(cohort=cohort, name="Moussa Digital", gender="man")
    staff_application(cohort=cohort, name="Ibou Santé", gender="man")

    assert client.get(URL).context["page"].paginator.count == 3
    assert client.get(URL, {"gender": "man"}).context["page"].paginator.count == 2
    assert client.get(URL, {"gender": "woman"}).context["page"].paginator.count == 1
    assert client.get(URL, {"gender": "man", "q": "santé"}).context["page"].paginator.count == 1
    assert client.get(URL).context["page"].paginator.count == 3


def test_the_menus_and_labels_are_in_the_reader_s_language(client):
    french, english = UserFactory(roles=["staff"], preferred_language="fr"), UserFactory(roles=["staff"], preferred_language="en")
    cohort = CohortFactory(name_fr="Cohorte printemps", name_en="Spring cohort")
    staff_application(cohort=cohort, name="Awa Textile")

    client.force_login(french)
    html = client.get(URL).content.decode()
    assert f"{cohort.programme.name} – Cohorte printemps" in _options(html, "cohort")
    assert '<label for="id_cohort" class="form-label">Cohorte</label>' in html
    assert "Soumise" in _options(html, "status")

    client.force_login(english)
    html = client.get(URL).content.decode()
    assert f"{cohort.programme.name} – Spring cohort" in _options(html, "cohort")
    assert '<label for="id_cohort" class="form-label">Cohort</label>' in html
    assert "Submitted" in _options(html, "status")
    assert ">Filter</button>" in html


def test_the_form_shows_the_chosen_values_and_ties_each_error_to_its_field(client):
    client.force_login(UserFactory(roles=["staff"], preferred_language="fr"))
    cohort = CohortFactory()
    staff_application(cohort=cohort, name="Awa Textile")

    html = client.get(URL, {"cohort": cohort.pk, "gender": "woman", "q": 'Awa "T'}).content.decode()
    assert f'<option value="{cohort.pk}" selected>' in html
    assert '<option value="woman" selected>' in html
    assert '<option value="" selected>' in html  # the menus left empty
    assert 'name="q" value="Awa &quot;T"' in html
    assert "is-invalid" not in html

    html = client.get(URL, {"cohort": "999999", "region": "x"}).content.decode()
    for name in ("cohort", "region"):
        assert f'aria-invalid="true" aria-describedby="id_{name}_error" id="id_{name}"' in html
        assert f'<div id="id_{name}_error" class="invalid-feedback"><span id="error_1_id_{name}"><strong>' in html
    assert 'aria-describedby="id_status_error"' not in html
