"""Who may open the staff pages: application list, exports, import (and its status) and selection analysis."""

from accounts.tests.url_access import only


def _an_import(users) -> dict:
    from cohorts.models import ApplicationImport

    # Called once per visitor: the same row each time (one import per file content).
    job, _created = ApplicationImport.objects.get_or_create(
        sha256="a" * 64, defaults={"original_name": "collecte.csv", "requested_by": users["staff"]}
    )
    return {"pk": job.pk}


ACCESS = {
    "cohorts:application_list": only("staff"),
    "cohorts:application_export": only("staff"),
    "cohorts:application_import": only("staff"),
    "cohorts:application_import_status": {**only("staff"), "kwargs": _an_import},
    "cohorts:application_import_template": {**only("staff"), "kwargs": {"file_format": "xlsx"}},
    # A token that is not waiting in the session: back to the import page with a message.
    "cohorts:application_import_mapping": {**only("staff", status=302), "kwargs": {"token": "0" * 32}},
    "cohorts:selection_analysis": only("staff"),
    "cohorts:selection_analysis_export": only("staff"),
}
