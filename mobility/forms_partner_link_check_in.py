"""The Belgian partner's three questions, answered through a personal link (French, Dutch, English)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PartnershipStage


class PartnerCheckInForm(forms.Form):
    still_going = forms.TypedChoiceField(
        label=_("Votre collaboration avec cette entreprise continue-t-elle ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Répondez par oui ou par non.")},
    )
    stage = forms.ChoiceField(
        label=_("Où en est-elle selon vous ?"),
        choices=[
            ("", _("Je ne sais pas")),
            (PartnershipStage.DISCUSSION, _("Nous en discutons")),
            (PartnershipStage.AGREEMENT, _("Nous avons signé un accord")),
            (PartnershipStage.FIRST_TRANSACTION, _("Une première commande ou un premier contrat a eu lieu")),
            (PartnershipStage.ACTIVE, _("Nous travaillons ensemble régulièrement")),
            (PartnershipStage.DORMANT, _("C'est en pause")),
            (PartnershipStage.ENDED, _("C'est terminé")),
        ],
        required=False,
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
