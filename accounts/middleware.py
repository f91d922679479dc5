"""The interface language: the one a person chose, else French.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a phone set to English
would get English pages even though the programme's working language is French. Here the order is:
the language cookie set by the FR/EN switcher, then the logged-in user's preferred language, then
LANGUAGE_CODE (French).
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.preferred_language in SUPPORTED:
        return user.preferred_language
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Must come after AuthenticationMiddleware (it reads the user's preference)."""

    def process_request(self, request: HttpRequest) -> None:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
