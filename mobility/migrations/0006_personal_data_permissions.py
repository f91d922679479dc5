from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    # Staff read the records of the retention job, exports and anonymisations in the back office.
    grant_role_permissions(apps, "mobility", {"staff": ["*"]})


class Migration(migrations.Migration):
    dependencies = [("mobility", "0005_personal_data"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
