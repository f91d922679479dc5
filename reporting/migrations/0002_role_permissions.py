from django.db import migrations

from accounts.roles import grant_role_permissions

EVALUATION_MODELS = [
    "evaluation", "criteriongrade", "criterionfinding", "evaluationquestion", "conclusion",
    "recommendation", "lesson",
]


def grant(apps, schema_editor):
    view_all = [
        "view_resultobjective", "view_indicator", "view_indicatortarget", "view_indicatorvalue",
        *[f"view_{model}" for model in EVALUATION_MODELS], "view_managementresponse",
        "add_reportjob", "view_reportjob",
    ]
    grant_role_permissions(
        apps,
        "reporting",
        {
            "staff": ["*"],
            "committee": view_all,
            "evaluator": view_all
            + [f"{verb}_{model}" for model in EVALUATION_MODELS for verb in ("add", "change", "delete")],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("mobility", "0002_role_permissions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
