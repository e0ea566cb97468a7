"""A story's history in the admin: its revisions, a word-level comparison of any two, restoring
one, and recovering deleted stories. The revisions themselves are django-reversion's."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from ..models import (
    Newsmaker,
    Photo,
    RestoreError,
    Section,
    Source,
    Status,
    Story,
    StorySnapshot,
    Tag,
    deleted_stories,
    record_revision,
    revisions_of,
)
from ..textdiff import word_diff
from .common import person_name

DELETED_PER_PAGE = 50


def _names(model, pks, label=str):
    return {obj.pk: label(obj) for obj in model._default_manager.filter(pk__in=set(pks))}


def compare_snapshots(old, new):
    """What changed from ``old`` to ``new``: word diffs of the texts, then the other fields."""
    speakers = _names(Newsmaker, [q.speaker_id for q in (*old.quotes, *new.quotes) if q.speaker_id])
    field = Story._meta.get_field
    texts = [
        (field("headline").verbose_name, old.story.headline, new.story.headline),
        (field("lede").verbose_name, old.story.lede, new.story.lede),
        (field("body").verbose_name, old.body_text(speakers), new.body_text(speakers)),
        (_("quotes"), old.quotes_text(speakers), new.quotes_text(speakers)),
    ]
    changes = [
        {"label": label, "diff": word_diff(a, b), "changed": a != b} for label, a, b in texts
    ]

    def when(value):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"

    scalars = {
        "slug": str,
        "status": lambda value: Status(value).label if value in Status.values else value,
        "published_at": when,
        "featured": lambda value: _("yes") if value else _("no"),
    }
    fields = []
    a, b = old.story, new.story
    if a.photo_id != b.photo_id:
        photos = _names(Photo, [a.photo_id, b.photo_id])
        fields.append(
            (
                field("photo").verbose_name,
                photos.get(a.photo_id, "—"),
                photos.get(b.photo_id, "—"),
            )
        )
    if a.section_id != b.section_id:
        sections = _names(Section, [a.section_id, b.section_id])
        fields.append(
            (
                field("section").verbose_name,
                sections.get(a.section_id, "?"),
                sections.get(b.section_id, "?"),
            )
        )
    for name, show in scalars.items():
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            fields.append((field(name).verbose_name, show(before) or "—", show(after) or "—"))
    relations = [
        ("authors", get_user_model(), person_name),
        ("sources", Source, str),
        ("related", Story, str),
        ("tags", Tag, str),
    ]
    for name, model, label in relations:
        before, after = set(getattr(old, name)), set(getattr(new, name))
        if before != after:
            names = _names(model, before | after, label)

            def listed(pks, names=names):
                return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in pks)) or "—"

            fields.append((field(name).verbose_name, listed(before), listed(after)))
    return {"texts": changes, "fields": fields}


class RevisionAdminMixin:
    """History, comparison, restore and recovery views for the story admin."""

    object_history_template = "admin/articles/story/history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("recover/", view(self.recover_list_view), name="{}_{}_recoverlist".format(*info)),
            path(
                "recover/<int:version_id>/",
                view(self.recover_view),
                name="{}_{}_recover".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/",
                view(self.revision_view),
                name="{}_{}_revision".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        return reverse(f"{self.admin_site.name}:articles_story_{name}", args=args)

    def _story_for_history(self, request, object_id):
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        return story

    def _context(self, request, story, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": story,
            "original": story,
            "title": title,
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        story = self._story_for_history(request, object_id)
        versions = list(revisions_of(story))
        rows = [
            {
                "version": version,
                "url": self._url("revision", story.pk, version.pk),
                "who": person_name(version.revision.user) if version.revision.user else "",
            }
            for version in versions
        ]
        context = self._context(
            request,
            story,
            _("History: %(story)s") % {"story": story},
            rows=rows,
            compare_url=self._url("compare", story.pk),
            module_name=self.opts.verbose_name_plural,
        )
        return TemplateResponse(request, self.object_history_template, context)

    def _version_of(self, story, version_id):
        try:
            return revisions_of(story).get(pk=version_id)
        except Version.DoesNotExist as error:
            raise Http404(_("No such revision of this story.")) from error

    def compare_view(self, request, object_id):
        story = self._story_for_history(request, object_id)
        ids = [request.GET.get("a", ""), request.GET.get("b", "")]
        if not all(value.isascii() and value.isdigit() and len(value) < 19 for value in ids):
            raise Http404(_("Choose two revisions to compare."))
        older, newer = sorted((self._version_of(story, int(pk)) for pk in ids), key=lambda v: v.pk)
        context = self._context(
            request,
            story,
            _("Changes in «%(story)s»") % {"story": story},
            older=older,
            newer=newer,
            comparison=compare_snapshots(
                StorySnapshot.of_version(older), StorySnapshot.of_version(newer)
            ),
            history_url=self._url("history", story.pk),
        )
        return TemplateResponse(request, "admin/articles/story/compare.html", context)

    def revision_view(self, request, object_id, version_id):
        """One revision, what restoring it would change, and (by POST) restoring it."""
        story = self._story_for_history(request, object_id)
        version = self._version_of(story, version_id)
        snapshot = StorySnapshot.of_version(version)
        may_restore = self.has_change_permission(request, story)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                notes = snapshot.restore_onto(story, by=request.user)
            except RestoreError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("The version of %(when)s is back; the text it replaced stays in the history.")
                % {"when": date_format(timezone.localtime(snapshot.saved_at), "DATETIME_FORMAT")},
                messages.SUCCESS,
            )
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(self._url("change", story.pk))
        current = StorySnapshot.of_story(story)
        context = self._context(
            request,
            story,
            _("Revision of %(when)s")
            % {"when": date_format(timezone.localtime(snapshot.saved_at), "DATETIME_FORMAT")},
            version=version,
            snapshot=snapshot,
            comparison=compare_snapshots(current, snapshot),
            may_restore=may_restore,
            history_url=self._url("history", story.pk),
        )
        return TemplateResponse(request, "admin/articles/story/revision.html", context)

    # Deleted stories

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_recover": self.may_recover(request)}
        return super().changelist_view(request, extra_context)

    def may_recover(self, request):
        return self.has_publish_permission(request) and self.has_add_permission(request)

    def delete_model(self, request, obj):
        # Kept as a revision first: deleted stories can be recovered from it.
        record_revision([obj], by=request.user, comment=_("Deleted."))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_revision(list(queryset), by=request.user, comment=_("Deleted."))
        super().delete_queryset(request, queryset)

    def recover_list_view(self, request):
        if not self.may_recover(request):
            raise PermissionDenied
        try:
            page = Paginator(deleted_stories(), DELETED_PER_PAGE).page(request.GET.get("p") or 1)
        except (InvalidPage, ValueError, TypeError) as error:
            raise Http404 from error
        rows = [
            {
                "version": version,
                "url": self._url("recover", version.pk),
                "who": person_name(version.revision.user) if version.revision.user else "",
            }
            for version in page
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted stories"),
            "rows": rows,
            "page": page,
        }
        return TemplateResponse(request, "admin/articles/story/recover_list.html", context)

    def recover_view(self, request, version_id):
        if not self.may_recover(request):
            raise PermissionDenied
        version = get_object_or_404(deleted_stories(), pk=version_id)
        snapshot = StorySnapshot.of_version(version)
        if request.method == "POST":
            try:
                story, notes = snapshot.recover(by=request.user)
            except RestoreError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(self._url("recoverlist"))
            self.message_user(
                request,
                _("«%(story)s» is back as a draft, at its old address.") % {"story": story},
                messages.SUCCESS,
            )
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(self._url("change", story.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Recover «%(story)s»") % {"story": version.object_repr},
            "version": version,
            "snapshot": snapshot,
            "recover_list_url": self._url("recoverlist"),
        }
        return TemplateResponse(request, "admin/articles/story/recover.html", context)
