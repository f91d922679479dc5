from django.urls import path

from . import views, views_staff

app_name = "coaching"

urlpatterns = [
    path("coach/", views.coach_home, name="coach_home"),
    path("coach/entrepreneurs/<int:application_pk>/", views.coach_entrepreneur, name="coach_entrepreneur"),
    path("coach/entrepreneurs/<int:application_pk>/seance/", views.session_log, name="session_log"),
    path("coach/seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("coach/evenements/", views.event_list, name="event_list"),
    path("coach/evenements/nouveau/", views.event_create, name="event_create"),
    path("coach/evenements/<int:pk>/presences/", views.event_attendance, name="event_attendance"),
    path("accompagnement/", views.my_coaching, name="my_coaching"),
    path("accompagnement/actions/<int:pk>/", views.action_toggle, name="action_toggle"),
    # Staff
    path("equipe/coaching/", views_staff.cohort_list, name="cohort_list"),
    path("equipe/coaching/cohortes/<int:cohort_pk>/", views_staff.cohort_overview, name="cohort_overview"),
    path("equipe/coaching/cohortes/<int:cohort_pk>/affecter/", views_staff.cohort_assign, name="cohort_assign"),
    path("equipe/coaching/cohortes/<int:cohort_pk>/export/", views_staff.cohort_export, name="cohort_export"),
    path("equipe/coaching/affectations/<int:pk>/terminer/", views_staff.assignment_end, name="assignment_end"),
]
