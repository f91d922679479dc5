"""Form helpers shared by the apps' views."""

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
