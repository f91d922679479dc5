"""Personal links for people who have no account: a Belgian company answering an invitation or a
follow-up questionnaire. A link is signed (a changed character makes it invalid), expires, and opens one
row whose `link_nonce` it carries, so that issuing a new link to that row retires the old one. Whether a
link may still be used once answered is the row's rule (its answered time), not the token's.

The page a bad link gets says what the person can do and reveals nothing of the row."""

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def link_nonce_new() -> str:
    """A fresh random value for a row's `link_nonce` field."""
    return secrets.token_urlsafe(12)


def link_token_make(*, purpose: str, pk: int, nonce: str) -> str:
    """The token of the link to row `pk` for `purpose` (e.g. "invitation"); the time of signing starts its
    validity. The salt keeps a token of one purpose from opening a row of another."""
    return signing.dumps([pk, nonce], salt=f"links.{purpose}", compress=False)


class LinkInvalid(Exception):
    """A link that cannot be used. `reason`: "tampered" (not a token we signed, or retired) or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkTarget:
    pk: int
    nonce: str


def link_token_read(*, purpose: str, token: str, max_age: datetime.timedelta) -> LinkTarget:
    """The row a token opens, or LinkInvalid. The caller still checks that the row's nonce is `nonce`."""
    try:
        value = signing.loads(token, salt=f"links.{purpose}", max_age=max_age)
    except signing.SignatureExpired:
        raise LinkInvalid("expired") from None
    except signing.BadSignature:
        raise LinkInvalid("tampered") from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise LinkInvalid("tampered")
    return LinkTarget(pk=value[0], nonce=value[1])


LINK_PROBLEMS = {
    "expired": (
        _("Ce lien a expiré"),
        _(
            "Pour votre sécurité, les liens personnels ne restent valables qu'un temps limité. "
            "Si vous souhaitez encore répondre, écrivez à l'équipe du programme : elle vous enverra un nouveau lien."
        ),
    ),
    "tampered": (
        _("Ce lien n'est pas valable"),
        _(
            "Le lien est incomplet, a été modifié ou a été remplacé par un lien plus récent. "
            "Vérifiez que vous avez copié l'adresse en entier, ou utilisez le dernier e-mail reçu."
        ),
    ),
    "used": (
        _("Vous avez déjà répondu"),
        _(
            "Une réponse a déjà été enregistrée avec ce lien : il ne peut servir qu'une fois. "
            "Pour la modifier, écrivez à l'équipe du programme."
        ),
    ),
}


def link_problem_response(request: HttpRequest, reason: str) -> HttpResponse:
    """The page for a link that cannot be used: the same for every row, status 404 (410 once answered),
    so that it says nothing about what the link pointed to."""
    title, explanation = LINK_PROBLEMS[reason]
    status = 410 if reason == "used" else 404
    return render(request, "core/link_problem.html", {"title": title, "explanation": explanation}, status=status)
