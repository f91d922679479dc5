"""The entrepreneur's follow-up questionnaire: per partnership (still going, stage now, a signed
agreement, the value of transactions in EUR or XOF, jobs) and the questions asked of everyone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Currency

from .models import PartnershipStage

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


def yes_no_field(label, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Répondez par oui ou par non.")},
        **kwargs,
    )


class CheckInForm(forms.Form):
    has_belgian_partner = yes_no_field(_("Travaillez-vous aujourd'hui avec une entreprise belge ?"))
    exports_to_europe = yes_no_field(_("Vendez-vous (exportez-vous) vers l'Europe ?"))
    jobs_created = forms.IntegerField(
        label=_("Emplois créés depuis le voyage"),
        min_value=0,
        max_value=10000,
        initial=0,
        help_text=_("Dans votre entreprise, postes créés depuis votre retour (0 si aucun)."),
    )
    support_request = forms.CharField(
        label=_("De quel appui auriez-vous besoin ?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Étude de faisabilité, appui juridique, financement, information sur le marché, certification..."),
    )

    def __init__(self, *args, partnerships=(), comparison: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnerships = [] if comparison else list(partnerships)
        if comparison:
            # They did not travel: the same question, counted from their application.
            del self.fields["support_request"]
            self.fields["jobs_created"].label = _("Emplois créés depuis votre candidature")
            self.fields["jobs_created"].help_text = _("Dans votre entreprise (0 si aucun).")
        for partnership in self.partnerships:
            prefix = f"p{partnership.pk}_"
            self.fields[prefix + "still_going"] = yes_no_field(_("Ce partenariat continue-t-il ?"))
            self.fields[prefix + "stage"] = forms.ChoiceField(
                label=_("Où en est-il aujourd'hui ?"), choices=PartnershipStage.choices, initial=partnership.stage
            )
            self.fields[prefix + "signed"] = forms.BooleanField(label=_("Nous avons signé un accord"), required=False)
            self.fields[prefix + "signed_on"] = forms.DateField(
                label=_("Date de la signature"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=_("Si vous avez signé : l'équipe mettra le partenariat à jour après vérification."),
            )
            self.fields[prefix + "transactions_value"] = forms.DecimalField(
                label=_("Valeur des transactions"),
                help_text=_("Commandes et contrats depuis le dernier suivi."),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )
            self.fields[prefix + "currency"] = forms.ChoiceField(
                label=_("Devise"), choices=Currency.choices, initial=Currency.EUR
            )
            self.fields[prefix + "jobs_created"] = forms.IntegerField(
                label=_("Emplois liés à ce partenariat"), min_value=0, max_value=10000, initial=0
            )
            self.fields[prefix + "comment"] = forms.CharField(
                label=_("Commentaire"),
                help_text=_("Par exemple, pourquoi le partenariat s'est arrêté."),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def partnership_groups(self):
        """(partnership, its bound fields) in the order of the page."""
        names = (
            "still_going",
            "stage",
            "signed",
            "signed_on",
            "transactions_value",
            "currency",
            "jobs_created",
            "comment",
        )
        return [(p, [self[f"p{p.pk}_{name}"] for name in names]) for p in self.partnerships]

    def clean(self):
        cleaned = super().clean()
        for partnership in self.partnerships:
            prefix = f"p{partnership.pk}_"
            if cleaned.get(prefix + "signed") and not cleaned.get(prefix + "signed_on"):
                self.add_error(prefix + "signed_on", _("Indiquez la date de la signature."))
        return cleaned
