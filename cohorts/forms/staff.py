"""Staff forms: the filters of the application list and of the selection analysis (django-filter),
and the upload of a spreadsheet of applications collected offline."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import Gender, Region, Sector

from ..models import Application, ApplicationSource, ApplicationStatus, Cohort, Programme
from ..resources import ApplicationImportResource, SourceTable
from ..selectors_staff import region_label
from ..territory import diaspora_condition

#: Larger spreadsheets are refused: 5 MB holds tens of thousands of rows of applications.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".xlsx")

YES_NO = (("yes", _("Oui")), ("no", _("Non")))


def _filter_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_class = "row row-cols-1 row-cols-sm-2 row-cols-lg-4 g-2 align-items-end"
    helper.add_input(Submit("", _("Filtrer"), css_class="btn-primary"))
    return helper


def _cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("programme__watched_region_group").order_by("programme__code", "number")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return region_label(obj)


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the staff application list; the export applies the same ones. The list draws its form
    with `core/_filter_form.html` (see `core.forms.filter_form_fields`)."""

    q = django_filters.CharFilter(label=_("Recherche (nom, entreprise, e-mail)"), method="filter_search")
    programme = django_filters.ModelChoiceFilter(
        field_name="cohort__programme", label=_("Programme"), queryset=Programme.objects.order_by("code")
    )
    cohort = django_filters.ModelChoiceFilter(label=_("Cohorte"), queryset=_cohorts())
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=ApplicationStatus.choices)
    source = django_filters.ChoiceFilter(label=_("Origine"), choices=ApplicationSource.choices)
    gender = django_filters.ChoiceFilter(field_name="entrepreneur__gender", label=_("Genre"), choices=Gender.choices)
    region = RegionFilter(
        field_name="company__region", label=_("Région"), queryset=Region.objects.order_by("country", "order", "name")
    )
    diaspora = django_filters.ChoiceFilter(label=_("Diaspora"), choices=YES_NO, method="filter_diaspora")
    sector = django_filters.ChoiceFilter(field_name="company__sector", label=_("Secteur"), choices=Sector.choices)
    eligible = django_filters.ChoiceFilter(
        label=_("Éligibilité"),
        choices=(("yes", _("Éligible")), ("no", _("Non éligible")), ("unknown", _("Non vérifiée"))),
        method="filter_eligible",
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(entrepreneur__first_name__icontains=term)
                | Q(entrepreneur__last_name__icontains=term)
                | Q(entrepreneur__email__icontains=term)
                | Q(company__name__icontains=term)
            )
        return queryset

    def filter_diaspora(self, queryset, name, value):
        return queryset.filter(diaspora_condition() if value == "yes" else ~diaspora_condition())

    def filter_eligible(self, queryset, name, value):
        if value == "unknown":
            return queryset.filter(is_eligible__isnull=True)
        return queryset.filter(is_eligible=value == "yes")


class AnalysisFilter(django_filters.FilterSet):
    """The scope of the selection analysis: one programme (programmes are not mixed), or one of its cohorts."""

    programme = django_filters.ModelChoiceFilter(
        field_name="cohort__programme", label=_("Programme"), queryset=Programme.objects.order_by("code"), empty_label=None
    )
    cohort = django_filters.ModelChoiceFilter(label=_("Cohorte"), queryset=_cohorts())

    class Meta:
        model = Application
        fields: list[str] = []

    @property
    def form(self):
        form = super().form
        form.helper = _filter_helper()
        return form

    def cohorts(self) -> list[Cohort]:
        """The cohorts in scope (for the per-criterion table), as chosen in the form."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        cohorts = _cohorts()
        if data.get("cohort"):
            cohorts = cohorts.filter(pk=data["cohort"].pk)
        if data.get("programme"):
            cohorts = cohorts.filter(programme=data["programme"])
        return list(cohorts)


class ApplicationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier (CSV ou XLSX)"),
        help_text=_("5 Mo au plus. CSV en UTF-8 ou Windows-1252 (Latin-1), séparateur virgule ou point-virgule."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    cohort = forms.ModelChoiceField(  # a cohort reads by its programme's name (Cohort.__str__)
        label=_("Cohorte des lignes qui n'en indiquent pas"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("— chaque ligne indique son programme et sa cohorte —"),
        help_text=_("Choisissez-la si votre fichier n'a pas de colonnes « Programme » et « Cohorte »."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = _cohorts()
        self.helper = FormHelper()
        # Also shown after the mapping step, whose page has another address.
        self.helper.form_action = reverse_lazy("cohorts:application_import")
        self.helper.add_input(Submit("preview", _("Vérifier le fichier"), css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Le fichier pèse %(size).1f Mo ; la limite est de 5 Mo. Découpez-le en plusieurs fichiers."),
                params={"size": upload.size / 1024 / 1024},
                code="too_big",
            )
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Format non pris en charge : envoyez un fichier .csv ou .xlsx."), code="bad_extension")
        return upload


class ApplicationImportMappingForm(forms.Form):
    """The column-mapping step: for each column of the file, the field it holds or « ignorer ».
    Proposed from the headers; refused while a required field has no column or a field has two."""

    def __init__(self, *args, table: SourceTable, cohort_chosen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.table, self.cohort_chosen = table, cohort_chosen
        choices = [("", _("— ignorer cette colonne —"))] + [
            (column.column_name, column.header) for column in ApplicationImportResource.columns()
        ]
        for index, header in enumerate(table.headers):
            examples = [str(row[index]) for row in table.rows[:3] if index < len(row) and row[index] not in (None, "")]
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(colonne sans en-tête)"),
                choices=choices,
                required=False,
                initial=table.fields[index],
                help_text=(_("Exemples : %(values)s") % {"values": " · ".join(value[:40] for value in examples)})
                if examples
                else _("Colonne vide"),
            )
        self.helper = FormHelper()
        columns = [Div(name, css_class="col") for name in self.fields]
        self.helper.layout = Layout(Div(*columns, css_class="row row-cols-1 row-cols-md-2 row-cols-xl-3 g-3 mb-3"))
        self.helper.add_input(Submit("map", _("Vérifier avec cette correspondance"), css_class="btn-primary"))

    def clean(self):
        cleaned = super().clean()
        fields = [cleaned.get(f"column_{index}") or "" for index in range(len(self.table.headers))]
        self.mapped = SourceTable(headers=self.table.headers, rows=self.table.rows, fields=fields)
        for problem in self.mapped.problems(cohort_chosen=self.cohort_chosen):
            self.add_error(None, problem)
        return cleaned


class ApplicationImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
