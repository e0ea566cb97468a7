"""Live coverage in the admin: a story's page starts and ends it; entries are posted, edited,
pinned and deleted in their own list, by whoever may edit the story (``Story.may_edit``).

Each save of an entry is a revision (django-reversion): its history shows who changed what,
and deleted entries can be recovered.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.admin import VersionAdmin

from ..models import LiveEntry, Story
from .common import ADMIN_STATIC, CaseInsensitiveSearchMixin, person_name
from .widgets import AccessibleWidgetsMixin


class LiveStoryFilter(admin.SimpleListFilter):
    """Entries of one story: the list a live story's page links to."""

    title = gettext_lazy("story")
    parameter_name = "story"

    def lookups(self, request, model_admin):
        stories = Story.objects.filter(live_started_at__isnull=False).order_by("-live_started_at")[
            :20
        ]
        return [(str(story.pk), Truncator(story.headline).chars(60)) for story in stories]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            return queryset.none()
        return queryset.filter(story_id=value)


@admin.register(LiveEntry)
class LiveEntryAdmin(CaseInsensitiveSearchMixin, AccessibleWidgetsMixin, VersionAdmin):
    list_display = ["entry", "posted_at", "story", "pinned", "author_name"]
    list_display_links = ["entry"]
    list_filter = [LiveStoryFilter, "pinned"]
    list_select_related = ["story", "author"]
    search_fields = ["body", "quote", "story__headline"]
    date_hierarchy = "posted_at"
    autocomplete_fields = ["story", "speaker"]
    fields = ["story", "posted_at", "body", "quote", "speaker", "photo", "photo_alt",
              "photo_credit", "pinned"]  # fmt: skip
    actions = ["pin", "unpin"]
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 5})},
    }

    class Media:
        css = {"all": [ADMIN_STATIC + "admin.css"]}

    def get_changeform_initial_data(self, request):
        # "Post an entry" on a live story's page opens this form with the story chosen.
        return {"story": request.GET.get("story")} if request.GET.get("story") else {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "story":
            # Only stories live (or once live) that the user may edit: a forged choice of
            # another story is refused by the form.
            kwargs["queryset"] = Story.objects.editable_by(request.user).filter(
                live_started_at__isnull=False
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.story.may_edit(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.story.may_edit(request.user)
        )

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        # Bulk deletion follows the same rule as the button on an entry's page.
        for entry in queryset.select_related("story"):
            if not entry.story.may_edit(request.user):
                raise PermissionDenied
        super().delete_queryset(request, queryset)

    def response_post_save_add(self, request, obj):
        # Back to the story's entries, ready for the next one.
        return HttpResponseRedirect(entries_url(obj.story_id))

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(entries_url(obj.story_id))

    @admin.display(description=gettext_lazy("entry"))
    def entry(self, entry):
        return str(entry)

    @admin.display(description=gettext_lazy("author"))
    def author_name(self, entry):
        return person_name(entry.author) if entry.author else "—"

    def _set_pinned(self, request, queryset, pinned):
        changed = 0
        for entry in queryset.select_related("story").order_by("posted_at"):
            if not entry.story.may_edit(request.user):
                raise PermissionDenied
            if pinned:
                entry.pin()
            else:
                entry.unpin()
            changed += 1
        return changed

    @admin.action(description=gettext_lazy("Pin to the top of the story"), permissions=["change"])
    def pin(self, request, queryset):
        # One pinned entry a story: of several chosen in one story, the newest stays pinned.
        self._set_pinned(request, queryset, True)
        self.message_user(request, _("Pinned."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Unpin"), permissions=["change"])
    def unpin(self, request, queryset):
        count = self._set_pinned(request, queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d entry unpinned.", "%(count)d entries unpinned.", count)
            % {"count": count},
            messages.SUCCESS,
        )


def entries_url(story_pk):
    return reverse("admin:articles_liveentry_changelist") + "?" + urlencode({"story": story_pk})


class LiveAdminMixin:
    """On a story's admin page: start and end live coverage, and go to its entries."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/live/",
                self.admin_site.admin_view(self.live_view),
                name="{}_{}_live".format(*info),
            ),
            *super().get_urls(),
        ]

    def live_context(self, request, obj):
        if obj is None or not request.user.has_perm("articles.view_liveentry"):
            return {}
        return {
            "live_url": reverse(f"{self.admin_site.name}:articles_story_live", args=[obj.pk]),
            "live_entries_url": entries_url(obj.pk),
            "live_add_url": reverse("admin:articles_liveentry_add")
            + "?"
            + urlencode({"story": obj.pk}),
            "live_entry_count": obj.live_entries.count(),
            "may_run_live": obj.may_edit(request.user),
        }

    def live_view(self, request, object_id):
        """POST ``live=start`` or ``live=end``."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        if not story.may_edit(request.user):
            raise PermissionDenied
        action = request.POST.get("live")
        if action == "start":
            story.start_live()
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("The story is live: readers see its entries as they are posted."),
                    reverse("admin:articles_liveentry_add") + "?" + urlencode({"story": story.pk}),
                    _("Post the first entry"),
                ),
                messages.SUCCESS,
            )
        elif action == "end" and story.is_live:
            story.end_live()
            self.message_user(request, _("The live coverage has ended."), messages.SUCCESS)
        else:
            self.message_user(request, _("Nothing to do."), messages.WARNING)
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:articles_story_change", args=[story.pk]) + "#live"
        )
