"""The site's URLs plus its uploaded images, as a web server in front serves them in production
(the suite runs with DEBUG off, which leaves /media/ to that server)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # Each test has its own MEDIA_ROOT: read it when the image is asked for.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*site_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
