"""The three answers a Belgian company gives on its invitation page (strings read in fr, nl or en)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .partner_link import DECLINE_REASON_LABELS


class AcceptForm(forms.Form):
    slot = forms.TypedChoiceField(
        label=_("Le créneau qui vous convient"), coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, slots=(), slot_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = slot_labels or {}
        self.fields["slot"].choices = [(slot.pk, labels.get(slot.pk, str(slot))) for slot in slots]
        self.fields["slot"].error_messages["required"] = _("Choisissez l'un des créneaux proposés.")
        self.fields["slot"].error_messages["invalid_choice"] = _("Choisissez l'un des créneaux proposés.")


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Raison"),
        choices=list(DECLINE_REASON_LABELS.items()),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Indiquez la raison de votre refus."),
            "invalid_choice": _("Indiquez la raison de votre refus."),
        },
    )
    details = forms.CharField(
        label=_("Précisions (facultatif)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReferForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de votre collègue"), max_length=200, error_messages={"required": _("Indiquez le nom de votre collègue.")}
    )
    email = forms.EmailField(
        label=_("Son adresse e-mail"),
        error_messages={
            "required": _("Indiquez l'adresse e-mail de votre collègue."),
            "invalid": _("Cette adresse e-mail n'est pas valable."),
        },
    )
