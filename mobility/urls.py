from django.urls import path

from . import views, views_directory, views_plan, views_visa

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
    path("equipe/visas/", views_visa.visa_board, name="visa_board"),
    path("equipe/visas/ouvrir/<int:application_pk>/", views_visa.visa_file_open, name="visa_file_open"),
    path("equipe/visas/<int:pk>/", views_visa.visa_file, name="visa_file"),
    path("equipe/visas/<int:pk>/passeport/", views_visa.visa_passport_set, name="visa_passport_set"),
    path("equipe/visas/<int:pk>/etape/", views_visa.visa_status_change, name="visa_status_change"),
    path("equipe/visas/<int:pk>/lettres/", views_visa.visa_letters_request, name="visa_letters_request"),
    path("accompagnement/visa/", views_visa.my_visa, name="my_visa"),
    path("visas/<int:pk>/pieces/", views_visa.visa_document_upload, name="visa_document_upload"),
    path("visas/pieces/<int:document_pk>/retirer/", views_visa.visa_document_remove, name="visa_document_remove"),
    path("visas/pieces/<int:document_pk>/telecharger/", views_visa.visa_document_download, name="visa_document_download"),
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
]
