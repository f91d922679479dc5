"""Form helpers shared by the apps' views."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


def form_add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message under its field when the form has that
    field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def choice_list_field(model, name: str, choices) -> forms.MultipleChoiceField:
    """A model's JSON list of stored choice values, edited as labelled boxes to tick (a person never sees or
    types the stored list); labelled with the model field's name."""
    return forms.MultipleChoiceField(
        label=model._meta.get_field(name).verbose_name, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


@dataclass(frozen=True)
class FilterField:
    """One field of a GET filter form as `core/_filter_form.html` draws it: a text box, or a menu whose
    options are (value, label, selected)."""

    id: str
    name: str
    label: str
    value: str
    errors: list[str]
    options: list[tuple[str, str, bool]] | None  # None: a text box


def filter_form_fields(form: forms.Form, choices: Mapping[str, Iterable[tuple[str, str]]] | None = None) -> list[FilterField]:
    """The fields of a bound filter form for `core/_filter_form.html`, which draws them with the markup the
    crispy Bootstrap 5 template gives (ids, labels, errors tied to their field) in a fraction of its time:
    crispy renders each field, and Django each menu option, through templates of their own.

    A menu's options are its field's choices, or for a field named in `choices` those given there (value,
    label), after the field's empty label: a model's rows read once per data version (see
    `core.data_version.cached_per_version`), where the field's own choices would query them each time.
    The field still validates what is submitted against its own queryset. Menus of flat choices and text
    boxes only (no option groups, no multiple choice)."""
    choices = choices or {}
    fields = []
    for bound in form:
        field = bound.field
        value = bound.value()
        value = "" if value is None else str(value)
        if isinstance(field, forms.MultipleChoiceField):
            raise TypeError(f"{bound.name}: the filter template draws single-choice menus and text boxes only.")
        if not isinstance(field, forms.ChoiceField):
            options = None
        else:
            if bound.name in choices:
                empty = getattr(field, "empty_label", None)
                items = ([("", empty)] if empty is not None else []) + list(choices[bound.name])
            else:
                items = field.choices
            options = [(str(key), str(label), str(key) == value) for key, label in items]
        fields.append(FilterField(bound.auto_id, bound.html_name, str(bound.label), value, list(bound.errors), options))
    return fields
