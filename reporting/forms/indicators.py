"""Forms of the indicators page: the scope (programme, cohort), a value entered by hand with its
evidence, and the freezing of a period. They validate; `reporting/services/indicators.py` writes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Programme

from ..models import Disaggregation, Indicator


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ScopeForm(forms.Form):
    """The programme (among the user's) and optionally one of its cohorts; submitted by GET."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    cohort = forms.ModelChoiceField(
        label=_("Cohorte"), queryset=Cohort.objects.none(), required=False, empty_label=_("Toutes les cohortes")
    )

    def __init__(self, *args, programmes: QuerySet[Programme], programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes.order_by("-starts_on", "name")
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme).order_by("number")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-1 row-cols-sm-3 g-2 align-items-end"
        self.helper.add_input(Submit("", _("Afficher"), css_class="btn-primary"))


class IndicatorValueForm(forms.Form):
    """A value of a manual indicator for a period, with its evidence."""

    indicator = forms.ModelChoiceField(label=_("Indicateur"), queryset=Indicator.objects.none())
    period_end = forms.DateField(label=_("Fin de période"), widget=DateInput())
    cohort = forms.ModelChoiceField(
        label=_("Cohorte"), queryset=Cohort.objects.none(), required=False, empty_label=_("Tout le programme")
    )
    dimension = forms.ChoiceField(
        label=_("Ventilation"), choices=[("", _("Aucune (valeur d'ensemble)"))] + list(Disaggregation.choices), required=False
    )
    group = forms.CharField(
        label=_("Groupe"),
        max_length=60,
        required=False,
        help_text=_("Par exemple « woman » ou « axis » ; vide sans ventilation."),
    )
    value = forms.DecimalField(label=_("Valeur"), max_digits=16, decimal_places=4, localize=True)
    evidence = forms.CharField(
        label=_("Justificatif"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Source de la valeur : rapport, enquête, procès-verbal, lien vers le document."),
    )  # fmt: skip

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(programme=programme, calculator="").order_by("order", "code")
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme).order_by("number")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("indicator"),
            Div(Div(Field("period_end"), css_class="col-sm-6"), Div(Field("cohort"), css_class="col-sm-6"), css_class="row"),
            Div(Div(Field("dimension"), css_class="col-sm-6"), Div(Field("group"), css_class="col-sm-6"), css_class="row"),
            Field("value"),
            Field("evidence"),
        )

    def clean(self):
        data = super().clean()
        dimension, group = data.get("dimension") or "", (data.get("group") or "").strip()
        if dimension and not group:
            self.add_error("group", _("Indiquez le groupe de cette ventilation."))
        if group and not dimension:
            self.add_error("dimension", _("Choisissez la ventilation de ce groupe."))
        data["group"] = group
        return data


class SnapshotForm(forms.Form):
    """Freeze the computed indicators for the period ending on a date."""

    period_end = forms.DateField(label=_("Période se terminant le"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_period_end(self):
        value = self.cleaned_data["period_end"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La période ne peut pas finir dans le futur."))
        return value
