"""Apps depend one way: core <- accounts <- partners <- cohorts <- coaching <- mobility <- reporting, with the
configuration (`pemwecco`) on top. The rule is the import-linter contract in `.importlinter`; these tests
run it, prove it catches a violation, and catch what import-linter cannot see: references by name.

Not caught, and left on purpose: an ORM lookup through a reverse relation that a higher app declares.
There is one, `cohorts.models.ApplicationQuerySet.for_user` reaching a coach's applications through
`coach_assignments` (declared by `coaching`)."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Lowest first; `pemwecco` (settings, urls, celery, wsgi, asgi) is configuration, above every app.
ORDER = ["core", "accounts", "partners", "cohorts", "coaching", "mobility", "reporting", "pemwecco"]
APPS = ORDER[:-1]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))
CONTRACT = "Apps depend one way"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(cwd)}
    )


def test_the_tree_keeps_the_layers_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_fails_on_a_lower_app_importing_a_higher_one(tmp_path):
    """A copy of the tree where `partners` (low) imports `mobility` (high): lint-imports exits non-zero and
    names the contract and the offending import."""
    for package in [*ORDER, "tests", "e2e"]:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "templates", "locale", "static")
        )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    (tmp_path / "partners" / "shortcut.py").write_text("from mobility.models import Trip  # a deliberate violation\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert f"{CONTRACT}" in result.stdout and "BROKEN" in result.stdout
    assert "partners.shortcut -> mobility.models" in result.stdout
    assert "0 kept, 1 broken" in result.stdout


# --------------------------------------------------------------------------------------------------
# References by name, which import-linter cannot see
# --------------------------------------------------------------------------------------------------

#: "mobility.Trip" (lazy foreign key), "mobility.view_trip" (permission), "pemwecco.celery" (module path).
DOTTED = re.compile(r"^(?P<app>[a-z_]+)\.[A-Za-z_]\w*")
GET_MODEL_CALLS = {"get_model", "get_app_config", "import_module", "send_task", "signature"}


def higher_references(source: str, app: str) -> list[str]:
    """Names of higher apps (or of the configuration) that a module of `app` reaches by string."""
    higher = set(ORDER[ORDER.index(app) + 1 :])
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = DOTTED.match(node.value)
            if match and match.group("app") in higher:
                found.append(node.value)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            first = node.args[0] if node.args else None
            if name in GET_MODEL_CALLS and isinstance(first, ast.Constant) and first.value in higher:
                found.append(f"{name}({first.value!r})")
    return found


@pytest.mark.parametrize(
    ("app", "source"),
    [
        ("partners", 'trip = models.ForeignKey("mobility.Trip", on_delete=models.CASCADE)'),
        ("cohorts", 'Trip = apps.get_model("mobility", "Trip")'),
        ("cohorts", 'session = apps.get_model("coaching.CoachingSession")'),
        ("accounts", 'allowed = user.has_perm("reporting.view_report")'),
        ("mobility", 'from_settings = importlib.import_module("pemwecco.celery")'),
    ],
)
def test_the_name_check_catches_each_kind_of_reference(app, source):
    assert higher_references(source, app) != []


def test_the_name_check_lets_an_app_name_itself_and_lower_apps():
    source = 'a = models.ForeignKey("cohorts.Application", on_delete=models.CASCADE)\nb = apps.get_model("partners", "Coach")'
    assert higher_references(source, "coaching") == []


@pytest.mark.parametrize("app", APPS)
def test_no_app_names_a_higher_app_or_the_configuration(app):
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / app).rglob("*.py"))
        if (found := higher_references(path.read_text(), app))
    }
    assert offenders == {}
