"""Live coverage («Прямой эфир»): a story marked live takes short timestamped entries.

A story is live from ``live_started_at`` until ``live_ended_at``; readers see its entries only
while the story itself is published (``Story.objects.published()``). Every change of an entry
moves the story's ``live_updated_at`` on (``signals.py``): the polling endpoint answers from
that one value, with ETag and Last-Modified, so thousands of open pages cost little.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import pagecache
from ..richtext import plain_text, sanitize_html, text_to_html
from .people import Newsmaker
from .workflow import Status, is_editor

# An entry's time may run this far ahead of the clock (clocks differ); later is refused.
CLOCK_SKEW = timezone.timedelta(minutes=2)


class LiveCoverage(models.Model):
    """The live-coverage half of a story: when it went live, ended, and last took an entry."""

    live_started_at = models.DateTimeField(_("live since"), null=True, blank=True, editable=False)
    live_ended_at = models.DateTimeField(_("live until"), null=True, blank=True, editable=False)
    live_updated_at = models.DateTimeField(
        _("last live entry change"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_live(self):
        return self.live_started_at is not None and self.live_ended_at is None

    @property
    def has_live_coverage(self):
        return self.live_started_at is not None

    def start_live(self):
        """Mark the story live now (again, if it had ended)."""
        now = timezone.now()
        self.live_started_at = self.live_started_at or now
        self.live_ended_at = None
        self.live_updated_at = now
        type(self).objects.filter(pk=self.pk).update(
            live_started_at=self.live_started_at, live_ended_at=None, live_updated_at=now
        )
        pagecache.site_changed()

    def end_live(self):
        now = timezone.now()
        self.live_ended_at = self.live_updated_at = now
        type(self).objects.filter(pk=self.pk).update(live_ended_at=now, live_updated_at=now)
        pagecache.site_changed()

    def live_version(self):
        """What the polling endpoint's ETag is made of: any change of the entries, or an end."""
        changed = self.live_updated_at or self.live_started_at
        stamp = int(changed.timestamp() * 1_000_000) if changed else 0
        return f"{self.pk}-{stamp}-{'live' if self.is_live else 'ended'}"


class LiveStoryQuerySetMixin:
    """Live coverage in ``StoryQuerySet``."""

    def live_now(self):
        """Published stories being covered live: cheap, through a partial index."""
        return self.published().filter(live_started_at__isnull=False, live_ended_at__isnull=True)

    def live_ended(self):
        return self.published().filter(live_ended_at__isnull=False)

    def editable_by(self, user):
        """The stories ``user`` may edit, as ``Story.may_edit`` decides one by one."""
        if not user.has_perm("articles.change_story"):
            return self.none()
        if is_editor(user):
            return self
        return self.filter(status=Status.DRAFT, authors=user)


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        """Entries readers may see: those of stories readers may see."""
        from .stories import Story

        return self.filter(story__in=Story.objects.published())

    def for_page(self):
        """Pinned first, then the newest; with what each shows, in one query."""
        return self.select_related("speaker", "author").order_by("-pinned", "-posted_at", "-pk")


class LiveEntry(models.Model):
    story = models.ForeignKey(
        "Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="live_entries"
    )
    posted_at = models.DateTimeField(
        _("time"), default=timezone.now, help_text=_("Shown with the entry; entries go by it.")
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Plain text, blank lines between paragraphs; or HTML: paragraphs, links, lists. "
            "Cleaned like story bodies."
        ),
    )
    quote = models.TextField(_("quote"), blank=True)
    speaker = models.ForeignKey(
        Newsmaker,
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_entries",
    )
    photo = models.ImageField(_("photo"), upload_to="live/%Y/%m/", blank=True)
    photo_alt = models.CharField(
        _("photo description"),
        max_length=255,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown above the others; pinning this entry unpins the story's other one."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-posted_at", "-pk"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [models.Index(fields=["story", "-posted_at"], name="liveentry_story_posted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["story"], condition=Q(pinned=True), name="one_pinned_entry_per_story"
            )
        ]

    def __str__(self):
        return Truncator(self.text or self.quote or self.photo_alt).chars(80) or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.body = self.clean_body(self.body)
        with transaction.atomic():
            if self.pinned:
                # One pinned entry a story: pinning this one unpins the other.
                others = LiveEntry.objects.filter(story_id=self.story_id, pinned=True)
                others.exclude(pk=self.pk).update(pinned=False)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.story.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def clean_body(text):
        """Sanitised HTML: typed plain text becomes paragraphs, HTML is cleaned like a body."""
        text = (text or "").strip()
        if "<" not in text:
            text = text_to_html(text)
        # Entries embed nothing: a reference would read as an empty block.
        return sanitize_html(text, embeds=False)

    def clean(self):
        body = plain_text(self.clean_body(self.body)).strip()
        if not (body or self.quote.strip() or self.photo):
            raise ValidationError(_("Write a text, a quote or add a photo."))
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Describe the photo for readers who cannot see it.")}
            )
        if self.speaker_id and not self.quote.strip():
            raise ValidationError({"quote": _("Write what the speaker said.")})
        if self.posted_at and self.posted_at > timezone.now() + CLOCK_SKEW:
            raise ValidationError(
                {"posted_at": _("An entry cannot be dated in the future; post it when it happens.")}
            )

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @property
    def text(self):
        return " ".join(plain_text(self.body).split())

    def pin(self):
        self.pinned = True
        self.save(update_fields=["pinned", "updated_at"])

    def unpin(self):
        self.pinned = False
        self.save(update_fields=["pinned", "updated_at"])
