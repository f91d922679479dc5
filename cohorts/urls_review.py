"""URLs of this area; included by cohorts/urls.py into the "cohorts" namespace."""

from django.urls import path

from .views import review as views

urlpatterns: list = [
    path("evaluations/", views.review_list, name="review_list"),
    path("evaluations/<int:pk>/", views.review_score, name="review_score"),
    path("evaluations/<int:pk>/conflit/", views.review_conflict, name="review_conflict"),
    path("cohortes/<int:pk>/evaluations/", views.review_board, name="review_board"),
    path("cohortes/<int:pk>/evaluations/assigner/", views.review_assign_view, name="review_assign"),
    path("cohortes/<int:pk>/evaluations/repartir/", views.review_assign_balanced_view, name="review_assign_balanced"),
]
