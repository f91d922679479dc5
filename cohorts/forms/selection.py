"""Forms of the selection stage: one form for a batch (or a single application) — the ticked
applications, what to do with them, and the reason given to the applicants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Application, Cohort, DecisionOutcome
from ..selectors_selection import selection_candidates

SHORTLIST = "shortlist"

ACTION_CHOICES = [
    ("", _("— Choisissez une action —")),
    (SHORTLIST, _("Présélectionner")),
    (DecisionOutcome.SELECTED, _("Sélectionner")),
    (DecisionOutcome.WAITLISTED, _("Mettre en liste d'attente")),
    (DecisionOutcome.REJECTED, _("Ne pas retenir")),
]


class SelectionBatchForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Candidatures"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins une candidature."),
            "invalid_choice": _("Une candidature cochée ne fait pas partie de cette cohorte."),
        },
    )
    # No action is chosen in advance: staff pick one on purpose.
    action = forms.ChoiceField(
        label=_("Action"), choices=ACTION_CHOICES, error_messages={"required": _("Choisissez une action.")}
    )
    reason = forms.CharField(
        label=_("Motif en français (communiqué aux candidat·es)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un seul motif pour toutes les candidatures cochées ; obligatoire pour une décision."),
    )
    reason_en = forms.CharField(
        label=_("Motif en anglais"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Pour les candidat·es qui lisent la plateforme en anglais ; à défaut, ils voient le motif français, signalé comme tel."
        ),
    )
    override = forms.BooleanField(
        label=_("Décider sans toutes les évaluations"),
        required=False,
        help_text=_("À cocher seulement si une candidature cochée n'a pas toutes ses évaluations requises."),
    )
    override_reason = forms.CharField(
        label=_("Pourquoi décider sans toutes les évaluations ?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Enregistré avec la décision et visible dans son historique."),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = selection_candidates(cohort).select_related("entrepreneur")

    def clean(self):
        cleaned = super().clean()
        has_reason = cleaned.get("reason", "").strip() or cleaned.get("reason_en", "").strip()
        if cleaned.get("action") and cleaned["action"] != SHORTLIST and not has_reason:
            self.add_error("reason", _("Indiquez le motif de la décision."))
        if cleaned.get("override") and not cleaned.get("override_reason", "").strip():
            self.add_error("override_reason", _("Indiquez pourquoi vous décidez sans toutes les évaluations."))
        if not cleaned.get("override"):
            cleaned["override_reason"] = ""
        return cleaned
