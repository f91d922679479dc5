"""URLs of the impact area; included by reporting/urls.py into the "reporting" namespace."""

from django.urls import path

from .views import impact

urlpatterns: list = [
    # ?programme=<pk> (and ?cohort=<pk> for the comparison) choose what the page shows.
    path("persistance/", impact.persistence, name="persistence"),
    path("comparaison/", impact.comparison, name="comparison"),
]
