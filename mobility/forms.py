"""Forms of the mobility area."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : demande d'effacement reçue le 12/03/2026 par e-mail."),
        max_length=2000,
        error_messages={"required": _("Indiquez le motif de l'anonymisation.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je comprends que les noms, contacts, passeport, documents et textes de cette personne seront effacés définitivement."
        ),
        required=True,
        error_messages={"required": _("Cochez cette case pour confirmer.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].replace("\x00", "").strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez le motif de l'anonymisation."))
        return reason
