"""Speed and memory of the DAC evaluation report on the demo programme.

    .venv/bin/python bench/report_bench.py            # a throwaway SQLite database in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python bench/report_bench.py   # or a PostgreSQL database of yours

Loads the demo, then in ONE process: runs the whole DAC job (`report_render_run`: claim, queries and
indicators, HTML, WeasyPrint, storage, done) and, on the same HTML, WeasyPrint alone. Prints both, the
share of the platform's own work (everything but WeasyPrint, limit 25 %) and the peak resident memory of
the process (ru_maxrss, limit 500 MB). Exits non-zero when a limit is exceeded.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLATFORM_SHARE_LIMIT = 0.25
RSS_LIMIT_MB = 500


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="pem-report-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(workdir / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pemwecco.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from cohorts.models import Programme
    from reporting.models import ReportJob
    from reporting.rendering import pdf_from_html, report_html
    from reporting.services.reports import RenderTimings, report_render_run

    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--allow-production", stdout=StringIO())
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    programme = Programme.objects.get(code="pem-wecco")
    ReportJob.objects.filter(programme=programme).delete()

    # A worker pays WeasyPrint's start-up (imports, fontconfig, DejaVu loaded) once, not per report:
    # measured apart, on a one-line document, so that neither measurement below carries it.
    started = time.perf_counter()
    pdf_from_html(html="<p style=\"font-family: 'DejaVu Sans'\">PEM <b>démarrage</b></p>")
    print(f"WeasyPrint start-up (once per worker process): {time.perf_counter() - started:.2f} s")

    job = ReportJob.objects.create(kind="dac", programme=programme, language="fr")
    timings = RenderTimings()
    started = time.perf_counter()
    job = report_render_run(job_id=job.pk, timings=timings)
    whole = time.perf_counter() - started
    assert job.status == "done", job.error

    html = report_html(job=job)  # the same HTML (same data snapshot), WeasyPrint alone
    started = time.perf_counter()
    pdf = pdf_from_html(html=html)
    weasyprint_alone = time.perf_counter() - started

    # Two estimates of the platform's own work (claim, queries, indicators, HTML, storage); the larger counts.
    platform_vs_alone = max(whole - weasyprint_alone, 0.0)
    platform_in_job = whole - timings.pdf
    platform = max(platform_vs_alone, platform_in_job)
    share = platform / whole
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"whole DAC job (report_render_run):  {whole:6.2f} s  ({job.size / 1024:.0f} KB PDF, {len(pdf) / 1024:.0f} KB again)")
    print(
        f"  of which, inside the job: data + HTML {timings.html:.2f} s, WeasyPrint {timings.pdf:.2f} s, storage {timings.store:.3f} s"
    )
    print(f"WeasyPrint alone on the same HTML:  {weasyprint_alone:6.2f} s")
    print(f"ratio WeasyPrint alone / whole job: {weasyprint_alone / whole:.2f}")
    print(
        f"platform work: whole - WeasyPrint alone {platform_vs_alone:.2f} s; whole - WeasyPrint in the job {platform_in_job:.2f} s"
    )
    print(f"platform work counted: {platform:.2f} s = {share:.1%} of the whole (limit {PLATFORM_SHARE_LIMIT:.0%})")
    print(f"peak RSS of the process:            {peak_mb:6.0f} MB (limit {RSS_LIMIT_MB} MB)")
    ok = share <= PLATFORM_SHARE_LIMIT and peak_mb <= RSS_LIMIT_MB
    if os.environ["DATABASE_URL"].startswith(f"sqlite:///{workdir}"):
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    print("OK" if ok else "LIMIT EXCEEDED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
