"""Sections, newsmakers, sources and tags: named things with a slug and a usage count."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from ..models import Newsmaker, Section, Source, Tag
from .common import SLUGIFY_JS, CaseInsensitiveSearchMixin

# The project's own Tag model (ASCII slugs) replaces taggit's default one.
admin.site.unregister(TaggitTag)


class NamedThingAdmin(CaseInsensitiveSearchMixin, admin.ModelAdmin):
    """Admin for a named thing with a slug, listing how many items use it.

    ``usage`` names the relation whose items the ``usage_count`` column counts.
    """

    search_fields = ["name"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    usage = "stories"

    class Media:
        js = SLUGIFY_JS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage_count=Count(self.usage))

    @admin.display(description=_("stories"), ordering="usage_count")
    def usage_count(self, obj):
        return obj.usage_count


@admin.register(Section)
class SectionAdmin(NamedThingAdmin):
    list_display = ["name", "slug", "position", "usage_count"]
    list_display_links = ["name"]
    list_editable = ["position"]
    ordering = ["position", "name"]
    fields = ["name", "slug", "position", "description"]


@admin.register(Newsmaker)
class NewsmakerAdmin(NamedThingAdmin):
    list_display = ["name", "role", "quote_count"]
    search_fields = ["name", "role"]
    fields = ["name", "slug", "role", "photo"]
    usage = "quotes"

    @admin.display(description=_("quotes"), ordering="usage_count")
    def quote_count(self, newsmaker):
        return newsmaker.usage_count


@admin.register(Source)
class SourceAdmin(NamedThingAdmin):
    list_display = ["name", "url", "usage_count"]
    search_fields = ["name", "url"]
    fields = ["name", "slug", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Tag)
class TagAdmin(NamedThingAdmin):
    """Tags; its search also answers the tag suggestions of the story form."""

    list_display = ["name", "slug", "usage_count"]
    fields = ["name", "slug"]
    usage = "tagged_stories"
