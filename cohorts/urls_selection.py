"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

from django.urls import path

from .views import selection as views

urlpatterns: list = [
    path("cohortes/<int:pk>/selection/", views.selection_board, name="selection_board"),
    path("cohortes/<int:pk>/selection/parts/", views.selection_shares, name="selection_shares"),
    path("cohortes/<int:pk>/selection/decider/", views.selection_decide, name="selection_decide"),
    path("cohortes/<int:pk>/selection/notifier/", views.selection_notify_view, name="selection_notify"),
]
