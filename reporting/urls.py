"""URLs of the reporting app. Each area keeps its own list (urls_<area>.py), all in this namespace."""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include("reporting.urls_indicators")),
    path("", include("reporting.urls_evaluation")),
    path("", include("reporting.urls_reports")),
    path("", include("reporting.urls_dashboard")),
    path("", include("reporting.urls_impact")),
]
