from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(
        apps,
        "coaching",
        {
            "staff": ["*"],
            "coach": [
                "view_coachassignment", "add_coachingsession", "change_coachingsession", "view_coachingsession",
                "view_groupevent", "view_eventattendance",
            ],
            "entrepreneur": ["view_coachingsession", "view_groupevent"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial"), ("cohorts", "0002_role_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
