"""English is complete: every French source string has an English translation, and no string in
the code is missing from the catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_english_entry_is_translated_and_not_fuzzy():
    result = subprocess.run(
        [sys.executable, "scripts/check_translations.py"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_catalogue_holds_every_translatable_string_of_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is required in CI to check the catalogue")
        pytest.skip("xgettext not installed (apt-get install gettext)")
    # makemessages writes into locale/: run it on a copy of the tree so the work tree is untouched.
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "media", "private_media", ".celery-broker", "*.sqlite3", "node_modules", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=staticfiles", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pemwecco.settings"},
    )
    current = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    regenerated = {e.msgid for e in polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")) if not e.obsolete}
    missing = sorted(regenerated - current)
    assert missing == [], f"run makemessages and translate: {missing[:20]}"
