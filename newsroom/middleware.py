"""Language selection for a Russian-language site, and the headers Django does not set itself."""

import logging
from functools import cached_property

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

logger = logging.getLogger(__name__)


def path_in_language(path, language):
    """``path`` (a reader's address, query string included) in ``language``: English pages live
    under ``/en/``, Russian ones (the site's language) without a prefix."""
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


class LanguageMiddleware:
    """Readers' language comes from the address; the admin's from the editor's choice.

    A reader page has one representation per address (``/news/`` Russian, ``/en/news/``
    English), so it needs no ``Vary`` and any cache or CDN can share it. The browser's
    Accept-Language is never followed: a Russian newspaper does not greet an English-language
    browser with English menus. The admin, private to signed-in staff and never cached, follows
    the language cookie set by the admin's language switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    @cached_property
    def admin_prefix(self):
        return reverse("admin:index")

    def __call__(self, request):
        private = request.path_info.startswith(self.admin_prefix)
        if private:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_path(request.path_info)
            language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if private:
            patch_vary_headers(response, ["Cookie"])
        elif language != settings.LANGUAGE_CODE:
            # The same Russian stories under English menus: search engines index the Russian
            # pages only.
            response.headers.setdefault("X-Robots-Tag", "noindex")
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY), which Django does not set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}={allowlist}" for feature, allowlist in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is down or restarting, 503 with Retry-After rather than a 500: the
    outage is temporary, and a load balancer or CDN in front may serve a stale copy meanwhile.
    Connections are checked before reuse (CONN_HEALTH_CHECKS), so the site recovers by itself."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("The database is not answering: %s", exception.__class__.__name__)
        # No request context: its processors would ask the database again.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
