from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("coach/", views.coach_home, name="coach_home"),
    path("coach/entrepreneurs/<int:application_pk>/", views.coach_entrepreneur, name="coach_entrepreneur"),
    path("coach/entrepreneurs/<int:application_pk>/seance/", views.session_log, name="session_log"),
    path("coach/seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("accompagnement/", views.my_coaching, name="my_coaching"),
    path("accompagnement/actions/<int:pk>/", views.action_toggle, name="action_toggle"),
]
