"""Template context: the roles of the current user, for the navigation."""

from django.http import HttpRequest

from .models import Role


def roles(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "Role": Role}
    names = set(user.role_names)
    if user.is_superuser:
        names.add(Role.STAFF)
    return {"user_roles": frozenset(names), "Role": Role}
