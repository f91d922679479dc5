"""Vocabulary for the access tables: each area declares who may open its pages in
`<app>/tests/url_access_<area>.py` as `ACCESS = {url name: {visitor: status, "kwargs": ...}}`, and
tests/test_urls_access.py checks every URL of the project against the union of those tables."""

#: Who opens the pages: anonymous visitors and one user per role.
VISITORS = ("anonymous", "staff", "coach", "reviewer", "entrepreneur", "committee", "evaluator")


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(VISITORS, status)


def logged_in(status: int, anonymous: int = 302) -> dict[str, int]:
    """Pages for any logged-in user; anonymous visitors are sent to the login page."""
    return {**everyone(status), "anonymous": anonymous}


def only(*roles: str, status: int = 200) -> dict[str, int]:
    """Pages behind `role_required(*roles)`: login for visitors, 404 for the other roles."""
    return {**everyone(404), "anonymous": 302, **dict.fromkeys(roles, status)}
