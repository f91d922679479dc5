"""The project's URLs with a plain 404 answer: the matrix reads statuses, and most of its requests are
refusals whose page (the site's 404 template, tested in tests/test_urls_access.py) would take most of
its time."""

from django.http import HttpResponseNotFound

from pemwecco.urls import urlpatterns  # noqa: F401 - the same patterns


def page_not_found(request, exception):
    return HttpResponseNotFound(b"404")


handler404 = page_not_found
