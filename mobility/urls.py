from django.urls import path

from . import views, views_directory, views_follow_up, views_partner_link, views_plan, views_trips

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
    # The Belgian company directory (staff).
    path("equipe/entreprises-belges/", views_directory.directory, name="directory"),
    path("equipe/entreprises-belges/export/", views_directory.directory_export, name="directory_export"),
    path("equipe/entreprises-belges/nouvelle/", views_directory.company_create, name="directory_company_create"),
    path("equipe/entreprises-belges/<int:pk>/", views_directory.company_detail, name="directory_company"),
    path("equipe/entreprises-belges/<int:pk>/modifier/", views_directory.company_update, name="directory_company_update"),
    path("equipe/entreprises-belges/<int:pk>/contacts/ajouter/", views_directory.contact_add, name="directory_contact_add"),
    path(
        "equipe/entreprises-belges/<int:pk>/contacts/<int:contact_pk>/modifier/",
        views_directory.contact_update,
        name="directory_contact_update",
    ),
    path(
        "equipe/entreprises-belges/<int:pk>/contacts/<int:contact_pk>/retirer/",
        views_directory.contact_remove,
        name="directory_contact_remove",
    ),
    path("equipe/entreprises-belges/import/", views_directory.directory_import, name="directory_import"),
    path("equipe/entreprises-belges/import/<int:pk>/", views_directory.directory_import_status, name="directory_import_status"),
    path(
        "equipe/entreprises-belges/import/modele.<str:file_format>",
        views_directory.directory_import_template,
        name="directory_import_template",
    ),
    # Trips and B2B meetings
    path("equipe/voyages/", views_trips.trip_list, name="trip_list"),
    path("equipe/voyages/nouveau/", views_trips.trip_create, name="trip_create"),
    path("equipe/voyages/<int:pk>/", views_trips.trip_detail, name="trip_detail"),
    path("equipe/voyages/<int:pk>/modifier/", views_trips.trip_edit, name="trip_edit"),
    path("equipe/voyages/<int:pk>/statut/", views_trips.trip_status, name="trip_status"),
    path("equipe/voyages/<int:pk>/agenda.ics", views_trips.trip_ics, name="trip_ics"),
    path("equipe/voyages/<int:pk>/rendez-vous/nouveau/", views_trips.meeting_add, name="meeting_add"),
    path("equipe/voyages/<int:pk>/couts/nouveau/", views_trips.cost_add, name="cost_add"),
    path("equipe/voyages/couts/<int:pk>/supprimer/", views_trips.cost_remove, name="cost_remove"),
    path("equipe/rendez-vous/", views_trips.meeting_list, name="meeting_list"),
    path("equipe/rendez-vous/<int:pk>/modifier/", views_trips.meeting_edit, name="meeting_edit"),
    path("equipe/rendez-vous/<int:pk>/annuler/", views_trips.meeting_cancel, name="meeting_cancel"),
    path("equipe/rendez-vous/<int:pk>/resultat/", views_trips.meeting_outcome, name="meeting_outcome"),
    path("accompagnement/voyage/", views_trips.my_trip, name="my_trip"),
    path("accompagnement/voyage/<int:pk>/agenda.ics", views_trips.my_trip_ics, name="my_trip_ics"),
]
