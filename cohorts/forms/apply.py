"""Forms of the application wizard, one per step. They validate; the services in
`cohorts/services/apply.py` save."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.models import Company, Entrepreneur, LegalForm, Region

from ..models import Application, DocumentKind, PartnershipType
from ..selectors_apply import REQUIRED_FIELDS
from ..services.apply import MAX_DOCUMENT_SIZE, document_content_type, pdf_problem
from ..territory import diaspora_wording


class FounderForm(forms.ModelForm):
    class Meta:
        model = Entrepreneur
        fields = ["gender", "age_band", "education", "country_of_residence", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_FIELDS[1]:
            self.fields[name].required = True
        if programme is not None:
            origin = programme.origin_country
            if not self.instance.country_of_residence:
                self.initial.setdefault("country_of_residence", origin.code)
            # Diaspora is derived from this answer (cohorts.territory), never ticked by hand.
            self.fields["country_of_residence"].help_text = _(
                "Où vous vivez aujourd'hui. Pays du programme : %(country)s ; si vous vivez ailleurs, vous êtes "
                "candidat·e de la %(diaspora)s."
            ) % {"country": origin.name, "diaspora": diaspora_wording(origin)}


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            "name",
            "legal_form",
            "ninea",
            "rccm",
            "is_formal",
            "sector",
            "country",
            "region",
            "city",
            "year_founded",
            "turnover_band",
            "employees",
            "has_export_experience",
            "description",
        ]
        labels = {"description": _("Activité de l'entreprise")}
        help_texts = {
            "ninea": _("Laissez vide si l'entreprise n'est pas encore enregistrée."),
            "is_formal": _("Cochez si l'entreprise est enregistrée (RCCM, NINEA)."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, founder=None, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.founder = founder
        self.programme = programme
        self.fields["country"].label = _("Pays où l'entreprise est établie")
        legal_form = self.fields["legal_form"]
        legal_form.choices = [choice for choice in legal_form.choices if choice[0] != LegalForm.UNSPECIFIED]
        region = self.fields["region"]
        if programme is not None:
            origin = programme.origin_country
            if not self.instance.country:
                # A founder living abroad usually runs the company there: their country is offered first.
                residence = founder.country_of_residence if founder is not None else None
                self.initial.setdefault("country", residence.code if residence else origin.code)
            region.queryset = Region.objects.filter(country=origin.code)
            region.label = _("Région (%(country)s)") % {"country": origin.name}
            region.help_text = _("Laissez vide si l'entreprise est établie dans un autre pays.")

    def clean(self):
        cleaned = super().clean()
        if self.programme is not None and cleaned.get("country"):
            origin = self.programme.origin_country.code
            if cleaned["country"] != origin:
                cleaned["region"] = None  # a company abroad has no region of the programme's country
            elif not cleaned.get("region") and "region" not in self.errors:
                self.add_error("region", _("Choisissez la région où l'entreprise est établie."))
        return cleaned

    def clean_ninea(self) -> str:
        ninea = (self.cleaned_data.get("ninea") or "").strip()
        if ninea:
            others = (
                Company.objects.filter(ninea=ninea)
                .exclude(founders=self.founder)
                .exclude(applications__entrepreneur=self.founder)
            )
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise ValidationError(
                    _("Ce NINEA est déjà enregistré pour une autre personne. Contactez l'équipe du programme."),
                    code="ninea_taken",
                )
        return ninea

    def clean_year_founded(self) -> int:
        year = self.cleaned_data["year_founded"]
        if year is not None and not 1900 <= year <= datetime.date.today().year:
            raise ValidationError(_("Indiquez une année entre 1900 et l'année en cours."), code="year")
        return year


class PartnershipForm(forms.ModelForm):
    partnership_types = forms.MultipleChoiceField(
        label=_("Types de partenariat recherchés"),
        choices=PartnershipType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Application
        fields = ["partnership_types", "partnership_sought", "target_markets", "motivation"]
        labels = {
            "partnership_sought": _("Quel partenariat cherchez-vous en Belgique ?"),
            "target_markets": _("Marchés visés"),
            "motivation": _("Pourquoi souhaitez-vous participer au programme ?"),
        }
        widgets = {
            "partnership_sought": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the submission requires is asked (and marked) here, not discovered at the last step.
        for name in REQUIRED_FIELDS[3]:
            self.fields[name].required = True


class CommitmentsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["gender_commitment", "environmental_commitment"]
        labels = {
            "gender_commitment": _("Votre engagement en faveur de l'égalité femmes-hommes"),
            "environmental_commitment": _("Votre engagement environnemental"),
        }
        help_texts = {
            "gender_commitment": _("Par exemple : part de femmes dans l'équipe ou la direction, actions menées."),
            "environmental_commitment": _("Par exemple : gestion des déchets, énergie, matières premières."),
        }
        widgets = {
            "gender_commitment": forms.Textarea(attrs={"rows": 4}),
            "environmental_commitment": forms.Textarea(attrs={"rows": 4}),
        }


class DocumentForm(forms.Form):
    """One document: its kind and the file, checked by its content (PDF, JPEG or PNG, at most 10 MB)."""

    kind = forms.ChoiceField(label=_("Type de document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={
            "required": _("Choisissez un fichier."),
            "empty": _("Le fichier est vide."),
            "invalid": _("Aucun fichier n'a été reçu : réessayez."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The size is counted by the upload handler as the file streams to disk: checked before reading it.
        if upload.size > MAX_DOCUMENT_SIZE:
            raise ValidationError(_("Le fichier dépasse 10 Mo."), code="too_large")
        content_type = document_content_type(upload)
        if content_type is None:
            raise ValidationError(
                _("Seuls les fichiers PDF, JPEG ou PNG sont acceptés (le contenu du fichier a été vérifié)."),
                code="file_type",
            )
        if content_type == "application/pdf" and (problem := pdf_problem(upload)):
            raise ValidationError(problem, code="unsafe_pdf")
        return upload


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "Je déclare sur l'honneur que les informations fournies sont exactes et j'accepte qu'elles soient "
            "utilisées pour la sélection du programme."
        ),
        error_messages={"required": _("Vous devez accepter la déclaration pour soumettre votre candidature.")},
    )
    follow_up_consent = forms.BooleanField(
        label=_("J'accepte de répondre à un court questionnaire de suivi à 6 et 12 mois, même si je ne suis pas retenu·e."),
        help_text=_(
            "Facultatif : comparer vos réponses à celles des participants aide à savoir ce que le programme change vraiment."
        ),
        required=False,
    )
