#!/usr/bin/env python
"""Fail (exit 1) when the English catalogue has untranslated or fuzzy entries, listing them.

Source strings are French, so French needs no msgstr; English must be complete. Run after
`manage.py makemessages -l en -l fr --ignore=.venv --ignore=staticfiles`.
Usage: python scripts/check_translations.py [path/to/django.po ...]
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUES = sorted((ROOT / "locale" / "en" / "LC_MESSAGES").glob("*.po"))


def problems(po_path: Path) -> list[str]:
    """Human-readable lines, one per entry that an English reader would see in French."""
    found = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        where = entry.occurrences[0][0] + ":" + entry.occurrences[0][1] if entry.occurrences else "?"
        if entry.fuzzy:
            found.append(f"fuzzy         {where}  {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"untranslated  {where}  {entry.msgid!r}")
    return found


def main(argv: list[str]) -> int:
    catalogues = [Path(arg) for arg in argv] or DEFAULT_CATALOGUES
    if not catalogues:
        print("no English catalogue found (locale/en/LC_MESSAGES/*.po)", file=sys.stderr)
        return 1
    failed = False
    for po_path in catalogues:
        found = problems(po_path)
        if found:
            failed = True
            print(f"{po_path}: {len(found)} entries to translate", file=sys.stderr)
            for line in found:
                print(f"  {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
