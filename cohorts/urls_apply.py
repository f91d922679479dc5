"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

from django.urls import path

from .views import apply as views

urlpatterns = [
    path("candidatures/", views.my_applications, name="my_applications"),
    path("appels/<int:cohort_pk>/candidater/", views.application_start, name="application_start"),
    path("candidatures/<int:pk>/", views.application_detail, name="application_detail"),
    path("candidatures/<int:pk>/reprendre/", views.application_resume, name="application_resume"),
    path("candidatures/<int:pk>/etape/<int:step>/", views.application_step, name="application_step"),
    path(
        "candidatures/<int:pk>/documents/<int:document_pk>/",
        views.application_document_download,
        name="application_document_download",
    ),
    path(
        "candidatures/<int:pk>/documents/<int:document_pk>/retirer/",
        views.application_document_remove,
        name="application_document_remove",
    ),
]
