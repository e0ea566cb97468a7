"""The story admin: the list editors work from, the story form with its quotes, and actions."""

from django import forms
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Quote, Story
from .common import ADMIN_STATIC, SLUGIFY_JS, CaseInsensitiveSearchMixin, person_name

User = get_user_model()


class AuthorFilter(admin.SimpleListFilter):
    """Stories by one author; lists only people who have written stories."""

    title = _("author")
    parameter_name = "author"
    WITHOUT = "none"

    def lookups(self, request, model_admin):
        authors = User.objects.filter(stories__isnull=False).distinct()
        names = sorted(
            (person_name(user).casefold(), str(user.pk), person_name(user)) for user in authors
        )
        return [(pk, name) for _key, pk, name in names] + [(self.WITHOUT, _("No author"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.WITHOUT:
            return queryset.filter(authors__isnull=True)
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            raise IncorrectLookupParameters(f"Not an author: {value!r}")
        return queryset.filter(authors__pk=value)


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker", "source"]
    fields = ["text", ("speaker", "source"), "role", "context", ("said_on", "position")]
    formfield_overrides = {
        # Room for a long quote without taking over the page.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})},
    }


class StoryAdminForm(forms.ModelForm):
    def clean_related(self):
        related = self.cleaned_data["related"]
        if self.instance.pk and related.filter(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A story cannot be related to itself."))
        return related


@admin.register(Story)
class StoryAdmin(CaseInsensitiveSearchMixin, admin.ModelAdmin):
    form = StoryAdminForm
    readonly_fields = ["body_outline"]
    list_display = ["headline", "status_badge", "section", "authors_list", "published_at"]
    list_select_related = ["section"]
    list_filter = ["status", "section", AuthorFilter, "featured"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "lede", "body"]
    # Drafts and stories in review (no time yet) first, then scheduled, then the newest published.
    ordering = [F("published_at").desc(nulls_first=True), "-pk"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "authors", "related", "sources"]
    inlines = [QuoteInline]
    actions = ["publish", "move_to_draft"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "lede", "body", "body_outline"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "featured", "section", "authors"]},
        ),
        (_("Image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (_("Relations"), {"fields": ["tags", "sources", "related"]}),
    ]

    class Media:
        css = {"all": [ADMIN_STATIC + "admin.css"]}
        js = [*SLUGIFY_JS, ADMIN_STATIC + "tag-suggestions.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "lede":
            formfield.widget.attrs["rows"] = 3
        elif db_field.name == "tags":
            # tag-suggestions.js asks the admin's own autocomplete view for existing tags.
            formfield.widget.attrs.update(
                {
                    "class": "vLargeTextField tag-suggestions",
                    "autocomplete": "off",
                    "data-suggestions-url": reverse(
                        f"{self.admin_site.name}:autocomplete", current_app=self.admin_site.name
                    ),
                    "data-app-label": self.opts.app_label,
                    "data-model-name": self.opts.model_name,
                    "data-field-name": db_field.name,
                    "data-listbox-label": _("Existing tags"),
                    "data-no-results": _("No matching tags"),
                    "data-results": _("Suggestions: %(count)s. Use the up and down arrows."),
                }
            )
            formfield.help_text = _(
                "Separate tags with commas. Start typing to see existing tags; "
                "a new name creates a new tag."
            )
        return formfield

    def view_on_site(self, obj):
        # Straight to the story page; a draft opens as a preview that staff may see.
        return obj.get_absolute_url()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        if not change and not story.authors.exists():
            story.authors.add(request.user)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, story):
        status = story.status
        label = story.get_status_display()
        if status == Story.Status.PUBLISHED and not story.is_published:
            status, label = "scheduled", _("Scheduled")
        return format_html('<span class="story-status story-status-{}">{}</span>', status, label)

    @admin.display(description=_("paragraphs"))
    def body_outline(self, story):
        """Numbered paragraphs, so that a quote's position can be read off the saved text."""
        outline = story.outline() if story.pk else []
        if not outline:
            return _("Save the story to see its paragraphs numbered for placing quotes.")
        return format_html(
            '<ol class="body-outline">{}</ol>',
            format_html_join("", '<li value="{}">{}</li>', outline),
        )

    @admin.display(description=_("authors"))
    def authors_list(self, story):
        return ", ".join(person_name(user) for user in story.authors.all())

    def _log_changes(self, request, stories, fields):
        if stories:
            names = [str(Story._meta.get_field(name).verbose_name) for name in fields]
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=stories,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": names}}],
                single_object=len(stories) == 1,
            )

    @admin.action(permissions=["change"], description=_("Publish selected stories"))
    def publish(self, request, queryset):
        stories = list(queryset.exclude(status=Story.Status.PUBLISHED))
        now = timezone.now()
        for story in stories:
            story.publish()
        self._log_changes(request, stories, ["status", "published_at"])
        count = len(stories)
        scheduled = sum(1 for story in stories if story.published_at > now)
        message = ngettext(
            "%(count)d story was published.", "%(count)d stories were published.", count
        ) % {"count": count}
        if scheduled:
            message += " " + ngettext(
                "%(count)d of them will appear at its scheduled time.",
                "%(count)d of them will appear at their scheduled time.",
                scheduled,
            ) % {"count": scheduled}
        already = queryset.count() - count
        if already:
            message += " " + ngettext(
                "%(count)d was already published.", "%(count)d were already published.", already
            ) % {"count": already}
        self.message_user(request, message)

    @admin.action(permissions=["change"], description=_("Move selected stories back to draft"))
    def move_to_draft(self, request, queryset):
        stories = list(queryset.exclude(status=Story.Status.DRAFT))
        for story in stories:
            story.move_to_draft()
        self._log_changes(request, stories, ["status"])
        count = len(stories)
        message = ngettext(
            "%(count)d story was moved back to draft.",
            "%(count)d stories were moved back to draft.",
            count,
        ) % {"count": count}
        already = queryset.count() - count
        if already:
            message += " " + ngettext(
                "%(count)d was already a draft.", "%(count)d were already drafts.", already
            ) % {"count": already}
        self.message_user(request, message)
