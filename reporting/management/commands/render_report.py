"""`python manage.py render_report KIND --programme CODE --lang fr|en --output FILE [--cohort N]`: render a PDF
report synchronously, through the same code as the worker, for scripts and cron. Nothing is stored in the
database: the file goes where --output says."""

import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.models import Cohort, Programme
from reporting.models import ReportJob, ReportKind
from reporting.rendering import ReportRenderError, pdf_from_html, report_html
from reporting.services.reports import report_request_validate


class Command(BaseCommand):
    help = gettext_lazy("Produit un rapport PDF (CAD, cohorte ou note au comité) sans passer par la file d'attente.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values, help=gettext_lazy("Type de rapport."))
        parser.add_argument("--programme", required=True, help=gettext_lazy("Code du programme (ex. pem-wecco)."))
        parser.add_argument("--cohort", type=int, help=gettext_lazy("Numéro de la cohorte (rapport de cohorte)."))
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--output", required=True, help=gettext_lazy("Fichier PDF à écrire."))

    def handle(self, *args, kind: str, programme: str, cohort: int | None, lang: str, output: str, **options):
        started = time.monotonic()
        try:
            programme_obj = Programme.objects.get(code=programme)
        except Programme.DoesNotExist as error:
            raise CommandError(_("Programme inconnu : %(code)s") % {"code": programme}) from error
        cohort_obj = None
        if cohort is not None:
            try:
                cohort_obj = Cohort.objects.get(programme=programme_obj, number=cohort)
            except Cohort.DoesNotExist as error:
                raise CommandError(_("Cohorte %(n)s inconnue dans ce programme.") % {"n": cohort}) from error
        try:
            report_request_validate(kind=kind, programme=programme_obj, cohort=cohort_obj, language=lang)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        # An unsaved job: the same rendering as the worker, without a row in the list of requested reports.
        job = ReportJob(kind=kind, programme=programme_obj, cohort=cohort_obj, language=lang, data_as_of=timezone.now())
        try:
            pdf = pdf_from_html(html=report_html(job=job))
        except ReportRenderError as error:
            raise CommandError(str(error)) from error
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        self.stdout.write(
            _("%(path)s écrit (%(size)s octets, %(seconds).1f s).")
            % {"path": path, "size": len(pdf), "seconds": time.monotonic() - started}
        )
