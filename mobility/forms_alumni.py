"""Forms of the alumni pages: the staff directory's filters, and the entrepreneur's peer-mentoring answer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from partners.models import Entrepreneur, Region, Sector


class AlumniFilterForm(forms.Form):
    """Submitted by GET; a value that is not among the choices is an error shown on the form, not a 500."""

    q = forms.CharField(label=_("Recherche"), required=False, max_length=100,
                        help_text=_("Nom, e-mail, entreprise ou sujet de mentorat."))  # fmt: skip
    cohort = forms.ModelChoiceField(label=_("Cohorte"), queryset=Cohort.objects.none(), required=False,
                                    empty_label=_("Toutes les cohortes"))  # fmt: skip
    sector = forms.ChoiceField(label=_("Secteur"), required=False, choices=[("", _("Tous les secteurs")), *Sector.choices])
    region = forms.ModelChoiceField(label=_("Région"), queryset=Region.objects.none(), required=False,
                                    empty_label=_("Toutes les régions"))  # fmt: skip
    mentors_only = forms.BooleanField(label=_("Disponibles comme mentors pairs seulement"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.select_related("programme").order_by("programme__name", "number")
        self.fields["region"].queryset = Region.objects.order_by("country", "order", "name")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-1 row-cols-md-3 g-2 align-items-end"
        self.helper.add_input(Submit("", _("Filtrer"), css_class="btn-primary"))


class PeerMentorForm(forms.ModelForm):
    """The entrepreneur's own answer: the same fields as the admin's, worded for the person answering."""

    class Meta:
        model = Entrepreneur
        fields = ["peer_mentor_available", "peer_mentor_topics"]
        labels = {
            "peer_mentor_available": _("Je suis disponible comme mentor pair"),
            "peer_mentor_topics": _("Sur quels sujets pourriez-vous partager votre expérience ?"),
        }
        help_texts = {
            "peer_mentor_available": _(
                "L'équipe pourra vous écrire pour accompagner des entrepreneur·es des cohortes suivantes."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("", _("Enregistrer"), css_class="btn-primary"))
