from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(
        apps,
        "cohorts",
        {
            "staff": ["*"],
            "coach": [
                "view_programme", "view_cohort", "view_application",
            ],
            "reviewer": [
                "view_cohort", "view_application", "view_applicationdocument", "view_rubriccriterion",
                "view_review", "change_review", "add_reviewscore", "change_reviewscore", "view_reviewscore",
                "add_conflictofinterest", "view_conflictofinterest",
            ],
            "entrepreneur": [
                "view_cohort", "add_application", "change_application", "view_application",
                "add_applicationdocument", "view_applicationdocument", "delete_applicationdocument",
                "view_selectiondecision",
            ],
            "committee": [
                "view_programme", "view_cohort", "view_committeemembership", "view_committeemeeting",
                "view_incubatorsubproject", "view_budgetline", "view_expense",
            ],
            "evaluator": [
                "view_programme", "view_cohort", "view_committeemembership", "view_committeemeeting",
                "view_incubatorsubproject", "view_budgetline", "view_expense",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0001_initial"), ("partners", "0002_role_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
