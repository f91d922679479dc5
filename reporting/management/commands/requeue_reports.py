"""`python manage.py requeue_reports`: send again to the workers the background jobs (reports, e-mails,
imports, re-screenings: `core.jobs.jobs_requeue`) that never reached the broker (it was down) or whose
worker died (no heartbeat). Safe to run often (cron): a job delivered
twice is rendered once."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.jobs import jobs_requeue


class Command(BaseCommand):
    help = gettext_lazy("Renvoie aux workers les rapports restés en file d'attente ou interrompus.")

    def handle(self, *args, **options):
        sent = jobs_requeue()
        self.stdout.write(_("%(n)s rapport(s) renvoyé(s) aux workers.") % {"n": sent})
