#!/usr/bin/env python
"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib (pure Python: no gettext needed).

The .mo files are build products (git-ignored): run this after a checkout and after editing a .po.
Fuzzy and untranslated entries are left out of the .mo, as msgfmt does.
Usage: python scripts/compile_translations.py
"""

import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(locale_dir: Path = ROOT / "locale") -> list[Path]:
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        compiled.append(mo_path)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue  # up to date
        # Written aside then moved into place: a test process reading the catalogue while another one
        # compiles it (pytest-xdist) sees the old file or the new one, never half of one.
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
        polib.pofile(str(po_path)).save_as_mofile(str(partial))
        os.replace(partial, mo_path)
    return compiled


def main() -> int:
    compiled = compile_all()
    for mo_path in compiled:
        print(f"compiled {mo_path.relative_to(ROOT)}")
    if not compiled:
        print("no .po file found under locale/", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
