"""Spreadsheet exports that people read (django-import-export): each column named as the form names the
field, in the user's language; a choice by its label ("Investissement", never "investment"), a country by
its name ("Sénégal", never "SN"), yes or no for a box, a related row by its name."""

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django_countries.fields import CountryField
from import_export import resources


class ReadableModelResource(resources.ModelResource):
    """A model's export in words. Columns declared on the resource keep their own name and value; the
    model's fields listed in `Meta.fields` take the field's verbose name and are shown in words."""

    def _model_field(self, field) -> models.Field | None:
        name = self.get_field_name(field)
        try:
            model_field = self._meta.model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a column that is no model field (declared on the resource)
            return None
        # A model's own column (a foreign key's is read through its `_id` attribute), not one declared
        # on the resource with a path of its own ("company__name").
        own = {name, getattr(model_field, "attname", name)}
        return model_field if model_field.concrete and (field.attribute or "") in own else None

    def get_export_headers(self, selected_fields=None):
        headers = []
        for field in self.get_export_fields(selected_fields):
            model_field = self._model_field(field)
            if model_field is not None and model_field.name != "id":
                headers.append(force_str(model_field.verbose_name))
            else:
                headers.append(force_str(field.column_name))
        return headers

    def export_field(self, field, instance, **kwargs):
        model_field = self._model_field(field)
        if model_field is None:
            return super().export_field(field, instance, **kwargs)
        value = getattr(instance, model_field.name)
        if isinstance(model_field, CountryField):
            return str(value.name) if value else ""
        if model_field.choices:
            return force_str(getattr(instance, f"get_{model_field.name}_display")())
        if model_field.is_relation:
            return str(value) if value is not None else ""
        if isinstance(value, bool):
            return gettext("oui") if value else gettext("non")
        return super().export_field(field, instance, **kwargs)
