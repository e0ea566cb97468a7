"""Values every page template uses: the site's name and its sections for the navigation."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Section, Story


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # Stories are written in the site's language whatever language the menus speak.
        "content_language": settings.LANGUAGE_CODE,
        # Fetched once per page, and only when a template shows the navigation.
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
        # The header's «Live» dot: one query through a partial index, only where it is shown.
        "live_now": SimpleLazyObject(lambda: Story.objects.live_now().exists()),
        # The page's own address without its query string (utm_… tags never reach previews).
        "page_url": SimpleLazyObject(lambda: request.build_absolute_uri(request.path)),
    }
