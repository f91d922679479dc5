"""`python manage.py load_demo [--reset]`: the PEM-WECCO demo programme (and a small PEM N'Zassa), built from
row-level records with fictitious people and companies. Idempotent: a second run changes nothing.
Deterministic: one `random.Random(2024)` and fixed dates."""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching import demo as coaching_demo
from cohorts import demo as cohorts_demo
from cohorts.models import Programme
from mobility import demo as mobility_demo
from partners import demo as partners_demo
from reporting import demo as reporting_demo

SEED = 2024


def demo_load() -> None:
    """Write the whole demo, lower apps first; each app's module writes only its own models."""
    rng = random.Random(SEED)
    specs = cohorts_demo.plan_applicants(rng)
    orgs = partners_demo.organisations_create(rng)
    accounts = [(email, role, *reporting_demo.DEMO_ACCOUNT_NAMES[email]) for email, role, _ in reporting_demo.DEMO_ACCOUNTS]
    people = partners_demo.users_create(rng, accounts=accounts, password=reporting_demo.DEMO_PASSWORD, orgs=orgs)
    demo_user = people.users[f"entrepreneur@{partners_demo.DEMO_DOMAIN}"]
    entrepreneurs = partners_demo.applicants_create(specs, orgs=orgs, demo_user=demo_user)
    partners_demo.entrepreneur_accounts_create(
        rng, entrepreneurs=[e for e, spec in zip(entrepreneurs, specs) if spec["source"] == "online"]
    )
    demo = cohorts_demo.load(rng, orgs=orgs, people=people, specs=specs, entrepreneurs=entrepreneurs)
    coaching_demo.load(rng, demo=demo, coaches=people.coaches, orgs=orgs)
    cohorts_demo.governance_load(rng, demo=demo, orgs=orgs)
    mobility_demo.load(rng, demo=demo, orgs=orgs, people=people)
    reporting_demo.load(rng, demo=demo, orgs=orgs)


def demo_delete() -> None:
    """Delete the demo programmes and every fictitious row, higher apps first."""
    programmes = cohorts_demo.demo_programmes()
    reporting_demo.delete_demo(programmes)
    mobility_demo.delete_demo(programmes)
    coaching_demo.delete_demo(programmes)
    cohorts_demo.delete_demo(programmes)
    partners_demo.delete_fictitious()


class Command(BaseCommand):
    help = gettext_lazy(
        "Charge le programme de démonstration PEM-WECCO (personnes et entreprises fictives). "
        "Sans effet s'il est déjà chargé ; --reset le supprime et le recharge."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help=gettext_lazy("Supprimer les données de démonstration puis les recharger.")
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=gettext_lazy("Charger même quand DEBUG est désactivé (serveur de démonstration public)."),
        )

    def handle(self, *args, reset: bool = False, allow_production: bool = False, **options):
        started = time.monotonic()
        # The demo holds a superuser whose password is published in the README: never on a real
        # installation by accident.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                _(
                    "DEBUG est désactivé : la démonstration (comptes au mot de passe public) n'est pas chargée. "
                    "Utilisez --allow-production pour un serveur de démonstration."
                )
            )
        if Programme.objects.filter(code__in=cohorts_demo.DEMO_PROGRAMME_CODES, is_fictitious=False).exists():
            raise CommandError(
                _("Un programme réel utilise déjà le code %(codes)s : la démonstration ne sera pas chargée.")
                % {"codes": " / ".join(cohorts_demo.DEMO_PROGRAMME_CODES)}
            )
        with transaction.atomic():
            if reset:
                demo_delete()
                self.stdout.write(_("Données de démonstration supprimées."))
            if cohorts_demo.demo_programmes().filter(code="pem-wecco").exists():
                self.stdout.write(_("Le programme de démonstration est déjà chargé : rien à faire."))
            else:
                demo_load()
                self.stdout.write(self.style.SUCCESS(_("Programme de démonstration chargé.")))
        for programme in cohorts_demo.demo_programmes().order_by("-code"):
            for line in reporting_demo.figures_lines(programme, short=programme.code != "pem-wecco"):
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            _("Comptes de démonstration (mot de passe commun : %(password)s) :") % {"password": reporting_demo.DEMO_PASSWORD}
        )
        for email, role, description in reporting_demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<36} {role:<13} {description}")
        self.stdout.write(_("Durée : %(seconds).1f s") % {"seconds": time.monotonic() - started})
