"""Who may open the report pages: staff, and the committee members and evaluators of the programme."""

from accounts.tests.url_access import everyone, only


def _a_done_report(users) -> dict:
    """A finished report of the programme the committee member of the access test belongs to."""
    from django.core.files.base import ContentFile

    from accounts.models import Role
    from cohorts.models import ProgrammeMembership
    from reporting.models import ReportJob

    programme = ProgrammeMembership.objects.get(user=users["committee"], role=Role.COMMITTEE).programme
    job, created = ReportJob.objects.get_or_create(
        programme=programme, kind="committee", language="fr", status="done", defaults={"sha256": "b" * 64, "size": 9}
    )
    if created:
        job.file.save("report.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {"pk": job.pk}


#: The committee member sees the reports of their programme; the evaluator of the access test belongs to
#: another programme, so the job is a 404 for them.
_OF_THE_COMMITTEE_PROGRAMME = {**everyone(404), "anonymous": 302, "staff": 200, "committee": 200, "kwargs": _a_done_report}

ACCESS = {
    "reporting:report_list": only("staff", "committee", "evaluator"),
    # POST only: a GET is refused (405) once the role is checked.
    "reporting:report_request": only("staff", "committee", "evaluator", status=405),
    "reporting:report_status": _OF_THE_COMMITTEE_PROGRAMME,
    "reporting:report_download": _OF_THE_COMMITTEE_PROGRAMME,
    "reporting:report_retry": {**only("staff", "committee", "evaluator", status=405), "kwargs": _a_done_report},
}
