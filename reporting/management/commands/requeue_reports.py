"""`python manage.py requeue_reports [--older-than MINUTES]`: send again to the workers the report jobs that
never reached the broker (it was down) or whose worker died. Safe to run often (cron): a job delivered
twice is rendered once."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.services.reports import reports_requeue


class Command(BaseCommand):
    help = gettext_lazy("Renvoie aux workers les rapports restés en file d'attente ou interrompus.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=5, help=gettext_lazy("Minutes d'attente avant de renvoyer (5 par défaut).")
        )

    def handle(self, *args, older_than: int, **options):
        sent = reports_requeue(older_than=timedelta(minutes=older_than))
        self.stdout.write(_("%(n)s rapport(s) renvoyé(s) aux workers.") % {"n": sent})
