"""The story admin: the list editors work from, the story form, and actions.

The writing surface (body editor, quotes in the text, suggestions), the workflow,
conflict-safe editing, revisions and preview links are mixins of their own."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Correction, Photo, Story, is_editor
from .common import ADMIN_STATIC, SLUGIFY_JS, CaseInsensitiveSearchMixin, person_name
from .corrections import CorrectionInline
from .editing import EditingAdminMixin
from .live import LiveAdminMixin
from .photos import PhotoFileField
from .previews import PreviewLinkAdminMixin
from .revisions import RevisionAdminMixin
from .widgets import AccessibleWidgetsMixin
from .workflow import MineFilter, StateFilter, WorkflowAdminMixin
from .writing import WritingAdminMixin

User = get_user_model()
UPLOAD_FIELDS = ("photo_upload", "photo_upload_alt", "photo_upload_caption", "photo_upload_credit")


class AuthorFilter(admin.SimpleListFilter):
    """Stories by one author; lists only people who have written stories."""

    title = _("author")
    parameter_name = "author"
    WITHOUT = "none"

    def lookups(self, request, model_admin):
        # Each account asked whether it wrote a story (an index probe), not every story read.
        wrote = Story.authors.through.objects.filter(user=OuterRef("pk"))
        authors = User.objects.filter(Exists(wrote))
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


class StoryAdminForm(forms.ModelForm):
    """The story form, with the version it was opened at and the workflow move it asks for."""

    opened_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    transition = forms.ChoiceField(required=False, choices=())
    workflow_comment = forms.CharField(
        label=_("Comment for the history"),
        required=False,
        max_length=2000,
        help_text=_("Optional: what to fix, why it goes back, what changed."),
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
    )
    # A new photo for the library, uploaded from the story: it becomes the story's photo.
    photo_upload = PhotoFileField(
        label=_("Upload a new photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP: it joins the photo library and replaces the photo above."),
    )
    photo_upload_alt = forms.CharField(
        label=_("Description of the new photo"),
        required=False,
        max_length=Photo._meta.get_field("alt").max_length,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    photo_upload_caption = forms.CharField(
        label=_("Caption of the new photo"),
        required=False,
        max_length=Photo._meta.get_field("caption").max_length,
    )
    photo_upload_credit = forms.CharField(
        label=_("Credit of the new photo"),
        required=False,
        max_length=Photo._meta.get_field("credit").max_length,
    )
    # Set per request by StoryAdmin.get_form: the moves the user may make with this story now.
    allowed_actions = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        transition = self.fields["transition"]
        transition.choices = [("", ""), *((a.value, a.label) for a in self.allowed_actions)]
        transition.error_messages["invalid_choice"] = _(
            "You may not do that with this story now; nothing was saved."
        )
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean_opened_version(self):
        version = self.cleaned_data.get("opened_version")
        if self.instance.pk and version is None:
            raise forms.ValidationError(
                _(
                    "This form does not say which version of the story it edits. Reload the "
                    "page: your text is kept in this browser."
                )
            )
        return version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo_upload") and not cleaned.get("photo_upload_alt", "").strip():
            self.add_error(
                "photo_upload_alt", _("Describe the photo for readers who cannot see it.")
            )
        return cleaned

    def new_photo(self, by):
        """The uploaded photo as a new photo of the library (not saved), or None."""
        upload = self.cleaned_data.get("photo_upload")
        if not upload or not by.has_perm("articles.add_photo"):
            return None
        return Photo(
            file=upload,
            alt=self.cleaned_data["photo_upload_alt"].strip(),
            caption=self.cleaned_data.get("photo_upload_caption", "").strip(),
            credit=self.cleaned_data.get("photo_upload_credit", "").strip(),
            uploaded_by=by,
        )

    def clean_related(self):
        related = self.cleaned_data["related"]
        if self.instance.pk and related.filter(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A story cannot be related to itself."))
        return related


class StoryChangeList(ChangeList):
    """The list of stories shows no body and no search index: most of each story's bytes."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer(*Story.NOT_LISTED)


