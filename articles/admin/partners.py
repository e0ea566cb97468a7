"""Partner feeds: editors list them, switch them on and off, and see how the last fetch went."""

from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import partners
from ..models import PartnerFeed, PartnerLink
from .widgets import AccessibleWidgetsMixin


class PartnerLinkInline(AccessibleWidgetsMixin, admin.TabularInline):
    """The headlines kept from the last good fetch, as readers see them; fetched, not written."""

    model = PartnerLink
    fields = ["title", "url", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("headlines from the last good fetch")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnerFeed)
class PartnerFeedAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "enabled", "status", "succeeded_at"]
    list_editable = ["enabled"]
    list_filter = ["enabled"]
    search_fields = ["name", "url"]
    fields = ["name", "url", "enabled", "status", "checked_at", "succeeded_at"]
    readonly_fields = ["status", "checked_at", "succeeded_at"]
    inlines = [PartnerLinkInline]
    actions = ["fetch_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("last fetch"))
    def status(self, feed):
        if feed.checked_at is None:
            return _("Not fetched yet")
        if feed.error:
            return format_html('<span class="partner-error">{}: {}</span>', _("Failed"), feed.error)
        return _("Fetched")

    @admin.action(description=_("Fetch the selected feeds now"), permissions=["change"])
    def fetch_now(self, request, queryset):
        results = partners.fetch_all(queryset)
        fetched = sum(result.ok for result in results)
        if fetched:
            self.message_user(
                request,
                ngettext("%(count)d feed fetched.", "%(count)d feeds fetched.", fetched)
                % {"count": fetched},
                messages.SUCCESS,
            )
        for result in results:
            if not result.ok:
                self.message_user(
                    request,
                    _("%(name)s: failed (%(error)s); its earlier headlines are kept.")
                    % {"name": result.feed.name, "error": result.error},
                    messages.WARNING,
                )
