"""The DAC evaluation report job against WeasyPrint alone on the same HTML, in one warm worker, DEBUG off.

    .venv/bin/python bench/report_bench.py                  # the demo in a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pem_x .venv/bin/python bench/report_bench.py [--repeats 7]
    DATABASE_URL=... .venv/bin/python bench/report_bench.py --programme CODE   # a larger programme already loaded

In ONE process (a worker: WeasyPrint's start-up and a first job paid once, before any timing), `repeats`
rounds, interleaved: the whole DAC job (`report_render_run`: claim, queries and indicators, HTML, WeasyPrint,
storage, done), then WeasyPrint alone on the HTML of that job, then the other way round in the next round (so
that a slower minute on a shared machine weighs on both). Each timed run starts after `gc.collect()`: the
garbage left by the step before (rendering the HTML for the next run) otherwise slowed whichever run came
next by up to 6 % of WeasyPrint's time, a lottery between the two sides. Prints the medians, their ratio (limit 1.05: the
platform's own work at most 5 % on top of WeasyPrint), the process's peak resident memory (ru_maxrss) and
the pages. The pass/fail line is that ratio, measured in the same run; never an absolute time.

`measure(repeats)` is what `make bench` calls, with Django set up and the data already in DATABASE_URL.
The report needs a programme with an evaluation: the demo's `pem-wecco` (the 10x data set of `make bench`
has none unless its builder adds one; `--programme` names another).
"""

import argparse
import gc
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The whole job at most 5 % slower than WeasyPrint alone on the same HTML (issue [10]).
RATIO_LIMIT = 1.05
DEFAULT_PROGRAMME = "pem-wecco"


def measure(repeats: int = 5, *, programme: str = DEFAULT_PROGRAMME, kind: str = "dac", language: str = "fr") -> dict:
    """Medians of `repeats` interleaved runs of the whole report job and of WeasyPrint alone on its HTML.

    Django must be set up and the programme (with an evaluation, for the DAC report) loaded. Runs with
    DEBUG off whatever the settings say (no query log, templates without debug information), as a worker
    in production. Deletes the jobs and files it made. Returns seconds, the ratio job / WeasyPrint alone,
    the peak resident memory of this process in MB and the number of pages of the report."""
    from django.db.models import F
    from django.test.utils import override_settings
    from pypdf import PdfReader

    from cohorts.models import Programme
    from reporting.models import Evaluation, ReportJob
    from reporting.rendering import pdf_from_html, report_html
    from reporting.services.reports import RenderTimings, report_render_run

    programme_obj = Programme.objects.get(code=programme)
    if kind == "dac" and not Evaluation.objects.filter(programme=programme_obj).exists():
        raise ValueError(f"programme {programme!r} has no evaluation: the DAC report cannot be made for it")
    made: list[int] = []

    def job_once() -> tuple[float, ReportJob, RenderTimings]:
        job = ReportJob.objects.create(kind=kind, programme=programme_obj, language=language)
        made.append(job.pk)
        timings = RenderTimings()
        gc.collect()  # each timed run starts without the garbage of the previous step (as the other below)
        started, cpu_started = time.perf_counter(), time.process_time()
        job = report_render_run(job_id=job.pk, timings=timings)
        seconds = time.perf_counter() - started
        cpu_job.append(time.process_time() - cpu_started)
        if job is None or job.status != "done":
            raise RuntimeError(f"the report job failed: {job.error if job else 'nothing to do'}")
        return seconds, job, timings

    def alone_once(html: str) -> tuple[float, bytes]:
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = pdf_from_html(html=html)
        cpu_alone.append(time.process_time() - cpu_started)
        return time.perf_counter() - started, pdf

    jobs, alone, inside, cpu_job, cpu_alone = [], [], [], [], []
    try:
        with override_settings(DEBUG=False):
            # A warm worker: WeasyPrint's start-up (imports, fontconfig, fonts), templates, translations and
            # the first queries paid once, before any timing.
            pdf_from_html(html="<p style=\"font-family: 'DejaVu Sans'\">PEM <b>démarrage</b></p>")
            _, job, _ = job_once()
            html = report_html(job=job)
            alone_once(html)
            del cpu_job[:], cpu_alone[:]
            pdf = b""
            for round_number in range(repeats):
                job_first = round_number % 2 == 0
                if not job_first:
                    seconds, pdf = alone_once(html)
                    alone.append(seconds)
                seconds, job, timings = job_once()
                jobs.append(seconds)
                inside.append(timings.pdf)
                html = report_html(job=job)  # the same HTML as this job's (same data, same day), not timed
                if job_first:
                    seconds, pdf = alone_once(html)
                    alone.append(seconds)
            # The report's HTML (queries, figures, charts, template) when its data was just written (every
            # per-version result computed: the first report after a change) and when it is unchanged (read
            # from the per-version cache, as in the rounds above). For information: the limit is the job's.
            computed, cached = [], []
            for _round in range(5):
                Programme.objects.filter(pk=programme_obj.pk).update(name=F("name"))  # a write: a new data version
                started = time.perf_counter()
                report_html(job=job)
                computed.append(time.perf_counter() - started)
                started = time.perf_counter()
                report_html(job=job)
                cached.append(time.perf_counter() - started)
    finally:
        for job in ReportJob.objects.filter(pk__in=made):
            if job.file:
                job.file.delete(save=False)
            job.delete()
    job_median, alone_median = statistics.median(jobs), statistics.median(alone)
    return {
        "kind": kind,
        "programme": programme,
        "repeats": repeats,
        "seconds_job": job_median,
        "seconds_weasyprint_alone": alone_median,
        "seconds_weasyprint_in_job": statistics.median(inside),
        "ratio": job_median / alone_median,
        # This process's CPU time: steadier than the clock on a busy machine, but without the database
        # server's own work (all of it with SQLite, none with PostgreSQL). For information, not the limit.
        "cpu_seconds_job": statistics.median(cpu_job),
        "cpu_seconds_weasyprint_alone": statistics.median(cpu_alone),
        "cpu_ratio": statistics.median(cpu_job) / statistics.median(cpu_alone),
        "ratio_limit": RATIO_LIMIT,
        "passed": job_median / alone_median <= RATIO_LIMIT,
        "html_ms_computed": statistics.median(computed) * 1000,
        "html_ms_cached": statistics.median(cached) * 1000,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kilobytes on Linux
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "runs_job": jobs,
        "runs_weasyprint_alone": alone,
    }


