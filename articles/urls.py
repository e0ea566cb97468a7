from django.urls import path

from . import views

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
    path("authors/<str:username>/", views.author, name="author"),
]
