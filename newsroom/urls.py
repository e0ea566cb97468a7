from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from articles import views as article_views

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Editorial office")

urlpatterns = [
    path("admin/", admin.site.urls),
    # Choosing the display language changes nothing worth forging, and without a CSRF token
    # in every page the pages stay cacheable.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Crawlers look for these at the root, outside the articles namespace.
    path("robots.txt", article_views.robots_txt, name="robots"),
    path("sitemap.xml", article_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", article_views.sitemap_section, name="sitemap-section"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
