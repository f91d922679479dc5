"""URLs of this area; included by reporting/urls.py into the "reporting" namespace."""

from django.urls import path

from .views import indicators

urlpatterns: list = [
    path("indicateurs/", indicators.indicators, name="indicators"),
    path("indicateurs/export/", indicators.indicators_export, name="indicators_export"),
    path("indicateurs/<int:programme_pk>/valeur/", indicators.indicator_value_add, name="indicator_value_add"),
    path("indicateurs/<int:programme_pk>/figer/", indicators.indicators_freeze, name="indicators_freeze"),
]
