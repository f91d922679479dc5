"""Staff's forms of the coaching area: assigning a coach to several entrepreneurs at once."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AssignForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None, empty_label=_("Choisir un coach"))
    is_lead = forms.BooleanField(label=_("Coach principal·e"), required=False)
    applications = forms.ModelMultipleChoiceField(
        label=_("Entrepreneur·es"),
        queryset=None,
        error_messages={"required": _("Cochez au moins un·e entrepreneur·e dans la liste.")},
    )

    def __init__(self, *args, coaches, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda coach: f"{coach.user.get_full_name()} – {coach.organisation}"
        self.fields["applications"].queryset = applications
