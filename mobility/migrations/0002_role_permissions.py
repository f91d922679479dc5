from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(
        apps,
        "mobility",
        {
            "staff": ["*"],
            "coach": [
                "view_mobilityplan", "change_mobilityplan", "add_targetpartner", "change_targetpartner",
                "view_targetpartner", "delete_targetpartner", "view_trip", "view_b2bmeeting", "view_partnership",
            ],
            "entrepreneur": [
                "view_mobilityplan", "change_mobilityplan", "add_targetpartner", "change_targetpartner",
                "view_targetpartner", "delete_targetpartner", "view_visafile", "view_visadocument",
                "view_trip", "view_invitation", "view_b2bmeeting", "view_partnership",
                "view_followupcheckin", "change_followupcheckin", "add_supportneed", "view_supportneed",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("mobility", "0001_initial"), ("cohorts", "0002_role_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
