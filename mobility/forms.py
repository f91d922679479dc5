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


PLAN_TARGET_ROWS = 5


class MobilityPlanForm(forms.Form):
    objectives = forms.CharField(
        label=_("Objectifs de la mobilité"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("Ce que vous voulez obtenir en Belgique : partenaires, marchés, contrats, apprentissages."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs visés"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_from = forms.DateField(
        label=_("Disponible à partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    preferred_until = forms.DateField(
        label=_("Disponible jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    agenda_wishes = forms.CharField(
        label=_("Souhaits d'agenda"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, sectors, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sectors
        self.target_rows = []
        for n in range(1, PLAN_TARGET_ROWS + 1):
            self.fields[f"target_{n}_organisation"] = forms.ModelChoiceField(
                label=_("Entreprise belge connue"), queryset=companies, required=False, empty_label=_("— choisir —")
            )
            self.fields[f"target_{n}_name"] = forms.CharField(
                label=_("ou nouvelle entreprise (nom)"), required=False, max_length=200
            )
            self.fields[f"target_{n}_reason"] = forms.CharField(label=_("Pourquoi"), required=False, max_length=500)
            self.target_rows.append((f"target_{n}_organisation", f"target_{n}_name", f"target_{n}_reason"))

    def clean(self):
        cleaned = super().clean()
        for organisation, name, _reason in self.target_rows:
            if cleaned.get(organisation) and (cleaned.get(name) or "").strip():
                self.add_error(name, _("Choisissez une entreprise connue ou donnez un nom, pas les deux."))
        return cleaned

    def targets(self):
        return [
            (self.cleaned_data.get(o), self.cleaned_data.get(n, ""), self.cleaned_data.get(r, "")) for o, n, r in self.target_rows
        ]


class PlanReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire pour l'entrepreneur·e"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
