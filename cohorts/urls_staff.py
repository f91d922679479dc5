"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

from django.urls import path

from .views import staff

urlpatterns: list = [
    path("equipe/candidatures/", staff.application_list, name="application_list"),
    path("equipe/candidatures/export/", staff.application_export, name="application_export"),
    path("equipe/candidatures/import/", staff.application_import, name="application_import"),
    path("equipe/candidatures/import/<int:pk>/", staff.application_import_status, name="application_import_status"),
    path(
        "equipe/candidatures/import/modele.<str:file_format>",
        staff.application_import_template,
        name="application_import_template",
    ),
    path(
        "equipe/candidatures/import/colonnes/<str:token>/",
        staff.application_import_mapping,
        name="application_import_mapping",
    ),
    path("equipe/analyse-selection/", staff.selection_analysis, name="selection_analysis"),
    path("equipe/analyse-selection/export/", staff.selection_analysis_export, name="selection_analysis_export"),
]
