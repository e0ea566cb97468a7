"""Who is acting (the request being answered, for audit records made away from the view), and
how long a signed-in session lasts."""

import time
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY

_request = ContextVar("audit_request", default=None)


def current_request():
    """The request being answered in this thread or task, if any (None in commands)."""
    return _request.get()


class AuditActorMiddleware:
    """Remembers the request so that deletes and permission changes are put down to its user.

    Only the request is kept: the user is looked up when something is recorded, so reader
    pages never touch the session because of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class SessionActivityMiddleware:
    """Sessions end after ``SESSION_COOKIE_AGE`` without activity, not after it since sign-in.

    A signed-in user's page loads and form posts push the expiry back, at most once every
    ``REFRESH_SECONDS`` (a session write on every click would cost a database write each).
    Requests a page makes by itself (``Sec-Fetch-Mode`` other than ``navigate``: the editor's
    heartbeat and autosave checks) do not count: a tab left open overnight still signs out.
    Only sessions something has already read are looked at, so reader pages stay untouched.
    """

    REFRESH_SECONDS = 300
    KEY = "_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def touch(cls, session):
        session[cls.KEY] = int(time.time())

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and SESSION_KEY in session
            and request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
            and time.time() - session.get(self.KEY, 0) >= self.REFRESH_SECONDS
        ):
            self.touch(session)
        return response
