from django.urls import path

from . import views, views_partnerships, views_plan

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
    # The partnership pipeline
    path("equipe/partenariats/", views_partnerships.pipeline_board, name="pipeline_board"),
    path("equipe/partenariats/nouveau/", views_partnerships.partnership_new, name="partnership_new"),
    path("equipe/partenariats/<int:pk>/", views_partnerships.partnership_detail, name="partnership_detail"),
    path("equipe/partenariats/<int:pk>/etape/", views_partnerships.partnership_move, name="partnership_move"),
    path(
        "equipe/partenariats/<int:pk>/transactions/",
        views_partnerships.partnership_transaction_add,
        name="partnership_transaction_add",
    ),
    path("equipe/partenariats/<int:pk>/emplois/", views_partnerships.partnership_jobs, name="partnership_jobs"),
    path("equipe/partenariats/<int:pk>/documents/", views_partnerships.partnership_document_add, name="partnership_document_add"),
    path(
        "equipe/partenariats/<int:pk>/documents/<int:document_pk>/supprimer/",
        views_partnerships.partnership_document_remove,
        name="partnership_document_remove",
    ),
    path("equipe/partenariats/<int:pk>/besoins/", views_partnerships.support_need_add, name="support_need_add"),
    path(
        "equipe/partenariats/<int:pk>/besoins/<int:need_pk>/orienter/",
        views_partnerships.support_need_refer,
        name="support_need_refer",
    ),
    path(
        "equipe/partenariats/<int:pk>/besoins/<int:need_pk>/resultat/",
        views_partnerships.support_need_outcome,
        name="support_need_outcome",
    ),
    path("accompagnement/partenariats/", views_partnerships.my_partnerships, name="my_partnerships"),
    path("accompagnement/partenariats/<int:pk>/", views_partnerships.my_partnership, name="my_partnership"),
    path("coach/partenariats/", views_partnerships.coach_partnerships, name="coach_partnerships"),
    path("coach/partenariats/<int:pk>/", views_partnerships.coach_partnership, name="coach_partnership"),
    path(
        "partenariats/<int:pk>/documents/<int:document_pk>/",
        views_partnerships.partnership_document_download,
        name="partnership_document_download",
    ),
]