def _setup(workdir: Path) -> bool:
    """Django on DATABASE_URL (a throwaway SQLite file when unset), DEBUG off. Returns whether the database
    is the throwaway one (then the demo is loaded into it)."""
    throwaway = "DATABASE_URL" not in os.environ
    if throwaway:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # DEBUG off as in production; the keys it then requires are the caller's, or throwaway ones for this
    # process (the DAC report reads no encrypted field).
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "report-bench-" + os.urandom(16).hex())
    if "FIELD_ENCRYPTION_KEYS" not in os.environ:
        from cryptography.fernet import Fernet

        os.environ["FIELD_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    import django

    django.setup()
    return throwaway


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--programme", default=DEFAULT_PROGRAMME)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pem-report-bench-"))
    throwaway = _setup(workdir)

    from django.conf import settings
    from django.core.management import call_command

    from cohorts.models import Programme

    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}  DEBUG={settings.DEBUG} (timed with DEBUG off)")
    if throwaway:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--allow-production", stdout=io.StringIO())
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    if not Programme.objects.filter(code=args.programme).exists():
        print(f"programme {args.programme!r} is not in this database: load the demo (manage.py load_demo) first")
        return 2
    from cohorts.models import Application

    applications = Application.objects.filter(cohort__programme__code=args.programme).count()
    print(f"programme {args.programme}: {applications} applications")

    try:
        result = measure(args.repeats, programme=args.programme)
    except ValueError as error:
        print(error)
        return 2
    print(f"whole DAC job (report_render_run), median of {args.repeats}:  {result['seconds_job']:6.2f} s")
    print(f"WeasyPrint alone on the same HTML, median of {args.repeats}:  {result['seconds_weasyprint_alone']:6.2f} s")
    print(f"  (WeasyPrint inside the job, median: {result['seconds_weasyprint_in_job']:.2f} s)")
    print("  runs, job:   " + " ".join(f"{s:.2f}" for s in result["runs_job"]))
    print("  runs, alone: " + " ".join(f"{s:.2f}" for s in result["runs_weasyprint_alone"]))
    print(
        f"CPU time of this process, medians: job {result['cpu_seconds_job']:.2f} s, WeasyPrint alone "
        f"{result['cpu_seconds_weasyprint_alone']:.2f} s, ratio {result['cpu_ratio']:.3f} (information)"
    )
    print(
        f"HTML of the report, medians of 5: {result['html_ms_computed']:.0f} ms computed (after a write), "
        f"{result['html_ms_cached']:.0f} ms with the per-version results cached (information)"
    )
    print(f"pages: {result['pages']}   peak RSS of the worker process: {result['peak_memory_mb']:.0f} MB")
    verdict = "OK" if result["passed"] else "LIMIT EXCEEDED"
    print(f"ratio job / WeasyPrint alone: {result['ratio']:.3f} (limit {RATIO_LIMIT}) {verdict}")
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
