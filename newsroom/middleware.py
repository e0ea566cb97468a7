"""Language selection for a Russian-language site."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageCookieMiddleware:
    """Speak the site's language unless the reader chose another one with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show a
    Russian newspaper with English menus to anyone whose browser is set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        translation.deactivate()
        return response
