"""Forms of the selection stage: one form for a batch (or a single application) — the ticked
applications, what to do with them, and the reason given to the applicants."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Application, Cohort, DecisionOutcome
from ..selectors_selection import selection_candidates

SHORTLIST = "shortlist"

ACTION_CHOICES = [
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
    action = forms.ChoiceField(label=_("Action"), choices=ACTION_CHOICES)
    reason = forms.CharField(
        label=_("Motif (communiqué aux candidat·es)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un seul motif pour toutes les candidatures cochées ; obligatoire pour une décision."),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = selection_candidates(cohort).select_related("entrepreneur")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") and cleaned["action"] != SHORTLIST and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif de la décision."))
        return cleaned
