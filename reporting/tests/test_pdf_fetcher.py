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
