"""The PDF engine fetches nothing: a report's HTML naming an external resource fails with a clear reason
(WeasyPrint 70 calls a fetcher object; a plain function made it fail with AttributeError instead)."""

import pytest
from django.utils import translation

from reporting.rendering import ReportRenderError, pdf_from_html


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://attacker.example/pixel.png">',
        '<link rel="stylesheet" href="http://attacker.example/x.css">',
        '<p style="background: url(file:///etc/passwd)">x</p>',
    ],
)
def test_an_external_resource_is_refused_with_a_clear_message(html):
    with translation.override("fr"), pytest.raises(ReportRenderError) as refused:
        pdf_from_html(html=f"<html><body>{html}</body></html>")
    message = str(refused.value)
    assert message.startswith("Ressource externe refusée dans un rapport")
    assert "AttributeError" not in message


def test_a_report_without_external_resources_still_renders():
    assert pdf_from_html(html="<html><body><h1>Rapport</h1><svg width='10' height='10'></svg></body></html>").startswith(b"%PDF")


def test_a_server_without_the_pdf_engine_says_so_plainly_and_logs_the_cause(caplog):
    import builtins
    from unittest import mock

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    with (
        translation.override("en"),
        mock.patch("builtins.__import__", side_effect=no_pango),
        pytest.raises(ReportRenderError) as refused,
    ):
        pdf_from_html(html="<p>x</p>")
    assert (
        str(refused.value) == "The PDF engine (WeasyPrint) is not installed on this server: the technical team must install it."
    )
    assert "libpango" in caplog.text
