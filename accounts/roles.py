"""Role groups and their permissions. Each app's migration grants the permissions on its own models,
so that `accounts` never needs to know about the apps above it."""

from django.contrib.auth.management import create_permissions

from .models import Role


def grant_role_permissions(apps, app_label: str, grants: dict[str, list[str]]) -> None:
    """Ensure each role group exists and holds the given codenames of `app_label`.

    Meant for data migrations (`apps` is the historical registry). Permissions are normally created
    after all migrations ran; they are created here first so that a fresh database gets them too.
    """
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in grants.items():
        group, _ = group_model.objects.get_or_create(name=role)
        if codenames == ["*"]:
            permissions = permission_model.objects.filter(content_type__app_label=app_label)
        else:
            permissions = permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*permissions)


def create_role_groups(apps, schema_editor) -> None:
    group_model = apps.get_model("auth", "Group")
    for role in Role.values:
        group_model.objects.get_or_create(name=role)
