"""Links in e-mails work on the port the demo runs on: SITE_URL follows PORT unless it is set."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _site_url(tmp_path: Path, **variables: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pemwecco.settings",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        **variables,
    }
    code = "import json, django; from django.conf import settings; django.setup(); print(json.dumps(settings.SITE_URL))"
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_links_follow_the_port_the_demo_serves_on(tmp_path):
    assert _site_url(tmp_path, PORT="8123") == "http://localhost:8123"


def test_without_a_port_links_use_8000(tmp_path):
    assert _site_url(tmp_path) == "http://localhost:8000"


def test_an_explicit_site_url_wins(tmp_path):
    assert _site_url(tmp_path, PORT="8123", SITE_URL="https://pem.example.org") == "https://pem.example.org"
