"""Revisions of stories, kept by django-reversion: each save, with quotes, tags, sources and
related stories. Reading a revision back, restoring it and recovering a deleted story.

Restoring copies a revision's text and relations onto the story through the ordinary save, so it
is itself a new revision, bodies are sanitised again, and the story's workflow state stays as it
is: bringing back an older text does not unpublish a story, nor publish one.
"""

import json
from dataclasses import dataclass, field

import reversion
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version

from accounts.models import AuditEvent

from ..richtext import embed_refs, replace_embed_id
from ..textdiff import html_to_text, quote_texts
from .live import LiveEntry
from .people import Newsmaker, Source
from .photos import Photo
from .quotes import Quote
from .sections import Section
from .stories import Story
from .tags import Tag, TaggedStory
from .workflow import Status

reversion.register(Quote)
reversion.register(TaggedStory)
# Live entries keep their own history: a live story takes hundreds, each edited on its own.
reversion.register(LiveEntry)
# The search index is rebuilt from the text by every save, restores included: not worth keeping.
reversion.register(Story, follow=["quotes", "taggedstory_set"], exclude=list(Story.INDEX_FIELDS))

# What a revision brings back; state, time and placement belong to the workflow, not the text.
CONTENT_FIELDS = ("headline", "slug", "lede", "body", "section", "photo")
QUOTE_FIELDS = ("text", "speaker", "role", "context", "source", "said_on")


class RestoreError(Exception):
    """A revision cannot be brought back; the message says why, for the editor."""


def record_revision(stories, *, by=None, comment=""):
    """Keep the stories as they are now as one revision (call it outside other revisions)."""
    with reversion.create_revision():
        for story in stories:
            reversion.add_to_revision(story)
        if by is not None:
            reversion.set_user(by)
        reversion.set_comment(comment)


def revisions_of(story):
    """The story's versions, newest first, with who saved each."""
    return Version.objects.get_for_object(story).select_related("revision__user")


