from django.contrib import admin
from taggit.models import Tag as TaggitTag

from .models import Newsmaker, Quote, Section, Source, Story, Tag

# The project's own Tag model (ASCII slugs) replaces taggit's default one.
admin.site.unregister(TaggitTag)


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "source"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "section", "published_at"]
    list_filter = ["status", "section"]
    search_fields = ["headline", "lede"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "authors", "related", "sources"]
    inlines = [QuoteInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name"]


@admin.register(Newsmaker)
class NewsmakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role"]
    search_fields = ["name", "role"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
