"""The live server as the browser tests use it: the site's URLs plus its uploaded images, as a
web server in front serves them in production (the suite runs with DEBUG off, which leaves
/media/ to that server); and a count of the requests in progress, so that a test ends only
once the server has finished with the database it is about to empty."""

import threading
import time

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns

_lock = threading.Lock()
_in_progress = 0


def media(request, path):
    # Each test has its own MEDIA_ROOT: read it when the image is asked for.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*site_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]


class CountRequests:
    """Middleware: counts the requests the server is answering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _in_progress
        with _lock:
            _in_progress += 1
        try:
            return self.get_response(request)
        finally:
            with _lock:
                _in_progress -= 1


def wait_until_idle(timeout=10.0):
    """Waits until no request is in progress; says how many still are after ``timeout``."""
    deadline = time.monotonic() + timeout
    while _in_progress and time.monotonic() < deadline:
        time.sleep(0.02)
    return _in_progress
