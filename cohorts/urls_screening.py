"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

from django.urls import path

from .views import screening

urlpatterns = [
    path("personnel/eligibilite/", screening.criteria_cohort_list, name="criteria_cohort_list"),
    path("personnel/eligibilite/cohortes/<int:pk>/", screening.criteria_edit, name="criteria_edit"),
    path("personnel/eligibilite/cohortes/<int:pk>/apercu/", screening.criteria_preview, name="criteria_preview"),
    path("personnel/eligibilite/cohortes/<int:pk>/reexamen/", screening.criteria_rescreen, name="criteria_rescreen"),
    path(
        "personnel/eligibilite/cohortes/<int:pk>/reexamen/statut/",
        screening.criteria_rescreen_status,
        name="criteria_rescreen_status",
    ),
]
