"""URLs of the cohorts app. Each area keeps its own list (urls_<area>.py), all in this namespace."""

from django.urls import include, path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("appels/<int:pk>/", views.call_detail, name="call_detail"),
    # Applicants: sign-up aside (accounts), the application wizard, documents and status.
    path("", include("cohorts.urls_apply")),
    # Staff: eligibility criteria and what-if preview.
    path("", include("cohorts.urls_screening")),
    # Reviewers and staff: assignment, scoring, conflicts of interest.
    path("", include("cohorts.urls_review")),
    # Staff: shortlist and decisions.
    path("", include("cohorts.urls_selection")),
    # Staff: application list, import/export, selection-effect analysis.
    path("", include("cohorts.urls_staff")),
]
