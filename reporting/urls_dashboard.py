"""URLs of this area; included by reporting/urls.py into the "reporting" namespace."""

from django.urls import path

from .views import dashboard as views

urlpatterns: list = [
    # ?programme=<pk>&cohort=<pk> choose what the dashboard shows.
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("programmes/<int:pk>/iati.xml", views.iati_export, name="iati_export"),
]