def deleted_stories():
    """The last version of each deleted story, newest deletion first."""
    return (
        Version.objects.get_deleted(Story)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _in_body_order(body, quotes):
    """``quotes`` in the order the body refers to them (those it does not, last)."""
    order = {ref: i for i, ref in enumerate(ref for _kind, ref in embed_refs(body, "quote"))}
    return sorted(quotes, key=lambda quote: (order.get(quote.pk, len(order)), quote.pk or 0))


def _existing(model, pks):
    return set(model._default_manager.filter(pk__in=set(pks)).values_list("pk", flat=True))


@dataclass
class StorySnapshot:
    """A story as one revision (or the database, now) holds it: fields, relations, quotes."""

    story: Story
    authors: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    related: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    version: Version | None = None

    @classmethod
    def of_version(cls, version):
        stored = version._object_version
        story = stored.object
        quotes, tags = [], []
        for other in version.revision.version_set.exclude(pk=version.pk):
            model = other._model
            if model is Quote:
                quote = other._object_version.object
                if quote.story_id == story.pk and quote.placed:
                    quotes.append(quote)
            elif model is TaggedStory:
                tagged = other._object_version.object
                if tagged.content_object_id == story.pk:
                    tags.append(tagged.tag_id)
        m2m = stored.m2m_data or {}
        return cls(
            story=story,
            authors=list(m2m.get("authors", [])),
            sources=list(m2m.get("sources", [])),
            related=list(m2m.get("related", [])),
            tags=sorted(tags),
            quotes=_in_body_order(story.body, quotes),
            version=version,
        )

    @classmethod
    def of_story(cls, story):
        return cls(
            story=story,
            authors=[user.pk for user in story.authors.all()],
            sources=[source.pk for source in story.sources.all()],
            related=[related.pk for related in story.related.all()],
            tags=sorted(tag.pk for tag in story.tags.all()),
            quotes=_in_body_order(story.body, [q for q in story.quotes.all() if q.placed]),
        )

    @classmethod
    def at_version(cls, story, number, *, within=50):
        """The snapshot of ``story`` when its version counter was ``number``, if still kept."""
        for version in revisions_of(story)[:within]:
            if version.field_dict.get("version") == number:
                return cls.of_version(version)
        return None

    @property
    def saved_at(self):
        return self.version.revision.date_created if self.version else self.story.updated_at

    @property
    def predates_photos(self):
        """Whether the revision was kept before stories had photos of the library."""
        if self.version is None or self.version.format != "json":
            return False
        try:
            return "photo" not in json.loads(self.version.serialized_data)[0]["fields"]
        except (ValueError, LookupError, TypeError):
            return False

    def body_text(self, speakers=None):
        """The body as text, its quotes at their places (``speakers``: id → name)."""
        return html_to_text(self.story.body, quote_texts(self.quotes, speakers or {}))

    def quotes_text(self, speakers):
        """The quotes one per paragraph, «speaker: text», for comparing two snapshots."""
        lines = []
        for quote in self.quotes:
            name = speakers.get(quote.speaker_id, "")
            lines.append(f"{name}: {quote.text}" if name else quote.text)
        return "\n\n".join(" ".join(line.split()) for line in lines)

    def restore_onto(self, story, *, by=None):
        """Make ``story`` read as this snapshot again; return notes on what could not come back."""
        if not Section.objects.filter(pk=self.story.section_id).exists():
            raise RestoreError(_("The section of that version no longer exists."))
        with transaction.atomic(), reversion.create_revision():
            for name in CONTENT_FIELDS:
                if name == "photo" and self.predates_photos:
                    continue  # its image became the story's photo, which stays
                attname = Story._meta.get_field(name).attname
                setattr(story, attname, getattr(self.story, attname))
            if story.photo_id and not Photo.objects.filter(pk=story.photo_id).exists():
                story.photo_id = None  # deleted from the library since
            # The quotes first, so that the body's references find them when it is saved.
            notes = self._restore_relations(story)
            story.save()
            if by is not None:
                reversion.set_user(by)
            when = date_format(timezone.localtime(self.saved_at), "DATETIME_FORMAT")
            reversion.set_comment(_("Restored the version of %(when)s.") % {"when": when})
            AuditEvent.objects.record(
                AuditEvent.Action.RESTORED, actor=by, target=story, detail=when
            )
        return notes

    def recover(self, *, by=None):
        """Bring a deleted story back, at its old address, as a draft; return it and notes."""
        story = self.story
        if Story.objects.filter(pk=story.pk).exists():
            raise RestoreError(_("This story has not been deleted."))
        if not Section.objects.filter(pk=story.section_id).exists():
            raise RestoreError(_("The story's section no longer exists; recreate it first."))
        created_at = story.created_at
        with transaction.atomic(), reversion.create_revision():
            # A deleted story may have been live: it comes back as a draft for an editor to check.
            story.status = Status.DRAFT
            story.version = 1
            if story.import_ref and Story.objects.filter(import_ref=story.import_ref).exists():
                story.import_ref = None
            body = story.body
            story.save(force_insert=True)
            Story.objects.filter(pk=story.pk).update(created_at=created_at)
            notes = self._restore_relations(story)
            # Saved again now that its quotes are back for the body to refer to.
            story.body = self._remapped(body)
            story.save(update_fields=["body"])
            if by is not None:
                reversion.set_user(by)
            comment = _("Recovered after deletion.")
            reversion.set_comment(comment)
            AuditEvent.objects.record(
                AuditEvent.Action.RESTORED, actor=by, target=story, detail=comment
            )
        return story, notes

    def _remapped(self, body):
        """``body`` with its references to quotes that came back under a new id updated."""
        for old, new in getattr(self, "new_ids", {}).items():
            body = replace_embed_id(body, "quote", old, new)
        return body

    def _restore_relations(self, story):
        """Relations and quotes as the snapshot has them, leaving out what no longer exists."""
        authors = _existing(get_user_model(), self.authors)
        sources = _existing(Source, self.sources)
        related = _existing(Story, [pk for pk in self.related if pk != story.pk])
        tags = _existing(Tag, self.tags)
        story.authors.set(authors)
        story.sources.set(sources)
        story.related.set(related)
        story.tags.set(list(Tag.objects.filter(pk__in=tags)))

        speakers = _existing(Newsmaker, [q.speaker_id for q in self.quotes if q.speaker_id])
        quote_sources = _existing(Source, [q.source_id for q in self.quotes if q.source_id])
        current = story.quotes.in_bulk()
        taken = _existing(Quote, [old.pk for old in self.quotes if old.pk not in current])
        kept, lost_speakers, self.new_ids = set(), 0, {}
        for old in self.quotes:
            # A deleted quote comes back with its id, which the restored body refers to.
            quote = current.get(old.pk)
            if quote is None:
                quote = Quote(story=story, pk=None if old.pk in taken else old.pk)
            for name in QUOTE_FIELDS:
                attname = Quote._meta.get_field(name).attname
                setattr(quote, attname, getattr(old, attname))
            if quote.speaker_id and quote.speaker_id not in speakers:
                quote.speaker_id, lost_speakers = None, lost_speakers + 1
            if quote.source_id and quote.source_id not in quote_sources:
                quote.source_id = None
            quote.save(force_insert=quote.pk is not None and old.pk not in current)
            if quote.pk != old.pk:
                self.new_ids[old.pk] = quote.pk
            kept.add(quote.pk)
        story.quotes.exclude(pk__in=kept).delete()
        story.body = self._remapped(story.body)

        missing = {
            "authors": len(set(self.authors) - authors),
            "sources": len(set(self.sources) - sources),
            "related": len({pk for pk in self.related if pk != story.pk} - related),
            "tags": len(set(self.tags) - tags),
        }
        notes = []
        if count := missing["authors"]:
            notes.append(
                ngettext(
                    "%(count)d author no longer exists.",
                    "%(count)d authors no longer exist.",
                    count,
                )
                % {"count": count}
            )
        if count := missing["sources"]:
            notes.append(
                ngettext(
                    "%(count)d source no longer exists.",
                    "%(count)d sources no longer exist.",
                    count,
                )
                % {"count": count}
            )
        if count := missing["related"]:
            notes.append(
                ngettext(
                    "%(count)d related story no longer exists.",
                    "%(count)d related stories no longer exist.",
                    count,
                )
                % {"count": count}
            )
        if count := missing["tags"]:
            notes.append(
                ngettext(
                    "%(count)d tag no longer exists.", "%(count)d tags no longer exist.", count
                )
                % {"count": count}
            )
        if lost_speakers:
            notes.append(
                ngettext(
                    "%(count)d quote lost its speaker, who no longer exists.",
                    "%(count)d quotes lost their speakers, who no longer exist.",
                    lost_speakers,
                )
                % {"count": lost_speakers}
            )
        return notes
