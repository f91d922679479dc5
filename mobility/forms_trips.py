"""Forms of the trip pages: a trip, a meeting (a day, a start and an end in a chosen zone, made into
aware datetimes), a meeting's outcome, a cost; the filters of the trip and meeting lists."""

import datetime
import zoneinfo

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Application, ApplicationStatus, Cohort, Currency, Programme
from core.forms import form_add_validation_error
from core.meeting_time import BRUSSELS
from partners.models import Organisation, OrganisationContact, OrganisationKind

from .models import (
    MEETING_TIME_ZONES,
    B2BMeeting,
    EconomicMission,
    InterestLevel,
    MeetingOutcome,
    NextStepOwner,
    Trip,
    TripCostCategory,
    TripStatus,
)


def _filter_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_class = "row row-cols-1 row-cols-sm-2 row-cols-lg-4 g-2 align-items-end"
    helper.add_input(Submit("", _("Filtrer"), css_class="btn-primary"))
    return helper


def _cohorts():
    return Cohort.objects.select_related("programme").order_by("programme__code", "number")


def _missions():
    return EconomicMission.objects.order_by("-starts_on")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.entrepreneur} – {obj.cohort.name}"


class TripForm(forms.Form):
    application = ApplicationChoiceField(
        label=_("Entrepreneur·e"),
        queryset=Application.objects.none(),
        error_messages={"required": _("Choisissez qui voyage."), "invalid_choice": _("Choisissez qui voyage.")},
    )
    mission = forms.ModelChoiceField(
        label=_("Mission économique"),
        queryset=EconomicMission.objects.none(),
        required=False,
        help_text=_("Sans mission, le voyage se tient dans la fenêtre de voyage de la cohorte."),
    )
    departs_on = forms.DateField(label=_("Départ"), widget=DateInput())
    returns_on = forms.DateField(label=_("Retour"), widget=DateInput())
    cities = forms.CharField(label=_("Villes"), max_length=200, required=False)

    def __init__(self, *args, trip: Trip | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = _missions()
        if trip is not None:
            del self.fields["application"]
        else:
            self.fields["application"].queryset = (
                Application.objects.filter(status=ApplicationStatus.SELECTED)
                .select_related("entrepreneur", "cohort")
                .order_by("cohort__programme__code", "cohort__number", "entrepreneur__last_name")
            )
        self.helper = FormHelper()
        self.helper.form_tag = False


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.city})" if obj.city else obj.name


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrganisationContact) -> str:
        return f"{obj.full_name} – {obj.organisation.name}"


class MeetingForm(forms.Form):
    """A meeting's time is typed as people think of it (a day, from, to, in Brussels time unless told
    otherwise) and becomes two aware datetimes, `starts_at` and `ends_at`, in cleaned_data."""

    organisation = CompanyChoiceField(
        label=_("Entreprise belge"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choisissez l'entreprise."), "invalid_choice": _("Choisissez l'entreprise.")},
    )
    contact = ContactChoiceField(label=_("Contact"), queryset=OrganisationContact.objects.none(), required=False)
    day = forms.DateField(label=_("Date"), widget=DateInput(), error_messages={"required": _("Indiquez la date.")})
    start = forms.TimeField(label=_("Début"), widget=TimeInput(), error_messages={"required": _("Indiquez l'heure de début.")})
    end = forms.TimeField(label=_("Fin"), widget=TimeInput(), error_messages={"required": _("Indiquez l'heure de fin.")})
    time_zone = forms.ChoiceField(
        label=_("Fuseau horaire"),
        choices=MEETING_TIME_ZONES,
        initial="Europe/Brussels",
        help_text=_("Les heures saisies sont celles de ce fuseau ; l'agenda les montre en heure de Bruxelles et de Dakar."),
    )
    city = forms.CharField(label=_("Ville"), max_length=100, required=False)
    place = forms.CharField(label=_("Lieu"), max_length=250, required=False, help_text=_("Adresse ou salle du rendez-vous."))
    attendees = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qui participe, de part et d'autre."),
    )

    #: The service names the meeting's instants; this form shows them on the day and the times typed.
    SERVICE_FIELDS = {"starts_at": "start", "ends_at": "end"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).order_by("name")
        self.fields["contact"].queryset = (
            OrganisationContact.objects.filter(organisation__kind=OrganisationKind.BELGIAN_COMPANY)
            .select_related("organisation")
            .order_by("organisation__name", "full_name")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    @classmethod
    def initial_for(cls, meeting: B2BMeeting) -> dict:
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
        start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
        return {
            "organisation": meeting.organisation_id,
            "contact": meeting.contact_id,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "time_zone": meeting.time_zone,
            "city": meeting.city,
            "place": meeting.place,
            "attendees": meeting.attendees,
        }

    def clean(self):
        data = super().clean()
        day, start, end, zone = data.get("day"), data.get("start"), data.get("end"), data.get("time_zone")
        if day and start and end and zone:
            tz = zoneinfo.ZoneInfo(zone)
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=tz)
            # A meeting that ends "before" it starts is refused by the service with its own message.
            data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=tz)
        return data

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {self.SERVICE_FIELDS.get(name, name): messages for name, messages in error.error_dict.items()}
            )
        form_add_validation_error(self, error)


