"""Forms of the coach portal: logging a session takes a few taps on a phone."""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ActionOwner, CoachingTopic, EventKind, SessionKind

DURATIONS = [
    (30, _("30 min")),
    (45, _("45 min")),
    (60, _("1 h")),
    (90, _("1 h 30")),
    (120, _("2 h")),
    (180, _("3 h")),
    (240, _("4 h (demi-journée)")),
    (480, _("8 h (journée)")),
]
ACTION_ROWS = 2


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    duration_minutes = forms.TypedChoiceField(label=_("Durée"), choices=DURATIONS, coerce=int, initial=60)
    kind = forms.ChoiceField(
        label=_("Type"), choices=SessionKind.choices, initial=SessionKind.INDIVIDUAL, widget=forms.RadioSelect
    )
    topic_tags = forms.MultipleChoiceField(
        label=_("Thèmes"), choices=CoachingTopic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Résumé"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible par l'entrepreneur·e."),
        max_length=5000,
    )
    private_notes = forms.CharField(
        label=_("Notes privées"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visibles de vous et de l'équipe du programme seulement."),
        max_length=5000,
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_actions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())
        self.action_rows = []
        if with_actions:
            for n in range(1, ACTION_ROWS + 1):
                self.fields[f"action_{n}_title"] = forms.CharField(label=_("Action"), required=False, max_length=250)
                self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                    label=_("Qui"), choices=ActionOwner.choices, initial=ActionOwner.ENTREPRENEUR, required=False
                )
                self.fields[f"action_{n}_due"] = forms.DateField(
                    label=_("Pour le"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                )
                self.action_rows.append((f"action_{n}_title", f"action_{n}_owner", f"action_{n}_due"))

    def actions(self) -> list[tuple[str, str, object]]:
        return [
            (self.cleaned_data.get(t, ""), self.cleaned_data.get(o) or ActionOwner.ENTREPRENEUR, self.cleaned_data.get(d))
            for t, o, d in self.action_rows
        ]


class EventForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohorte"), queryset=None)
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts = forms.TimeField(label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), initial="09:00")
    ends = forms.TimeField(label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), initial="13:00")
    location = forms.CharField(label=_("Lieu"), max_length=200, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("La fin doit venir après le début."))
        return cleaned

    def moments(self):
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            datetime.datetime.combine(day, self.cleaned_data["starts"], tzinfo=zone),
            datetime.datetime.combine(day, self.cleaned_data["ends"], tzinfo=zone),
        )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Présent·es"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    i_led_it = forms.BooleanField(
        label=_("J'ai animé cet événement (compté dans mes heures de coaching)"), required=False, initial=True
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(a.pk, str(a.entrepreneur)) for a in applications]
