"""Access helpers used by every view: role checks, and objects outside a user's reach are a 404."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Role


def role_required(*roles: str) -> Callable:
    """Let in authenticated users holding one of `roles` (superusers count as staff).

    Anonymous users go to the login page; logged-in users without the role get a 404, so that
    pages of other roles do not even reveal that they exist.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # read by the URL access test
        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)


def get_for_user_or_404(queryset: QuerySet | type[Model], user, **lookup) -> Model:
    """Fetch one object through the model's `.for_user(user)` filter; anything else is a 404."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    return get_object_or_404(queryset.for_user(user), **lookup)


#: The roles that must give a one-time code after their password (they see personal or evaluation data
#: across the whole programme). Superusers count as staff.
MFA_ROLES = (Role.STAFF, Role.EVALUATOR, Role.COMMITTEE)


def mfa_required(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.has_role(*MFA_ROLES)))
