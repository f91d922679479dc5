"""URLs of this area; included by reporting/urls.py into the "reporting" namespace."""

from django.urls import path

from .views import evaluation as views

# <kind> is one of question, conclusion, recommendation, lesson (views.evaluation.KINDS); others are a 404.
urlpatterns: list = [
    path("evaluations/", views.evaluation_index, name="evaluation_index"),
    path("programmes/<int:programme_pk>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("programmes/<int:programme_pk>/evaluations/nouvelle/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/criteres/<slug:criterion>/", views.criterion_edit, name="evaluation_criterion_edit"),
    path("evaluations/<int:pk>/<slug:kind>/nouveau/", views.item_create, name="evaluation_item_create"),
    path("evaluations/<int:pk>/<slug:kind>/<int:item_pk>/", views.item_edit, name="evaluation_item_edit"),
    path("evaluations/<int:pk>/<slug:kind>/<int:item_pk>/supprimer/", views.item_delete, name="evaluation_item_delete"),
    path(
        "evaluations/<int:pk>/recommandations/<int:recommendation_pk>/reponse/",
        views.response_edit,
        name="evaluation_response_edit",
    ),
]
