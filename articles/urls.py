from django.urls import path, register_converter

from . import views


class UsernameConverter:
    """The characters Django allows in a username; anything else is not an author page."""

    regex = r"[\w.@+-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UsernameConverter, "username")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("live/", views.live, name="live"),
    path("search/", views.search, name="search"),
    path("news/", views.latest, name="latest"),
    path("news/<slug:section>/", views.section, name="section"),
    path("news/<slug:section>/<int:pk>-<slug:slug>/", views.story, name="story"),
    path("news/<slug:section>/<int:pk>/", views.story, name="story-short"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("people/<slug:slug>/", views.newsmaker, name="newsmaker"),
    path("sources/<slug:slug>/", views.source, name="source"),
    path("authors/<username:username>/", views.author, name="author"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<slug:kind>/", views.corrections, name="corrections-kind"),
    path("preview/<str:token>/", views.preview, name="preview"),
]
