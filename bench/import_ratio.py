"""The spreadsheet import of applications next to a bulk insert of the same rows (any database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_bench .venv/bin/python bench/import_ratio.py [rows] [repeats]

The import is the worker's service end to end (`application_import_execute` on a queued job): the file
re-read, every row checked, the companies, entrepreneurs and applications written, each application
submitted and screened with its two transitions and three history rows, the job marked done, and any
e-mail the rules queue. The baseline is what a plain loader would do with the same file: read it,
check it with the same `applications_import_check`, and `bulk_create` the companies, entrepreneurs and
applications (submitted, unscreened; no transitions, history or e-mails).

Runs alternate (import, baseline, import, ...) after one warm-up of each; the figures are medians.
Everything happens on a throw-away programme and cohort inside a transaction rolled back at the end
of each run, and the stored copy of the file is deleted: the database is left as it was.
`measure()` is what `make bench` calls.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class _Rollback(Exception):
    pass


def _csv(rows: int, programme_code: str, token: str) -> bytes:
    from cohorts.resources import ApplicationImportResource

    header = ApplicationImportResource.column_names()
    lines = [",".join(header)]
    for index in range(rows):
        row = {
            "prenom": "Awa", "nom": f"Import{index}", "email": f"ratio-{token}-{index}@example.sn",
            "genre": "Femme" if index % 2 else "man", "tranche_age": "25-34", "niveau_etudes": "Master",
            "diaspora": "non", "pays_residence": "SN", "entreprise": f"Import {token} {index}", "forme_juridique": "sarl",
            # Every tenth row names an already listed company (same NINEA): the import reuses it.
            "ninea": f"9{index // 10:08d}" if index % 10 < 2 else "", "formelle": "oui" if index % 3 else "non",
            "secteur": "textile", "region": "Thiès", "annee_creation": str(2010 + index % 15),
            "chiffre_affaires": "10-50m", "employes": "4", "experience_export": "non", "programme": programme_code,
            "cohorte": "1", "motivation": "", "partenariat_recherche": "", "date_soumission": "15/03/2024",
        }  # fmt: skip
        lines.append(",".join(f'"{row.get(name, "")}"' for name in header))
    return ("\r\n".join(lines) + "\r\n").encode()


def _scenario(token: str):
    """A throw-away programme, its cohort 1 with three criteria, and the staff member who imports."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from cohorts.models import Cohort, EligibilityCriterion, Programme

    programme = Programme.objects.create(
        code=f"ratio-{token}", name=f"Import ratio {token}", origin_country="SN", destination_country="BE",
        starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2030, 12, 31),
    )  # fmt: skip
    now = timezone.now()
    cohort = Cohort.objects.create(
        programme=programme, number=1, name="Cohorte 1",
        call_opens_at=now - datetime.timedelta(days=400), call_closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    for field, operator, value, label in (
        ("company_age", "gte", "2", "Au moins 2 ans d'existence"),
        ("is_formal", "true", "", "Entreprise formelle"),
        ("turnover_floor_mxof", "gte", "10", "Chiffre d'affaires d'au moins 10 M FCFA"),
    ):
        EligibilityCriterion.objects.create(cohort=cohort, field=field, operator=operator, value=value, label=label)
    staff = User.objects.create(email=f"ratio-{token}@example.org", is_staff=True)
    staff.groups.add(Group.objects.get(name="staff"))
    return staff


def _import_run(content: bytes, rows: int, token: str) -> tuple[float, int]:
    """Seconds of the worker's import of a queued file, and the e-mails it queued."""
    from django.core import mail
    from django.db import transaction

    from accounts.models import OutgoingEmail
    from cohorts.models import ApplicationImport, ImportStatus
    from cohorts.services.staff import application_import_execute, application_import_request

    stored = None
    try:
        with transaction.atomic():
            staff = _scenario(token)
            job = application_import_request(content=content, filename="collecte.csv", row_count=rows, by=staff)
            stored = job.file.name
            before = OutgoingEmail.objects.count(), len(mail.outbox)
            start = time.perf_counter()
            job = application_import_execute(import_id=job.pk)
            elapsed = time.perf_counter() - start
            assert job.status == ImportStatus.DONE and job.created_count == rows, (job.status, job.error[:300])
            emails = OutgoingEmail.objects.count() - before[0] + len(mail.outbox) - before[1]
            raise _Rollback
    except _Rollback:
        pass
    finally:
        if stored:
            ApplicationImport._meta.get_field("file").storage.delete(stored)
    return elapsed, emails


def _baseline_run(content: bytes, rows: int, token: str) -> float:
    """Seconds to read and check the same file and bulk_create its companies, entrepreneurs, applications."""
    from django.db import transaction

    from cohorts.models import Application, ApplicationSource, ApplicationStatus
    from cohorts.resources import read_spreadsheet
    from cohorts.services.staff import _import_plan, _submitted_at, applications_import_check
    from partners.models import Company, Entrepreneur

    try:
        with transaction.atomic():
            _scenario(token)
            start = time.perf_counter()
            report = applications_import_check(dataset=read_spreadsheet(content=content, filename="collecte.csv"))
            assert report.is_valid, report.invalid_rows[:1]
            planned = _import_plan(report)
            new_companies = {id(item.company): item.company for item in planned if item.company.pk is None}
            Company.objects.bulk_create(list(new_companies.values()))  # a company shared by rows, once
            for item in planned:
                item.entrepreneur.company = item.entrepreneur.company
            Entrepreneur.objects.bulk_create([item.entrepreneur for item in planned if item.entrepreneur.pk is None])
            applications = []
            for item in planned:
                values = item.row.values
                submitted_at = _submitted_at(values["date_soumission"])
                applications.append(Application(
                    cohort=item.row.cohort, entrepreneur=item.entrepreneur, company=item.company,
                    source=ApplicationSource.IMPORT, motivation=values["motivation"],
                    partnership_sought=values["partenariat_recherche"], target_markets=values["marches_vises"][:250],
                    gender_commitment=values["engagement_genre"],
                    environmental_commitment=values["engagement_environnemental"],
                    status=ApplicationStatus.SUBMITTED, status_changed_at=submitted_at, submitted_at=submitted_at,
                ))  # fmt: skip
            Application.objects.bulk_create(applications)
            elapsed = time.perf_counter() - start
            assert len(applications) == rows
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def measure(rows: int = 1000, repeats: int = 5) -> dict:
    """Medians (seconds) of the import and of the baseline on `rows` rows, interleaved, and their ratio.
    Also the e-mails the import queued (OutgoingEmail rows) or sent, per run."""
    from django.test import override_settings

    token = uuid.uuid4().hex[:8]
    content = _csv(rows, f"ratio-{token}", token)
    imports, baselines, emails = [], [], set()
    # E-mails are kept in memory (counted), never sent; Celery does not run anything (nothing committed).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        from django.core import mail

        mail.outbox = []
        _import_run(content, rows, token), _baseline_run(content, rows, token)  # warm-up
        for _run in range(repeats):
            seconds, queued = _import_run(content, rows, token)
            imports.append(seconds)
            emails.add(queued)
            baselines.append(_baseline_run(content, rows, token))
    import_s, baseline_s = statistics.median(imports), statistics.median(baselines)
    return {
        "rows": rows,
        "repeats": repeats,
        "import_s": import_s,
        "baseline_s": baseline_s,
        "ratio": import_s / baseline_s,
        "emails_per_import": sorted(emails),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    import django

    django.setup()
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    result = measure(rows=rows, repeats=repeats)
    print(
        f"import of {rows} rows: median {result['import_s']:.2f} s; check + bulk_create of the same rows: "
        f"median {result['baseline_s']:.2f} s; ratio {result['ratio']:.2f} (medians of {repeats}, interleaved); "
        f"e-mails per import: {result['emails_per_import']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