@admin.register(Story)
class StoryAdmin(
    WritingAdminMixin,
    EditingAdminMixin,
    RevisionAdminMixin,
    PreviewLinkAdminMixin,
    LiveAdminMixin,
    WorkflowAdminMixin,
    CaseInsensitiveSearchMixin,
    AccessibleWidgetsMixin,
    admin.ModelAdmin,
):
    form = StoryAdminForm
    readonly_fields = ["short_link", "photo_preview"]
    list_display = ["headline", "state_badge", "section", "authors_list", "published_at"]
    list_select_related = ["section"]
    list_filter = [MineFilter, StateFilter, "section", AuthorFilter, "featured"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "lede", "body"]
    # Drafts and stories in review (no time yet) first, then scheduled, then the newest published.
    ordering = [F("published_at").desc(nulls_first=True), "-pk"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "authors", "related", "sources", "photo"]
    inlines = [CorrectionInline]
    actions = ["submit_for_review", "publish", "return_to_draft", "withdraw"]
    save_on_top = True
    change_form_template = "admin/articles/story/change_form.html"
    change_list_template = "admin/articles/story/change_list.html"
    fieldsets = [
        (None, {"fields": ["headline", "slug", "short_link", "lede", "body"]}),
        (
            _("Publication"),
            {"fields": ["state_badge", "published_at", "featured", "section", "authors"]},
        ),
        (
            _("Photo"),
            {
                "fields": [
                    "photo",
                    "photo_preview",
                    "photo_upload",
                    "photo_upload_alt",
                    "photo_upload_caption",
                    "photo_upload_credit",
                ]
            },
        ),
        (_("Relations"), {"fields": ["tags", "sources", "related"]}),
    ]

    class Media:
        css = {"all": [ADMIN_STATIC + "admin.css", ADMIN_STATIC + "tiptap.css"]}
        js = [
            *SLUGIFY_JS,
            ADMIN_STATIC + "tag-suggestions.js",
            ADMIN_STATIC + "writing-hints.js",
            ADMIN_STATIC + "autosave.js",
            ADMIN_STATIC + "presence.js",
        ]

    # "12 of 100,000": the second count would read every story for every filtered list.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_search_results(self, request, queryset, search_term):
        # Through the search index, as the site's search: every word in any of its forms, in
        # the headline, lede, body or quotes, without reading every story's text.
        if not search_term.strip():
            return queryset, False
        return queryset.matching(search_term), False

    def get_inlines(self, request, obj):
        # Corrections belong to stories readers have seen (or saw, before a withdrawal).
        if obj is None or obj.status not in (Story.Status.PUBLISHED, Story.Status.WITHDRAWN):
            return []
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm("articles.add_photo"):
            return self.fieldsets
        # Without the right to add photos to the library, no upload from the story form either.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in UPLOAD_FIELDS]})
            for name, options in self.fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actions = tuple(self.allowed_actions(request, obj))
        attrs = {"allowed_actions": actions}
        if not request.user.has_perm("articles.add_photo"):
            attrs.update(dict.fromkeys(UPLOAD_FIELDS))  # the declared fields removed
        return type(form.__name__, (form,), attrs)

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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.workflow_context(request, obj))
        context.update(self.editing_context(request, obj))
        context.update(self.previews_context(request, obj))
        context.update(self.live_context(request, obj))
        if "media" in context:
            context["media"] = self.writing_media(request, context["media"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        photo = form.new_photo(by=request.user)
        if photo is None:
            return super().save_model(request, obj, form, change)
        photo.save()
        obj.photo = photo
        try:
            return super().save_model(request, obj, form, change)
        except BaseException:
            # The rows roll back with the transaction; the file must go too.
            photo.file.delete(save=False)
            raise

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        if not change and not story.authors.exists():
            story.authors.add(request.user)
        elif not is_editor(request.user) and not story.authors.filter(pk=request.user.pk).exists():
            # A reporter edits only what they write: dropping their own name would lock them out.
            story.authors.add(request.user)
        story.__dict__.pop("_authored_by", None)
        comment = form.cleaned_data.get("workflow_comment", "")
        request.story_transition = None
        if action := form.cleaned_data.get("transition"):
            request.story_transition = story.apply(action, by=request.user, comment=comment)
            self.message_user(request, self.transition_message(story), messages.SUCCESS)
        elif change and hasattr(story, "loaded_state"):
            # A new publication time can schedule a live story or bring a scheduled one out.
            request.story_transition = story.record_state_change(
                story.loaded_state, by=request.user, comment=comment
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            if correction.created_by_id is None:
                correction.created_by = request.user
            correction.save()
        for correction in formset.deleted_objects:
            correction.delete()
        return None

    @admin.display(description=_("state"), ordering="status")
    def state_badge(self, story):
        if story.pk is None:
            return format_html(
                '<span class="story-status story-status-draft">{}</span>', Story.State.DRAFT.label
            )
        state = story.state
        return format_html(
            '<span class="story-status story-status-{}">{}</span>', state.value, state.label
        )

    @admin.display(description=_("current photo"))
    def photo_preview(self, story):
        if story.photo is None:
            return _("None: choose one from the library or upload a new one.")
        return format_html(
            '<img class="photo-thumbnail" src="{}" alt="{}" width="120">',
            story.photo.thumbnail_url(),
            story.photo.alt,
        )

    @admin.display(description=_("short link"))
    def short_link(self, story):
        """The address to paste into messengers; it never changes, whatever is edited."""
        if not story.pk:
            return _("Given when the story is first saved.")
        url = f"{settings.SITE_URL}{story.get_short_url()}"
        return format_html('<a href="{}" class="short-link">{}</a>', url, url)

    @admin.display(description=_("authors"))
    def authors_list(self, story):
        return ", ".join(person_name(user) for user in story.authors.all())
