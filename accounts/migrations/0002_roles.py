from django.db import migrations

from accounts.roles import create_role_groups, grant_role_permissions


def grant(apps, schema_editor):
    create_role_groups(apps, schema_editor)
    grant_role_permissions(apps, "accounts", {"staff": ["view_user", "add_user", "change_user"]})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
