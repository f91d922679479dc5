from django.db import migrations

from accounts.roles import grant_role_permissions


def grant(apps, schema_editor):
    grant_role_permissions(
        apps,
        "partners",
        {
            "staff": ["*"],
            "coach": ["view_company", "view_entrepreneur", "view_organisation", "view_organisationcontact"],
            "reviewer": ["view_company", "view_entrepreneur"],
            "entrepreneur": ["view_company", "change_company", "view_entrepreneur", "change_entrepreneur"],
            "committee": ["view_organisation"],
            "evaluator": ["view_organisation", "view_company"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
