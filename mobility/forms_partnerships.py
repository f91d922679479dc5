"""Forms of the partnership pipeline: moving a card, transactions, jobs, documents, support needs and
their referral. Validation of the business rules stays in mobility.services (shown on these forms)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Application, ApplicationStatus, Currency, PartnershipType
from partners.models import Organisation, OrganisationKind

from .models import (
    B2BMeeting,
    PartnershipDocumentKind,
    PartnershipStage,
    ReferralOutcome,
    SupportNeedKind,
    TransactionKind,
)
from .services import REFERRAL_KINDS


def _date(label):
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _clean_text(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Nouvelle étape"), choices=PartnershipStage.choices)
    note = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=500,
        help_text=_("Obligatoire pour revenir en arrière, mettre en sommeil ou terminer."),
    )
    changed_on = _date(_("Date"))

    def __init__(self, *args, partnership=None, **kwargs):
        if partnership is not None:
            kwargs.setdefault("auto_id", f"id_p{partnership.pk}_%s")
            kwargs.setdefault("initial", {"to_stage": partnership.stage})
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].widget.attrs["class"] = "form-control form-control-sm"

    def clean_note(self) -> str:
        return _clean_text(self.cleaned_data["note"])


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=TransactionKind.choices)
    occurred_on = _date(_("Date"))
    value = forms.DecimalField(label=_("Montant"), max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(
        label=_("Devise"),
        choices=Currency.choices,
        error_messages={"invalid_choice": _("Devise inconnue : seuls l'euro (EUR) et le franc CFA (XOF) sont acceptés.")},
    )
    description = forms.CharField(label=_("Objet"), required=False, max_length=250)

    def clean_description(self) -> str:
        return _clean_text(self.cleaned_data["description"])


class JobsForm(forms.Form):
    jobs_created = forms.IntegerField(label=_("Emplois créés"), min_value=0, max_value=100000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de document"), choices=PartnershipDocumentKind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(label=_("Fichier"), help_text=_("PDF, JPEG ou PNG, 10 Mo au plus."))

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"])


class AgreementUploadForm(DocumentForm):
    """The entrepreneur adds the signed agreement (only that kind)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class SupportNeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Besoin"), choices=SupportNeedKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_description(self) -> str:
        return _clean_text(self.cleaned_data["description"])


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Orienté vers"), queryset=Organisation.objects.none())
    referred_on = _date(_("Le"))

    def __init__(self, *args, need=None, **kwargs):
        if need is not None:
            kwargs.setdefault("auto_id", f"id_n{need.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(kind__in=REFERRAL_KINDS).order_by("short_name", "name")
        self.fields["organisation"].label_from_instance = lambda o: o.short_name or o.name


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Résultat"), choices=ReferralOutcome.choices)
    note = forms.CharField(label=_("Précision"), required=False, max_length=500)
    outcome_on = _date(_("Le"))

    def __init__(self, *args, need=None, **kwargs):
        if need is not None:
            kwargs.setdefault("auto_id", f"id_o{need.pk}_%s")
            if need.outcome:
                kwargs.setdefault("initial", {"outcome": need.outcome})
        super().__init__(*args, **kwargs)

    def clean_note(self) -> str:
        return _clean_text(self.cleaned_data["note"])


class PartnershipCreateForm(forms.Form):
    """From a B2B meeting (the entrepreneur and the company come from it) or from scratch."""

    meeting = forms.ModelChoiceField(label=_("Issu du rendez-vous B2B"), queryset=B2BMeeting.objects.none(), required=False)
    application = forms.ModelChoiceField(label=_("Entrepreneur·e"), queryset=Application.objects.none(), required=False)
    organisation = forms.ModelChoiceField(label=_("Partenaire belge"), queryset=Organisation.objects.none(), required=False)
    type = forms.ChoiceField(label=_("Type de partenariat"), choices=PartnershipType.choices)
    started_on = _date(_("Début"))
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        applications = Application.objects.filter(status=ApplicationStatus.SELECTED).select_related("entrepreneur", "company")
        meetings = B2BMeeting.objects.select_related("organisation", "trip__application__entrepreneur").order_by("-starts_at")
        if cohort is not None:
            applications = applications.filter(cohort=cohort)
            meetings = meetings.filter(trip__application__cohort=cohort)
        self.fields["application"].queryset = applications.order_by("entrepreneur__last_name", "entrepreneur__first_name")
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.entrepreneur} – {a.company}" if a.company_id else str(a.entrepreneur)
        )
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.trip.application.entrepreneur} × {m.organisation} ({timezone.localtime(m.starts_at):%d/%m/%Y})"
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=OrganisationKind.BELGIAN_COMPANY).order_by("name")

    def clean_description(self) -> str:
        return _clean_text(self.cleaned_data["description"])

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting is not None:
            data["application"] = meeting.trip.application
            data["organisation"] = meeting.organisation
        else:
            if not data.get("application"):
                self.add_error("application", _("Choisissez l'entrepreneur·e, ou un rendez-vous B2B."))
            if not data.get("organisation"):
                self.add_error("organisation", _("Choisissez l'entreprise belge, ou un rendez-vous B2B."))
        return data
