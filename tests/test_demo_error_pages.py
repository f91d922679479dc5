"""The demo (DEBUG on) shows the project's 404 page, not Django's technical one listing the URL patterns.

Each case starts Django in a fresh interpreter with the environment scripts/run_demo.sh gives the web
server, and asks for a missing page with Django's test client."""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

_GET_MISSING_PAGE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    response = Client().get("/no-such-page/", headers={"Cookie": "django_language=en"})
    print(json.dumps({"debug": settings.DEBUG, "status": response.status_code, "html": response.content.decode()}))
    """
)


def _demo_environment() -> dict[str, str]:
    """The variables scripts/run_demo.sh exports to the web server (`export NAME="${NAME:-value}"`)."""
    script = (BASE_DIR / "scripts" / "run_demo.sh").read_text()
    return dict(re.findall(r'^export (\w+)="\$\{\w+:-([^}]*)\}"', script, flags=re.M))


def _missing_page(tmp_path: Path, **variables: str) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pemwecco.settings",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        **variables,
    }
    result = subprocess.run(
        [sys.executable, "-c", _GET_MISSING_PAGE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env file changes the defaults")
def test_the_demo_serves_the_projects_404_page(tmp_path):
    assert _demo_environment().get("FRIENDLY_ERROR_PAGES") == "true"

    page = _missing_page(tmp_path, **_demo_environment())

    assert page["debug"] is True
    assert page["status"] == 404
    assert "Page not found" in page["html"] and "Back to the home page" in page["html"]
    assert "URLconf" not in page["html"] and "pemwecco.urls" not in page["html"]


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env file changes the defaults")
def test_a_developers_runserver_keeps_djangos_technical_404(tmp_path):
    page = _missing_page(tmp_path)

    assert page["status"] == 404 and "URLconf" in page["html"]
