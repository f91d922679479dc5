"""URLs of the reports area; included by reporting/urls.py into the "reporting" namespace."""

from django.urls import path

from .views import reports

urlpatterns: list = [
    path("reports/", reports.report_list, name="report_list"),
    path("reports/request/", reports.report_request_view, name="report_request"),
    path("reports/<int:pk>/", reports.report_status, name="report_status"),
    path("reports/<int:pk>/retry/", reports.report_retry_view, name="report_retry"),
    path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
]
