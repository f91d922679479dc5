from django.urls import path

from . import views, views_follow_up, views_partner_link, views_plan

app_name = "mobility"

urlpatterns = [
    path("confidentialite/", views.privacy_notice, name="privacy_notice"),
    path("accompagnement/plan/<int:application_pk>/", views_plan.plan_edit, name="plan_edit"),
    path("coach/entrepreneurs/<int:application_pk>/plan/", views_plan.plan_review, name="plan_review"),
    path("equipe/plans-de-mobilite/", views_plan.plan_list, name="plan_list"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/exports/<int:pk>/", views.my_data_export, name="my_data_export"),
    path("mes-donnees/exports/<int:pk>/telecharger/", views.my_data_download, name="my_data_download"),
    path("equipe/donnees-personnelles/", views.personal_data_staff, name="personal_data_staff"),
    path("equipe/donnees-personnelles/<int:pk>/anonymiser/", views.person_anonymise, name="person_anonymise"),
    path("equipe/donnees-personnelles/conservation/", views.retention_run_now, name="retention_run_now"),
    path("suivi/questionnaire/<int:pk>/", views_follow_up.check_in_answer, name="check_in_answer"),
    path("suivi/partenaire/<str:token>/", views_partner_link.partner_check_in, name="partner_check_in"),
    path("equipe/suivi/", views_follow_up.follow_up_staff, name="follow_up_staff"),
    path("equipe/suivi/propositions/<int:pk>/", views_follow_up.stage_proposal_decide, name="stage_proposal_decide"),
]
