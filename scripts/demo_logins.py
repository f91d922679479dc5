"""Prints where the demo runs and who can log in (accounts from reporting.demo).

Usage: python scripts/demo_logins.py [--wait] [URL]   (--wait: once the server at URL answers)
"""

import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")

import django  # noqa: E402

django.setup()

from reporting.demo import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402


def _rows(accounts):
    """DEMO_ACCOUNTS as (e-mail, details) pairs: (email, role, note) tuples, dicts or a mapping."""
    items = accounts.items() if hasattr(accounts, "items") else accounts
    for item in items:
        if isinstance(item, dict):
            fields = [item.get("email", ""), *(v for k, v in item.items() if k != "email")]
        elif isinstance(item, (tuple, list)):
            fields = list(item)
        else:
            fields = [item]
        email = next((f for f in fields if "@" in str(f)), fields[0])
        details = [str(getattr(f, "label", f)) for f in fields if f is not email]
        yield str(email), " — ".join(details)


def _wait_for(url: str, seconds: float) -> None:
    """Wait until the server answers, so that this text comes after the start-up banners."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.5)


def _open_invitation_link(base: str) -> str:
    """The personal link of one invitation still waiting for an answer (the demo entrepreneur's first),
    as the e-mail to the company carries it; empty when the demo has none."""
    from django.db import DatabaseError
    from django.urls import reverse

    from core.links import link_token_make
    from mobility.models import Invitation, InvitationStatus
    from mobility.selectors_invitations import LINK_PURPOSE

    try:
        waiting = (
            Invitation.objects.filter(status=InvitationStatus.SENT, answered_at__isnull=True, slots__isnull=False)
            .distinct()
            .order_by("pk")
        )
        invitation = waiting.filter(trip__application__entrepreneur__email__startswith="entrepreneur@").first() or waiting.first()
    except DatabaseError:
        return ""
    if invitation is None:
        return ""
    token = link_token_make(purpose=LINK_PURPOSE, pk=invitation.pk, nonce=invitation.link_nonce)
    return base.rstrip("/") + reverse("mobility:invitation_answer", kwargs={"token": token})


arguments = [a for a in sys.argv[1:] if a != "--wait"]
url = arguments[0] if arguments else "http://localhost:8000/"
if "--wait" in sys.argv:
    _wait_for(url, 60)
    time.sleep(1)  # the worker's banner too
rows = list(_rows(DEMO_ACCOUNTS))
width = max((len(email) for email, _ in rows), default=0)
print()
print(f"PEM demo: {url}")
print(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})")
for email, role in rows:
    print(f"  {email:<{width}}  {role}")
print("Équipe, comité et évaluateur : après le mot de passe, un code à 6 chiffres est demandé ;")
print("  dans un autre terminal, `make demo-code` affiche le code du moment de chaque compte de démo.")
invitation_link = _open_invitation_link(url)
if invitation_link:
    print("Page d'une entreprise belge invitée (sans compte ; le lien sert une seule fois) :")
    print(f"  {invitation_link}")
print("Ctrl-C arrête le serveur web et le worker Celery.")
print(flush=True)
