"""Forms of the Belgian company directory's pages: the list's search and filters, the import upload."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from partners.forms import agency_label
from partners.models import BelgianRegion, CompanyLanguage, Organisation, Sector

from .selectors_directory import MET, NEVER_MET, DirectoryFilters

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_EXTENSIONS = (".csv", ".xlsx")
SORTS = [
    ("name", _("Nom (A → Z)")),
    ("-name", _("Nom (Z → A)")),
    ("-meetings", _("Plus de rendez-vous")),
    ("meetings", _("Moins de rendez-vous")),
]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nom, n° d'entreprise, ville, contact")}),
    )
    sector = forms.ChoiceField(label=_("Secteur"), choices=[("", _("Tous"))] + Sector.choices, required=False)
    region = forms.ChoiceField(label=_("Région"), choices=[("", _("Toutes"))] + BelgianRegion.choices, required=False)
    relay = forms.ModelChoiceField(
        label=_("Agence relais"), queryset=Organisation.objects.none(), required=False, empty_label=_("Toutes")
    )
    language = forms.ChoiceField(label=_("Langue"), choices=[("", _("Toutes"))] + CompanyLanguage.choices, required=False)
    met = forms.ChoiceField(
        label=_("Rendez-vous passés"),
        choices=[("", _("Toutes")), (MET, _("Déjà rencontrées")), (NEVER_MET, _("Jamais rencontrées"))],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Trier par"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relay"].queryset = Organisation.objects.relay_agencies().order_by("name")
        self.fields["relay"].label_from_instance = agency_label
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filters(self) -> DirectoryFilters:
        """What was asked, leaving out any value that is not valid (a stale link never fails)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return DirectoryFilters(**data)

    @property
    def active_count(self) -> int:
        return sum(1 for name in ("q", "sector", "region", "relay", "language", "met") if self.cleaned_data.get(name))


class CompanyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier (CSV ou XLSX)"),
        help_text=_("5 Mo au plus. CSV en UTF-8 ou Windows-1252 (Latin-1), séparateur virgule ou point-virgule."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse_lazy("mobility:directory_import")
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


class CompanyImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
