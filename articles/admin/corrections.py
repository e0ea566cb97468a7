"""Corrections, clarifications and updates: an inline on published stories, and a list of all."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Correction, Status
from .common import CaseInsensitiveSearchMixin
from .widgets import AccessibleWidgetsMixin


class CorrectionInline(AccessibleWidgetsMixin, admin.StackedInline):
    model = Correction
    extra = 0
    fields = [("kind", "published_at"), "text"]
    verbose_name = _("correction or update")
    verbose_name_plural = _("corrections and updates (shown to readers at the end of the story)")

    def has_add_permission(self, request, obj=None):
        # Notes go on stories readers have seen.
        return (
            super().has_add_permission(request, obj)
            and obj is not None
            and obj.status == Status.PUBLISHED
        )


@admin.register(Correction)
class CorrectionAdmin(CaseInsensitiveSearchMixin, AccessibleWidgetsMixin, admin.ModelAdmin):
    list_display = ["story", "kind", "published_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["story", "created_by"]
    search_fields = ["text", "story__headline"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["story"]
    fields = ["story", "kind", "published_at", "text"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