class OutcomeForm(forms.Form):
    interest_level = forms.ChoiceField(
        label=_("Intérêt de l'entreprise"),
        choices=InterestLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le niveau d'intérêt.")},
    )
    outcome = forms.ChoiceField(
        label=_("Résultat"),
        choices=[("", "—"), *MeetingOutcome.choices],
        required=False,
        help_text=_("Compté dans les indicateurs du programme. « Aucun » intérêt vaut « Pas d'intérêt »."),
    )
    next_step = forms.CharField(
        label=_("Prochaine étape"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step_owner = forms.ChoiceField(label=_("Qui la porte"), choices=[("", "—"), *NextStepOwner.choices], required=False)
    next_step_due = forms.DateField(label=_("Pour le"), required=False, widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CostForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Catégorie"),
        choices=TripCostCategory.choices,
        error_messages={"invalid_choice": _("Catégorie de coût inconnue.")},
    )
    amount = forms.DecimalField(
        label=_("Montant"),
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        error_messages={"required": _("Indiquez le montant."), "min_value": _("Le montant doit être positif.")},
    )
    currency = forms.ChoiceField(
        label=_("Devise"),
        choices=Currency.choices,
        initial=Currency.EUR,
        error_messages={"invalid_choice": _("Devise inconnue : les coûts se saisissent en euros ou en francs CFA.")},
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Libellé"), required=False, max_length=250, help_text=_("Par exemple : Dakar – Bruxelles aller-retour.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class TripFilter(django_filters.FilterSet):
    cohort = django_filters.ModelChoiceFilter(field_name="application__cohort", label=_("Cohorte"), queryset=_cohorts())
    mission = django_filters.ModelChoiceFilter(label=_("Mission économique"), queryset=_missions())
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=TripStatus.choices)

    class Meta:
        model = Trip
        fields: list[str] = []

    @property
    def form(self):
        form = super().form
        form.helper = _filter_helper()
        return form


class MeetingFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        field_name="trip__application__cohort__programme", label=_("Programme"), queryset=Programme.objects.order_by("code")
    )
    cohort = django_filters.ModelChoiceFilter(field_name="trip__application__cohort", label=_("Cohorte"), queryset=_cohorts())
    mission = django_filters.ModelChoiceFilter(field_name="trip__mission", label=_("Mission économique"), queryset=_missions())
    q = django_filters.CharFilter(label=_("Entreprise ou entrepreneur·e"), method="filter_search")
    interest_level = django_filters.ChoiceFilter(
        label=_("Intérêt"), choices=[*InterestLevel.choices, ("unknown", _("Pas encore noté"))], method="filter_interest"
    )
    starts_from = django_filters.DateFilter(label=_("Du"), widget=DateInput(), method="filter_from")
    starts_until = django_filters.DateFilter(label=_("Au"), widget=DateInput(), method="filter_until")

    class Meta:
        model = B2BMeeting
        fields: list[str] = []

    @property
    def form(self):
        form = super().form
        form.helper = _filter_helper()
        return form

    def filter_search(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(organisation__name__icontains=term)
                | Q(trip__application__entrepreneur__last_name__icontains=term)
                | Q(trip__application__entrepreneur__first_name__icontains=term)
            )
        return queryset

    # Days in Brussels, as the list shows them; compared as instants so the date-order index serves.
    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=datetime.datetime.combine(value, datetime.time.min, tzinfo=BRUSSELS))

    def filter_until(self, queryset, name, value):
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(starts_at__lt=datetime.datetime.combine(next_day, datetime.time.min, tzinfo=BRUSSELS))

    def filter_interest(self, queryset, name, value):
        return queryset.filter(interest_level="" if value == "unknown" else value)
