from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    # Staff correct action items and read the weekly reminders in the back office.
    grant_role_permissions(apps, "coaching", {"staff": ["*"]})


class Migration(migrations.Migration):
    dependencies = [("coaching", "0004_coach_digest"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
