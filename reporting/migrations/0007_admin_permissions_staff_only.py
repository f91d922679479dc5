"""Roles other than staff hold no model permissions: the site checks roles, not permissions, and the
permissions granted earlier to coaches, reviewers, entrepreneurs, the committee and evaluators only
mattered in the admin, where they would open every visa file the day someone ticked "staff status" on
such a person. Here, in the top app, because it must run after every app's grants."""

from django.db import migrations


def remove_non_staff_permissions(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for group in group_model.objects.exclude(name="staff"):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_signup_awaiting_verification"),
        ("partners", "0005_seed_regions"),
        ("cohorts", "0010_document_access"),
        ("coaching", "0002_role_permissions"),
        ("mobility", "0004_transaction_value_eur_generated"),
        ("reporting", "0006_bilingual_history"),
    ]
    operations = [migrations.RunPython(remove_non_staff_permissions, migrations.RunPython.noop)]
