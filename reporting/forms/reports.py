"""The form that asks for a PDF report: which report, of which programme (and cohort), in which language."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort

from ..models import ReportKind
from ..selectors_reports import report_programmes_for_user
from ..services.reports import report_request_validate


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=ReportKind.choices)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, empty_label=None)
    cohort = forms.ModelChoiceField(  # a cohort reads by its programme's name (Cohort.__str__)
        label=_("Cohorte"),
        queryset=None,
        required=False,
        empty_label=_("— tout le programme —"),
        help_text=_("Seulement pour le rapport de cohorte."),
    )
    language = forms.ChoiceField(label=_("Langue"), choices=settings.LANGUAGES, initial="fr")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = report_programmes_for_user(user).order_by("name")
        self.fields["programme"].queryset = programmes
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(programme__in=programmes).select_related("programme").order_by("programme__name", "number")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Demander le rapport"), css_class="btn-primary"))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            report_request_validate(
                kind=cleaned["kind"], programme=cleaned["programme"], cohort=cleaned.get("cohort"), language=cleaned["language"]
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned
