"""Values the reader templates share: the same page in each of the site's languages."""

from django.conf import settings
from django.utils import translation

from .middleware import path_in_language


def languages(request):
    def links():
        current = translation.get_language()
        path = request.get_full_path()
        return [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": path_in_language(path, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ]

    return {"language_links": links}
