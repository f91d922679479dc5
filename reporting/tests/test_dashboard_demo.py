"""The demo's committee member opens the dashboard: the pilot's figures, counted from the demo rows."""

import pytest
from django.urls import reverse

from accounts.models import User
from cohorts.models import Programme


@pytest.fixture
def committee_client(demo, db, client):
    client.force_login(User.objects.get(email="comite@demo.pem.example"))
    return client


def test_the_committee_member_sees_the_pilots_figures(committee_client):
    response = committee_client.get(reverse("reporting:dashboard"))

    assert response.status_code == 200
    assert response.context["programme"].code == "pem-wecco"
    assert [p.code for p in response.context["programmes"]] == ["pem-wecco"]
    html = response.content.decode()
    assert 'data-figure="travelled">47<' in html
    assert 'data-figure="belgian_companies_met">130<' in html
    assert len(response.context["cohort_rows"]) == 2
    assert html.count("<svg") >= 5
    # The pilot has its evaluation: the DAC report can be asked for, in French or English.
    assert [item["kind"] for item in response.context["report_requests"]] == ["dac", "committee"]


def test_the_committee_member_cannot_open_another_demo_programme(committee_client):
    nzassa = Programme.objects.get(code="pem-nzassa")

    assert committee_client.get(reverse("reporting:dashboard"), {"programme": nzassa.pk}).status_code == 404
    assert committee_client.get(reverse("reporting:iati_export", kwargs={"pk": nzassa.pk})).status_code == 404
