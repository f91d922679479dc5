"""Each big staff list next to the stock Django admin changelist of the same model (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench .venv/bin/python bench/list_ratio.py applications
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_dir .venv/bin/python bench/list_ratio.py directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench_trips .venv/bin/python bench/list_ratio.py meetings

Uses the data the matching bench script built (selection_bench.py, directory_bench.py, meetings_bench.py).
Both pages are fetched through Django's test Client by the same superuser in the staff group, DEBUG off,
interleaved (staff list, changelist, staff list, ...) after one warm-up each; the figure is the ratio of
the medians. `measure(kind)` returns the medians and the ratio for the `make bench` runner.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: kind -> (staff list URL name, admin changelist URL name, query string of the staff list)
PAIRS = {
    "applications": ("cohorts:application_list", "admin:cohorts_application_changelist"),
    "directory": ("mobility:directory", "admin:partners_organisation_changelist"),
    "meetings": ("mobility:meeting_list", "admin:mobility_b2bmeeting_changelist"),
}


def _client():
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.models import User

    user, _ = User.objects.get_or_create(email="bench-list-ratio@example.org", defaults={"is_staff": True, "is_superuser": True})
    user.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(user)
    return client


def _get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure(kind: str = "applications", runs: int = 15) -> dict:
    """Medians (seconds) of the staff list and of the admin changelist, interleaved, and their ratio."""
    from django.test import override_settings
    from django.urls import reverse

    staff_name, admin_name = PAIRS[kind]
    with override_settings(DEBUG=False, MFA_ENFORCED=False):
        client = _client()
        staff_url, admin_url = reverse(staff_name), reverse(admin_name)
        _get(client, staff_url), _get(client, admin_url)  # warm-up: templates, caches, connections
        staff_times, admin_times = [], []
        for _run in range(runs):
            staff_times.append(_get(client, staff_url))
            admin_times.append(_get(client, admin_url))
    staff, admin = statistics.median(staff_times), statistics.median(admin_times)
    return {"kind": kind, "staff_list_s": staff, "admin_changelist_s": admin, "ratio": staff / admin}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client in a script: ALLOWED_HOSTS gets 'testserver'
    for kind in sys.argv[1:] or ["applications"]:
        result = measure(kind)
        print(
            f"{kind:14} staff list {result['staff_list_s'] * 1000:7.1f} ms   admin changelist "
            f"{result['admin_changelist_s'] * 1000:7.1f} ms   ratio {result['ratio']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
