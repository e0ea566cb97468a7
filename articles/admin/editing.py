"""Two people on one story in the admin: saves over a newer version end on a conflict page
instead of overwriting it, and the change page says who else has the story open.

The story form carries the version it was opened at. Saving checks it (Story.claim_edit); when
someone saved in between, nothing is written and the conflict page shows both texts, marks what
each side changed since the form was opened, and offers the editor's own text to save again,
merged by hand if they like. Other fields are merged by rule: a field only the other person
changed keeps their value, any other keeps the editor's.
"""

import reversion
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from taggit.utils import edit_string_for_tags

from ..models import (
    EditConflict,
    EditSession,
    Story,
    StorySnapshot,
    Tag,
    record_revision,
    revisions_of,
)
from ..models.editing import HEARTBEAT
from ..richtext import sanitize_html
from ..textdiff import html_to_text, quote_texts, word_diff
from .common import person_name

TEXT_FIELDS = ("headline", "lede", "body")
CONTROL_FIELDS = ("opened_version", "transition", "workflow_comment")
# Fields merged by rule on the conflict page; the file field cannot travel in a form again.
MERGED_FIELDS = (
    "slug", "section", "published_at", "featured", "authors", "sources", "related", "tags",
    "photo",
)  # fmt: skip
SAVED_SESSION_KEY = "articles_stories_saved"
NOT_CARRIED = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}


def _same_text(a, b):
    # Line endings and spacing are how a textarea travels, not an edit.
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _seconds(value):
    return value.replace(microsecond=0) if value is not None else None


def _snapshot_values(snapshot, tag_names):
    story = snapshot.story
    return {
        "slug": story.slug,
        "section": story.section_id,
        "published_at": _seconds(story.published_at),
        "featured": story.featured,
        "authors": sorted(snapshot.authors),
        "sources": sorted(snapshot.sources),
        "related": sorted(snapshot.related),
        "tags": sorted(tag_names.get(pk, str(pk)).casefold() for pk in snapshot.tags),
        "photo": story.photo_id,
    }


def _cleaned_values(form):
    data = form.cleaned_data
    values = {}
    for name in MERGED_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("section", "photo"):
            value = value.pk if value else None
        elif name in ("authors", "sources", "related"):
            value = sorted(obj.pk for obj in value)
        elif name == "tags":
            value = sorted(tag.casefold() for tag in value)
        elif name == "published_at":
            value = _seconds(value)
        values[name] = value
    return values


def saved_by_line(story):
    """«Saved by … at …» for the latest revision of ``story``, or an empty string."""
    latest = revisions_of(story).first()
    if latest is None:
        return ""
    when = date_format(timezone.localtime(latest.revision.date_created), "DATETIME_FORMAT")
    if latest.revision.user is None:
        return _("Saved at %(when)s.") % {"when": when}
    return _("Saved by %(name)s at %(when)s.") % {
        "name": person_name(latest.revision.user),
        "when": when,
    }


