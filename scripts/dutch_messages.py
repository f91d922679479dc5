#!/usr/bin/env python
"""The Dutch catalogue covers only what a Belgian company reads: the pages its personal link opens and
the e-mails sent to it. Those files are the ones with `partner_link` in their path (templates under
`<app>/templates/<app>/partner_link/`, modules such as `mobility/partner_link.py`) and `core/links.py`.

`python scripts/dutch_messages.py` extracts their strings (makemessages on a copy of the tree) and writes
locale/nl/LC_MESSAGES/django.po, keeping the Dutch already written; `--check` only lists the strings
that have no Dutch yet (exit 1 if any). The rest of the site stays French and English.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
IGNORED = (".venv", ".git", "staticfiles", "media", "private_media", ".celery-broker", "*.sqlite3", "node_modules", "__pycache__")


def partner_facing(path: str) -> bool:
    return "partner_link" in path or path.replace("\\", "/").endswith("core/links.py")


def extracted() -> list[polib.POEntry]:
    """The entries of the partner-facing files, as makemessages finds them today."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED))
        shutil.rmtree(copy / "locale" / "nl", ignore_errors=True)
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "nl", "--ignore=staticfiles", "--no-obsolete"],
            cwd=copy,
            capture_output=True,
            check=True,
        )
        po = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    return [entry for entry in po if any(partner_facing(file) for file, _line in entry.occurrences)]


def missing(entries: list[polib.POEntry], catalogue: Path = CATALOGUE) -> list[str]:
    current = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogue))} if catalogue.exists() else {}
    return [
        entry.msgid
        for entry in entries
        if (entry.msgctxt, entry.msgid) not in current
        or not current[(entry.msgctxt, entry.msgid)].translated()
        or current[(entry.msgctxt, entry.msgid)].fuzzy
    ]


def write(entries: list[polib.POEntry]) -> None:
    current = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(CATALOGUE))} if CATALOGUE.exists() else {}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "pemwecco",
        "Language": "nl",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for entry in sorted(entries, key=lambda e: (e.msgctxt or "", e.msgid)):
        known = current.get((entry.msgctxt, entry.msgid))
        entry.occurrences = [(f, n) for f, n in entry.occurrences if partner_facing(f)]
        if known is not None:
            entry.msgstr, entry.msgstr_plural, entry.flags = known.msgstr, known.msgstr_plural, known.flags
        else:
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        po.append(entry)
    po.save(str(CATALOGUE))


def main() -> int:
    entries = extracted()
    if "--check" not in sys.argv:
        write(entries)
    gaps = missing(entries)
    for msgid in gaps:
        print(f"no Dutch yet: {msgid!r}")
    return 1 if gaps and "--check" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
