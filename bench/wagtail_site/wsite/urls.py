from django.urls import include, path
from news import views
from wagtail import urls as wagtail_urls
from wagtail.contrib.sitemaps.views import sitemap

urlpatterns = [
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap),
    path("", include(wagtail_urls)),
]
