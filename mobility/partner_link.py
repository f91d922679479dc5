"""What a Belgian company reads on its invitation page and in its e-mails, in French, Dutch or English
(scripts/dutch_messages.py collects the strings of this module for the Dutch catalogue).

Labels defined elsewhere (sectors, decline reasons, the meeting time) are repeated here with the very
same French text: that puts them in the Dutch catalogue, and the models' own labels then read in Dutch
too (tests/test_invitations_pages.py checks that the two lists agree)."""

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.meeting_time import BRUSSELS, DAKAR

#: The languages of the page, as each language names itself (the switch on the page).
PAGE_LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]

SLOT_REQUIRED = _("Choisissez l'un des créneaux proposés.")
SLOT_TAKEN = _(
    "Ce créneau vient d'être pris par un autre rendez-vous. Choisissez un autre créneau, "
    "ou indiquez-nous votre disponibilité en répondant à l'e-mail d'invitation."
)
REASON_REQUIRED = _("Indiquez la raison de votre refus.")
DETAILS_REQUIRED = _("Précisez la raison en quelques mots.")
NAME_REQUIRED = _("Indiquez le nom de votre collègue.")
EMAIL_REQUIRED = _("Indiquez l'adresse e-mail de votre collègue.")
EMAIL_ALREADY_INVITED = _("Cette personne a déjà reçu une invitation pour ce voyage.")
NOT_OPEN = _("Cette invitation ne peut plus recevoir de réponse.")

#: Decline reasons (mobility.models.DeclineReason), same order and texts.
DECLINE_REASON_LABELS = {
    "unavailable": _("Pas de disponibilité pendant ces dates"),
    "strategy": _("Ne correspond pas à notre stratégie actuelle"),
    "no_west_africa": _("Pas d'activité avec l'Afrique de l'Ouest pour le moment"),
    "too_late": _("Demande reçue trop tard"),
    "other": _("Autre raison"),
}

#: Sectors (partners.models.Sector), same texts.
SECTOR_LABELS = {
    "agrifood": _("Agroalimentaire"),
    "water": _("Eau et assainissement"),
    "creative": _("Industries culturelles et créatives"),
    "digital": _("Numérique / TIC"),
    "energy": _("Énergie"),
    "health": _("Santé"),
    "textile": _("Textile et mode"),
    "cosmetics": _("Cosmétique"),
    "construction": _("BTP et construction"),
    "logistics": _("Transport et logistique"),
    "tourism": _("Tourisme"),
    "education": _("Éducation et formation"),
    "services": _("Services aux entreprises"),
    "other": _("Autre"),
}

#: core.meeting_time's sentence, same text (the meeting's time in the answer notices).
MEETING_TIME = _("%(date)s, %(time)s heure de Bruxelles (%(dakar)s à Dakar)")


def slot_time(slot) -> str:
    """A proposed slot in Brussels time with the Dakar time beside it, in the active language:
    "9 mars 2027, 09:00–10:00 heure de Bruxelles (08:00–09:00 à Dakar)"."""
    starts, ends = slot.starts_at, slot.ends_at
    if timezone.is_naive(starts):
        starts, ends = timezone.make_aware(starts), timezone.make_aware(ends)

    def hours(zone) -> str:
        return "–".join(formats.time_format(moment.astimezone(zone), "TIME_FORMAT") for moment in (starts, ends))

    return gettext("%(date)s, %(hours)s heure de Bruxelles (%(dakar)s à Dakar)") % {
        "date": formats.date_format(starts.astimezone(BRUSSELS), "DATE_FORMAT"),
        "hours": hours(BRUSSELS),
        "dakar": hours(DAKAR),
    }
