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


# --------------------------------------------------------------------------------------------------
# Visa files
# --------------------------------------------------------------------------------------------------


class VisaDocumentForm(forms.Form):
    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import VisaDocumentKind

        self.fields["kind"].choices = [("", "—")] + (kinds or list(VisaDocumentKind.choices))

    kind = forms.ChoiceField(label=_("Pièce"), error_messages={"required": _("Choisissez le type de pièce.")})
    file = forms.FileField(
        label=_("Fichier (PDF, JPEG ou PNG, 10 Mo au plus)"),
        error_messages={"required": _("Choisissez un fichier."), "empty": _("Le fichier est vide.")},
    )


class VisaPassportForm(forms.Form):
    """Typed once, never shown again: the field always starts empty."""

    number = forms.CharField(
        label=_("Numéro de passeport"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Indiquez le numéro de passeport.")},
    )
    expires_on = forms.DateField(
        label=_("Expiration du passeport"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class VisaStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Étape suivante"), error_messages={"required": _("Choisissez l'étape suivante.")})
    on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez la date."), "invalid": _("Saisissez une date valide.")},
    )
    appointment_on = forms.DateField(
        label=_("Date du rendez-vous au consulat"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Au dépôt, si elle est connue."),
    )
    refusal_reason = forms.ChoiceField(label=_("Motif du refus"), required=False, help_text=_("Obligatoire pour un refus."))
    refusal_details = forms.CharField(label=_("Détails du refus"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(
        label=_("Visa valable du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("Visa valable jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    consulate = forms.ModelChoiceField(
        label=_("Ambassade ou consulat"),
        queryset=None,
        required=False,
        help_text=_("Où le dossier est déposé."),
    )
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=500)

    def __init__(self, *args, visa_file=None, **kwargs):
        super().__init__(*args, **kwargs)
        from partners.models import Organisation, OrganisationKind

        from .models import RefusalReason, VisaStatus

        self.fields["consulate"].queryset = Organisation.objects.filter(kind=OrganisationKind.EMBASSY).order_by("name")
        if visa_file is not None and visa_file.consulate_id and "consulate" not in self.initial:
            self.initial["consulate"] = visa_file.consulate_id

        labels = dict(VisaStatus.choices)
        next_statuses = visa_file.next_statuses if visa_file is not None else []
        # Any status passes the form, the service says why a move is not allowed; the list offers the next steps.
        self.fields["to_status"].choices = VisaStatus.choices
        self.fields["to_status"].widget.choices = [(value, labels[value]) for value in next_statuses]
        self.fields["refusal_reason"].choices = [("", "—"), *RefusalReason.choices]
