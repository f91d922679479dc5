from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("appels/<int:pk>/", views.call_detail, name="call_detail"),
]
