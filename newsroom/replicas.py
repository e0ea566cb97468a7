"""Reads of reader pages from a read replica, when ``DATABASE_REPLICA_URL`` names one.

Anonymous readers' GET requests read from the replica; everything else (the admin, signed-in
users, forms, commands, and the site's version the page cache is keyed on) reads and writes
the primary. A replica lags its primary by a moment, so a reader may see a change a moment
later than an editor; the admin never does.
"""

import contextvars

from django.conf import settings

REPLICA = "replica"
_reader_request = contextvars.ContextVar("reader_request", default=False)

# Read from the primary whatever the request: what decides who may do what, and the version.
PRIMARY_ONLY = {"sessions", "auth", "axes", "otp_totp", "otp_static", "admin", "reversion"}
PRIMARY_MODELS = {"articles.siteversion", "articles.editsession", "articles.previewlink"}


def configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reader_request.get()
            and configured()
            and model._meta.app_label not in PRIMARY_ONLY
            and model._meta.label_lower not in PRIMARY_MODELS
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Marks anonymous readers' GET requests as readable from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader = (
            request.method in ("GET", "HEAD")
            and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and not request.path_info.startswith("/admin/")
        )
        token = _reader_request.set(reader)
        try:
            return self.get_response(request)
        finally:
            _reader_request.reset(token)
