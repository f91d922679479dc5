"""`manage.py check --deploy` is clean with the production minimum that the README lists, and nothing else:
the README block and the settings cannot drift apart."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
}


def production_minimum() -> dict[str, str]:
    """The variables of the README's `production-minimum` block, placeholders filled in."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- production-minimum -->\s*```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md lost its production-minimum block"
    variables = dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    return {name: PLACEHOLDERS[name]() if value.startswith("<") else value for name, value in variables.items()}


def run_check(tmp_path: Path, variables: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "STATIC_ROOT": str(tmp_path / "static"),
        **variables,
    }
    (tmp_path / "static").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_readme_production_minimum(tmp_path):
    variables = production_minimum()
    assert "SECURE_HSTS_SECONDS" not in variables  # HSTS is on by default in production

    result = run_check(tmp_path, variables)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_hsts_the_check_complains(tmp_path):
    """The check above is not clean by accident: turning HSTS off makes it fail."""
    result = run_check(tmp_path, {**production_minimum(), "SECURE_HSTS_SECONDS": "0"})

    assert result.returncode != 0
    assert "security.W004" in result.stderr
