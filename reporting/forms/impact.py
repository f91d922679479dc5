"""The impact pages' scope: the programme (the persistence page shows every cohort of it)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cohorts.models import Programme


class ProgrammeForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)

    def __init__(self, *args, programmes: QuerySet[Programme], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes.order_by("-starts_on", "name")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-1 row-cols-sm-3 g-2 align-items-end"
        self.helper.add_input(Submit("", _("Afficher"), css_class="btn-primary"))