class EditingAdminMixin:
    """Conflict-safe saving, revisions of every save, and who has the story open."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="{}_{}_presence".format(*info),
            ),
            *super().get_urls(),
        ]

    # Saving

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            response = self._no_longer_editable(request, object_id)
            if response is not None:
                return response
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            return self.conflict_response(request, conflict.story.pk, conflict.form)

    def save_model(self, request, obj, form, change):
        if change:
            try:
                obj.claim_edit(form.cleaned_data.get("opened_version"))
            except EditConflict as conflict:
                conflict.form = form
                raise
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._remember_saved(request, obj, "new")
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._remember_saved(request, obj)
        return super().response_change(request, obj)

    def _remember_saved(self, request, story, *also):
        """The story's next change page (and, for a new story, the next add page) tells the
        browser that the text it kept was saved, so that it is not offered back."""
        saved = request.session.get(SAVED_SESSION_KEY, [])
        request.session[SAVED_SESSION_KEY] = [*saved[-20:], str(story.pk), *also]

    def construct_change_message(self, request, form, formsets, add=False):
        # The version and the workflow buttons are how the form is used, not what changed.
        changed = [name for name in form.changed_data if name not in CONTROL_FIELDS]
        request.story_changes = [str(form.fields[name].label) for name in changed]
        request.story_changed_inlines = [
            str(formset.model._meta.verbose_name_plural)
            for formset in formsets
            if formset.has_changed()
        ]
        form.__dict__["changed_data"] = changed
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment_revision(request, added=True)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment_revision(request, added=False)
        return entry

    def _comment_revision(self, request, added):
        """The revision's comment in the editors' language: what changed, and any move."""
        if not reversion.is_active():
            return
        changed = [
            *getattr(request, "story_changes", []),
            *getattr(request, "story_changed_inlines", []),
        ]
        if added:
            parts = [_("Created.")]
        elif changed:
            parts = [_("Changed: %(fields)s.") % {"fields": ", ".join(changed)}]
        else:
            parts = [_("Saved without changes.")]
        if transition := getattr(request, "story_transition", None):
            parts.append(str(transition.summary))
        reversion.set_comment(" ".join(parts))

    # Conflicts

    def _no_longer_editable(self, request, object_id):
        """A story that became read-only for the user while they edited it (an editor sent it
        to review, published it): show their text rather than a bare 403."""
        story = self.get_object(request, unquote(object_id))
        opened = request.POST.get("opened_version", "")
        if story is None:
            # Deleted meanwhile: Django would redirect and drop the text; show it instead.
            if opened.isdigit() and self.has_change_permission(request):
                return self.conflict_response(request, None, form=None)
            return None
        if self.has_change_permission(request, story):
            return None
        if not self.has_view_permission(request, story) or not opened.isdigit():
            return None
        if int(opened) == story.version:
            return None  # never editable for them: a forged request, refused as such
        return self.conflict_response(request, story.pk, form=None)

    def conflict_response(self, request, pk, form):
        theirs = Story.objects.select_related("section").filter(pk=pk).first() if pk else None
        mine = {name: request.POST.get(name, "") for name in TEXT_FIELDS}
        mine["body"] = sanitize_html(mine["body"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Someone saved this story while you were editing it"),
            "theirs": theirs,
            "mine": mine,
            "mine_fields": [
                (Story._meta.get_field(name).verbose_name, name, mine[name]) for name in TEXT_FIELDS
            ],
            "media": self.media + form.media if form is not None else self.media,
        }
        if theirs is None:
            context["title"] = _("This story was deleted while you were editing it")
            return TemplateResponse(
                request, "admin/articles/story/conflict.html", context, status=409
            )
        opened = request.POST.get("opened_version", "")
        base = StorySnapshot.at_version(theirs, int(opened)) if opened.isdigit() else None
        context.update(
            {
                "saved_by": saved_by_line(theirs),
                "texts": self._compare_texts(base, theirs, mine),
                "base_known": base is not None,
                "can_save": form is not None,
                "change_url": reverse(
                    f"{self.admin_site.name}:articles_story_change", args=[theirs.pk]
                ),
            }
        )
        if form is not None:
            context.update(self._merge_form(request, form, base, theirs, mine))
        return TemplateResponse(request, "admin/articles/story/conflict.html", context, status=409)

    def _compare_texts(self, base, theirs, mine):
        labels = {
            "headline": Story._meta.get_field("headline").verbose_name,
            "lede": Story._meta.get_field("lede").verbose_name,
            "body": Story._meta.get_field("body").verbose_name,
        }
        texts = []
        quotes = quote_texts(theirs.quotes.select_related("speaker"))
        for name in TEXT_FIELDS:
            their_text = getattr(theirs, name)
            my_text = mine[name]
            base_text = getattr(base.story, name) if base else None
            if name == "body":
                their_text = html_to_text(their_text, quotes)
                my_text = html_to_text(my_text, quotes)
                base_text = html_to_text(base_text, quotes) if base else None
            texts.append(
                {
                    "name": name,
                    "label": labels[name],
                    "same": their_text == my_text,
                    # Marked: what each side changed since the form was opened, when that
                    # version is still in the history; else how the editor's text differs.
                    "theirs": word_diff(base_text if base else their_text, their_text),
                    "mine": word_diff(base_text if base else their_text, my_text),
                }
            )
        return texts

    def _merge_form(self, request, form, base, theirs, mine):
        """The text fields to merge by hand, and hidden fields for the rest, merged by rule."""
        their_form = type(form)(instance=theirs)
        merge_fields = []
        for name in TEXT_FIELDS:
            if name not in form.fields:
                continue
            base_text, their_text = (
                (getattr(base.story, name) if base else None),
                getattr(theirs, name),
            )
            note = ""
            if base and _same_text(base_text, mine[name]) and not _same_text(base_text, their_text):
                # Only the other side changed it: their text, not the stale one, is offered.
                field, note = (
                    their_form[name],
                    _("Changed only in the saved version: that text is here."),
                )
            else:
                field = form[name]
                if (
                    base
                    and not _same_text(base_text, their_text)
                    and not _same_text(their_text, mine[name])
                ):
                    note = _("Changed in both versions: your text is here, the saved one above.")
            merge_fields.append({"field": field, "note": note})
        their_snapshot = StorySnapshot.of_story(theirs)
        tag_ids = {*their_snapshot.tags, *(base.tags if base else ())}
        tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
        their_values = _snapshot_values(their_snapshot, tag_names)
        base_values = _snapshot_values(base, tag_names) if base else None
        my_values = _cleaned_values(form)

        hidden, kept_theirs, kept_mine = [], [], []
        for name, field in form.fields.items():
            if name in TEXT_FIELDS or name in CONTROL_FIELDS or name == "photo_upload":
                continue
            chosen = form
            if name in my_values and their_values[name] != my_values[name]:
                label = field.label or name
                if base_values and base_values[name] == my_values[name]:
                    chosen = their_form
                    kept_theirs.append(label)
                else:
                    kept_mine.append(label)
            if name == "tags" and chosen is their_form:
                # The tag field's hidden widget cannot write tag objects back as text.
                value = edit_string_for_tags(list(theirs.tags.all()))
                hidden.append(format_html('<input type="hidden" name="tags" value="{}">', value))
            else:
                hidden.append(chosen[name].as_hidden())
        # The quotes (inline forms) travel as they were posted.
        form_keys = set()
        for name in form.fields:
            form_keys.update({name, f"{name}_0", f"{name}_1"})
        raw = [
            (key, value)
            for key, values in request.POST.lists()
            if key not in form_keys and key not in NOT_CARRIED
            for value in values
        ]
        transition = form.cleaned_data.get("transition")
        return {
            "hidden_fields": mark_safe("".join(hidden)),  # rendered by the form's own widgets
            "raw_fields": format_html_join("", '<input type="hidden" name="{}" value="{}">', raw),
            "merge_fields": merge_fields,
            "opened_version": theirs.version,
            "kept_theirs": kept_theirs,
            "kept_mine": kept_mine,
            "dropped_transition": dict(form.fields["transition"].choices).get(transition)
            if transition
            else None,
            "dropped_file": bool(request.FILES),
        }

    # Who has the story open

    def editing_context(self, request, obj):
        saved = request.session.get(SAVED_SESSION_KEY, [])
        name = str(obj.pk) if obj else "new"
        if name in saved:
            request.session[SAVED_SESSION_KEY] = [other for other in saved if other != name]
        if obj is None:
            return {
                "autosave_key": f"newsroom:story:{request.user.pk}:new",
                "autosave_saved": name in saved,
            }
        editing = self.has_change_permission(request, obj)
        if editing:
            EditSession.heartbeat(obj, request.user)
            if StorySnapshot.at_version(obj, obj.version, within=1) is None:
                # The version being opened must be in the history, for a conflict to tell
                # what each side changed (stories saved before revisions were kept, say).
                record_revision([obj], comment=_("Kept as it was opened for editing."))
        info = self.opts.app_label, self.opts.model_name
        return {
            "autosave_key": f"newsroom:story:{request.user.pk}:{obj.pk}" if editing else "",
            "autosave_saved": name in saved,
            "others_editing": self.others_line(obj, request.user),
            "presence_url": reverse(
                "{}:{}_{}_presence".format(self.admin_site.name, *info), args=[obj.pk]
            ),
            "heartbeat_ms": int(HEARTBEAT.total_seconds() * 1000),
        }

    def others_line(self, story, user):
        names = [person_name(other) for other in EditSession.others_on(story, user)]
        if not names:
            return ""
        return _(
            "Also open now by: %(names)s. Saving over each other is caught, but talk first."
        ) % {"names": ", ".join(names)}

    def presence_view(self, request, object_id):
        """The change page's heartbeat: record the user, answer who else is there and whether
        a newer version was saved. ``leave`` (sent as the page closes) forgets the user."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        if request.POST.get("leave"):
            EditSession.leave(story, request.user)
            return HttpResponse(status=204)
        if self.has_change_permission(request, story):
            EditSession.heartbeat(story, request.user)
        opened = request.POST.get("opened_version", "")
        newer = ""
        if opened.isdigit() and int(opened) != story.version:
            newer = _(
                "A newer version was saved after you opened this page. %(saved)s When you save, "
                "you will see both texts; nothing is lost."
            ) % {"saved": saved_by_line(story)}
        return JsonResponse(
            {
                "others": self.others_line(story, request.user),
                "newer": newer,
                "version": story.version,
            }
        )
