"""The invitation form of the mobility plan pages (staff, or the entrepreneur when allowed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import INVITATION_LANGUAGES, InvitationStatus

SLOT_ROWS = 3
DURATIONS = [(30, _("30 min")), (45, _("45 min")), (60, _("1 h")), (90, _("1 h 30")), (120, _("2 h"))]


class InvitationForm(forms.Form):
    """Times are typed in Brussels time (the view validates the form with Brussels as current zone)."""

    target = forms.TypedChoiceField(label=_("Entreprise visée"), coerce=int)
    contact = forms.TypedChoiceField(label=_("Contact"), coerce=int, required=False, empty_value=None)
    email = forms.EmailField(label=_("ou adresse e-mail"), required=False, help_text=_("Si le contact n'est pas dans la liste."))
    language = forms.ChoiceField(
        label=_("Langue de l'invitation"),
        choices=[("", _("Celle du contact"))] + INVITATION_LANGUAGES,
        required=False,
    )
    message = forms.CharField(
        label=_("Message personnel"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets=(), contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—")] + [(t.pk, str(t.organisation)) for t in targets]
        self.fields["contact"].choices = [("", "—")] + [
            (c.pk, f"{c.full_name} – {c.organisation.name} ({c.get_language_display()})") for c in contacts
        ]
        for n in range(1, SLOT_ROWS + 1):
            self.fields[f"slot_{n}_starts"] = forms.DateTimeField(
                label=_("Créneau %(n)s (heure de Bruxelles)") % {"n": n},
                required=n == 1,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                error_messages={"required": _("Proposez au moins un créneau.")},
            )
            self.fields[f"slot_{n}_minutes"] = forms.TypedChoiceField(
                label=_("Durée"), choices=DURATIONS, coerce=int, initial=60, required=False, empty_value=60
            )

    def slot_rows(self):
        return [(self[f"slot_{n}_starts"], self[f"slot_{n}_minutes"]) for n in range(1, SLOT_ROWS + 1)]


class InvitationFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(label=_("Cohorte"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous"))] + InvitationStatus.choices)
    relay_agency = forms.TypedChoiceField(label=_("Agence relais"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, cohorts=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("Toutes"))] + [(c.pk, str(c)) for c in cohorts]
        self.fields["relay_agency"].choices = [("", _("Toutes"))] + [(a.pk, str(a)) for a in agencies]
