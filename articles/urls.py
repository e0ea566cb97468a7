from django.urls import path, register_converter

from . import views
from .feeds import LatestFeed, LatestQuotesFeed, NewsmakerQuotesFeed, SectionFeed, TagFeed, atom


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
    path("live/<int:pk>/updates.json", views.live_updates, name="live-updates"),
    path("search/", views.search, name="search"),
    path("news/", views.latest, name="latest"),
    path("news/rss.xml", LatestFeed(), name="feed-rss"),
    path("news/atom.xml", atom(LatestFeed)(), name="feed-atom"),
    path("news/<slug:slug>/rss.xml", SectionFeed(), name="section-rss"),
    path("news/<slug:slug>/atom.xml", atom(SectionFeed)(), name="section-atom"),
    path("news/<slug:section>/", views.section, name="section"),
    path("news/<slug:section>/<int:pk>-<slug:slug>/", views.story, name="story"),
    path("news/<slug:section>/<int:pk>/", views.story, name="story-short"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("tags/<slug:slug>/rss.xml", TagFeed(), name="tag-rss"),
    path("tags/<slug:slug>/atom.xml", atom(TagFeed)(), name="tag-atom"),
    path("quotes/", views.quotes, name="quotes"),
    path("quotes/rss.xml", LatestQuotesFeed(), name="quotes-rss"),
    path("quotes/atom.xml", atom(LatestQuotesFeed)(), name="quotes-atom"),
    path("people/<slug:slug>/", views.newsmaker, name="newsmaker"),
    path("people/<slug:slug>/rss.xml", NewsmakerQuotesFeed(), name="newsmaker-rss"),
    path("people/<slug:slug>/atom.xml", atom(NewsmakerQuotesFeed)(), name="newsmaker-atom"),
    path("sources/<slug:slug>/", views.source, name="source"),
    path("authors/<username:username>/", views.author, name="author"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<slug:kind>/", views.corrections, name="corrections-kind"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("s/<str:code>/", views.short_link, name="short-link"),
    path("s/<str:code>/card-<str:key>.png", views.share_card, name="share-card"),
]
