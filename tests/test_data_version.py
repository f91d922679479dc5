"""Which statements change the data version (core.data_version.write_kind): hand-written SQL in an indented
string, after a comment or inside a WITH is a write like Django's own; reads and the noise tables are not."""

import pytest

from core.data_version import DATA, JOBS, write_kind


@pytest.mark.parametrize(
    "sql",
    [
        'UPDATE "cohorts_application" SET "status" = %s',
        '\n    UPDATE "cohorts_application"\n    SET "status" = %s',
        '  \tDELETE FROM "cohorts_cohort" WHERE "id" = %s',
        '/* a data fix */ UPDATE "cohorts_cohort" SET "name" = %s',
        '-- a data fix\nINSERT INTO "cohorts_cohort" ("name") VALUES (%s)',
        'WITH late AS (SELECT "id" FROM "cohorts_application") UPDATE "cohorts_application" SET "status" = %s',
        "TRUNCATE cohorts_application",
        "REPLACE INTO cohorts_cohort VALUES (1)",
    ],
)
def test_a_write_however_it_is_written_changes_the_data_version(sql):
    assert write_kind(sql) == DATA


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" FROM "cohorts_application"',
        '\n    SELECT "id" FROM "cohorts_application"',
        'WITH ids AS (SELECT "id" FROM "cohorts_application") SELECT * FROM ids',
        'UPDATE "django_session" SET "expire_date" = %s',
        'INSERT INTO "axes_accessattempt" ("username") VALUES (%s)',
    ],
)
def test_reads_and_bookkeeping_do_not(sql):
    assert write_kind(sql) is None


@pytest.mark.django_db
def test_job_rows_change_the_jobs_version_only():
    assert write_kind('UPDATE "cohorts_applicationimport" SET "heartbeat_at" = %s') == JOBS


@pytest.mark.parametrize("value", [None, 0, "", [], {}, False, (0, "")])
def test_a_falsy_result_is_cached_and_read_back_as_it_was(value):
    """pickle skips __setstate__ for a false state: a cached None or 0 came back as an empty envelope."""
    from django.core.cache import cache

    from core.data_version import cached_per_version

    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        return value

    assert cached_per_version("pem:test-falsy", compute) == value
    assert cached_per_version("pem:test-falsy", compute) == value
    assert len(calls) == 1
