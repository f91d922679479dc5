"""HTML → PDF with WeasyPrint, nothing fetched from the network: the HTML carries its CSS (and SVG) inline.
The one renderer of the project: visa invitation letters, and the reports (reporting.rendering)."""

import logging

from django.utils.translation import gettext as _

from .jobs import PDF_FAILED_CODE

logger = logging.getLogger(__name__)
# WeasyPrint logs every layout step, and a warning for each SVG presentation property it leaves to its SVG
# renderer: keep the worker's log for real errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class PdfRenderError(Exception):
    """The PDF could not be produced; the message is kept on the failed job."""


class _ExternalResourceRefused(BaseException):  # noqa: N818 - a signal through WeasyPrint, which swallows Exceptions
    def __init__(self, url: str):
        super().__init__(url)
        self.url = str(url)


def pdf_render(*, html: str) -> bytes:
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:  # OSError: Pango or its libraries are missing
        logger.exception("WeasyPrint cannot be imported")  # the library's words for the team, in the log
        raise PdfRenderError(
            _("Le moteur PDF (WeasyPrint) n'est pas installé sur ce serveur : l'équipe technique doit l'installer.")
        ) from error

    class NoFetch(URLFetcher):
        def fetch(self, url, headers=None):
            raise _ExternalResourceRefused(url)

    try:
        return HTML(string=html, base_url=None, url_fetcher=NoFetch(fail_on_errors=True)).write_pdf()
    except _ExternalResourceRefused as refused:
        raise PdfRenderError(_("Ressource externe refusée dans un rapport : %(url)s") % {"url": refused.url[:200]}) from None
    except Exception as error:  # WeasyPrint raises many kinds: the trace to the log, a code for the job
        logger.exception("PDF rendering failed")
        raise PdfRenderError(PDF_FAILED_CODE) from error
