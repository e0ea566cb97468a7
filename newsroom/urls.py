from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from accounts.urls import password_reset_urlpatterns
from articles import views as article_views

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", include("accounts.urls")),
    path("admin/", include(password_reset_urlpatterns)),
    path("admin/", admin.site.urls),
    # The admin's language switch (readers switch by address, /en/).
    path("i18n/setlang/", set_language, name="set_language"),
    # Crawlers look for these at the root, outside the articles namespace.
    path("robots.txt", article_views.robots_txt, name="robots"),
    path("sitemap.xml", article_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", article_views.sitemap_section, name="sitemap-section"),
]
# Reader pages: Russian at /news/..., English menus at /en/news/...
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)

if settings.SERVE_MEDIA:
    # Uploaded images from the app itself, for sites without a web server in front (make serve).
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
