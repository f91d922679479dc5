"""Forms of the Belgian company directory: a company and a contact. Validation only; the services write."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choice_list_field

from .models import BelgianRegion, CompanyLanguage, Organisation, OrganisationContact, Sector
from .validators import enterprise_number_display, enterprise_number_normalise, validate_enterprise_number

CONTACT_LANGUAGES = [("fr", _("Français")), ("nl", _("Néerlandais")), ("en", _("Anglais"))]


def agency_label(agency: Organisation) -> str:
    """A relay agency as people call it: AWEX, FIT, hub.brussels."""
    return agency.short_name or agency.name


class BelgianCompanyForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    enterprise_number = forms.CharField(
        label=_("Numéro d'entreprise (BCE/KBO)"),
        max_length=30,
        help_text=_("10 chiffres, par exemple 0123.456.749 ; points, espaces ou préfixe BE acceptés."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    short_name = forms.CharField(label=_("Sigle"), max_length=40, required=False)
    belgian_region = forms.ChoiceField(label=_("Région"), choices=[("", "—"), *BelgianRegion.choices])
    city = forms.CharField(label=_("Ville"), max_length=100, required=False)
    sector = forms.ChoiceField(label=_("Secteur"), choices=[("", "—"), *Sector.choices], required=False)
    relay_agency = forms.ModelChoiceField(
        label=_("Agence relais"), queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    languages = choice_list_field(Organisation, "languages", CompanyLanguage.choices)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relay_agency"].queryset = Organisation.objects.relay_agencies().order_by("name")
        self.fields["relay_agency"].label_from_instance = agency_label
        self.fields["languages"].label = _("Langues de travail")
        self.helper = FormHelper()
        self.helper.form_tag = False

    @classmethod
    def initial_of(cls, company: Organisation) -> dict:
        return {
            "name": company.name,
            "enterprise_number": enterprise_number_display(company.enterprise_number),
            "short_name": company.short_name,
            "belgian_region": company.belgian_region,
            "city": company.city,
            "sector": company.sector,
            "relay_agency": company.relay_agency_id,
            "languages": company.languages,
            "website": company.website,
            "email": company.email,
            "description": company.description,
        }

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data["enterprise_number"]
        validate_enterprise_number(value)
        return enterprise_number_normalise(value)


class OrganisationContactForm(forms.Form):
    full_name = forms.CharField(label=_("Nom complet"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    position = forms.CharField(label=_("Fonction"), max_length=120, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Langue des invitations"),
        choices=CONTACT_LANGUAGES,
        initial="fr",
        help_text=_("Français, néerlandais ou anglais."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @classmethod
    def initial_of(cls, contact: OrganisationContact) -> dict:
        return {name: getattr(contact, name) for name in ("full_name", "email", "position", "phone", "language")}
