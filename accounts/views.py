"""Account pages are Django's auth views (see urls.py) with the templates in templates/registration/.
The home page lives in `pemwecco.views.home`: it gathers objects of several apps."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus: a logged-in person's choice is kept on their account, so that e-mails
    and their next visit from another device use it too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in dict(settings.LANGUAGES):
        if user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
    return response
