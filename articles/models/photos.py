"""The photo library: each picture once, with its description, credit, tags and focal point,
and the renditions pages show, drawn once and stored (``Rendition``).

Renditions are drawn with Pillow (``imaging.py``) after the upload commits, and otherwise the
first time a page needs them (photos from before the library, a rendition deleted by hand); a
page never waits for them again, and never fails because a file has gone.
"""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from PIL import Image
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .. import imaging
from ..search import matching_all_words
from ..slugs import ascii_slugify
from .tags import AsciiSlugTag

logger = logging.getLogger(__name__)

# Widths of the renditions for srcset; a photo narrower than one gets its own width instead.
WIDTHS = (360, 720, 1080, 1440)
# What link previews (Open Graph, X/Twitter) and search engines are given.
SOCIAL_SIZE = (1200, 630)
SOCIAL = "social"
# The rendition <img src> falls back to (browsers without srcset), and the feeds' enclosure.
FALLBACK_WIDTH = 1080
THUMBNAIL_WIDTH = 360
CHOOSER_RESULTS = 20


class PhotoTag(AsciiSlugTag):
    """Keywords of the library, for finding photos; apart from story tags, which are public
    pages."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("photo tag")
        verbose_name_plural = _("photo tags")


class TaggedPhoto(TaggedItemBase):
    content_object = models.ForeignKey("Photo", on_delete=models.CASCADE)
    tag = models.ForeignKey(PhotoTag, on_delete=models.CASCADE, related_name="tagged_photos")

    class Meta:
        verbose_name = _("tagged photo")
        verbose_name_plural = _("tagged photos")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_photo_tag")
        ]


class PhotoQuerySet(models.QuerySet):
    def search(self, text):
        """Photos with every word of ``text`` in the caption, credit, description or a tag."""
        condition = matching_all_words(text, ["caption", "credit", "alt", "tags__name"])
        if not condition:
            return self
        # A match through two tags would list the photo twice: match ids, not joined rows.
        return self.filter(pk__in=Photo.objects.filter(condition).values("pk"))

    def with_renditions(self):
        """The photos and every rendition of them: two queries however many photos
        (what a page of photos, a story's body embeds or the chooser needs)."""
        return self.prefetch_related("renditions")

    def draw_renditions(self, batch_size=100):
        """Draw and store the renditions these photos lack (after the migration that made
        photos of old story images, say); returns how many were drawn."""
        drawn = 0
        for photo in self.with_renditions().order_by("pk").iterator(batch_size):
            before = len(photo.renditions.all())
            drawn += len(photo.renditions_by_spec()) - before
        return drawn

    def for_chooser(self, text=""):
        photos = self.search(text) if text else self
        return photos.with_renditions().order_by("-uploaded_at", "-pk")[:CHOOSER_RESULTS]


@dataclass(frozen=True)
class Picture:
    """What ``<picture>`` needs: srcsets of WebP and JPEG renditions, the fallback ``src``
    and its size (for the ``width`` and ``height`` attributes that keep the page still)."""

    src: str
    width: int
    height: int
    webp_srcset: str = ""
    jpeg_srcset: str = ""


def _upload_to(photo, filename):
    stem = ascii_slugify(PurePath(filename).stem, max_length=60) or "photo"
    now = timezone.now()
    return f"photos/{now:%Y/%m}/{stem}{PurePath(filename).suffix.lower()}"


class Photo(models.Model):
    file = models.ImageField(
        _("file"), upload_to=_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    alt = models.CharField(
        _("description"),
        max_length=255,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedPhoto, blank=True)
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["-uploaded_at"], name="photo_uploaded_idx")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._drawn_from = self._rendition_key()

    def __str__(self):
        return Truncator(self.caption or self.alt or self.file.name).chars(80)

    def save(self, *args, **kwargs):
        adding = self._state.adding
        stale = not adding and self._drawn_from != self._rendition_key()
        super().save(*args, **kwargs)
        if stale:
            # Deleting the rows deletes their files once committed (signals.py).
            for rendition in Rendition.objects.filter(photo=self):
                rendition.delete()
            getattr(self, "_prefetched_objects_cache", {}).pop("renditions", None)
        if adding or stale:
            transaction.on_commit(self.draw_renditions_after_commit)
        self._drawn_from = self._rendition_key()

    @classmethod
    def from_file(cls, file, *, name=None, **fields):
        """A new photo (not saved) from a file that passes the upload checks; raises
        ``ValidationError`` otherwise. For imports and commands: the admin's forms check
        uploads themselves (``PhotoFileField``)."""
        checked = imaging.check_upload(file, name=name)
        photo = cls(**fields)
        photo.file = checked.content
        return photo

    def clean(self):
        if not (self.alt or "").strip():
            raise ValidationError({"alt": _("Describe the photo for readers who cannot see it.")})

    def _rendition_key(self):
        # What the renditions are drawn from: a new file or focal point makes them stale. Read
        # from __dict__, so that a photo loaded with deferred fields costs no query here.
        values = self.__dict__
        file = values.get("file")
        return (getattr(file, "name", file) or "", values.get("focal_x"), values.get("focal_y"))

    def draw_renditions_after_commit(self):
        """Draw the renditions now that the photo is stored, so no reader waits for them."""
        fresh = Photo.objects.filter(pk=self.pk).with_renditions().first()
        if fresh is not None:
            fresh.renditions_by_spec()

    # Renditions

    def rendition_specs(self):
        """The renditions this photo needs: each width for srcset in WebP and JPEG (never wider
        than the photo), and the social crop."""
        widths = sorted({min(width, self.width) for width in WIDTHS if self.width})
        specs = [f"w{width}.{fmt}" for width in widths for fmt in ("webp", "jpg")]
        return [*specs, f"{SOCIAL}.jpg"]

    def renditions_by_spec(self):
        """``{spec: Rendition}``, drawing and storing the missing ones (once: they are stored).
        Uses prefetched renditions (``with_renditions()``); a photo whose file cannot be read
        has only the renditions it already had."""
        existing = {rendition.spec: rendition for rendition in self.renditions.all()}
        missing = [spec for spec in self.rendition_specs() if spec not in existing]
        if missing and self.pk:
            existing.update(self._draw(missing))
            cache = getattr(self, "_prefetched_objects_cache", None)
            if cache is not None:
                cache["renditions"] = list(existing.values())
        return existing

    def _draw(self, specs):
        drawn = {}
        try:
            with self.file.open("rb") as original, Image.open(original) as image:
                image.load()
                for spec in specs:
                    drawn[spec] = self._store(image, spec)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            # A missing or unreadable file: the page shows what it can instead of failing.
            logger.warning("Cannot draw renditions of photo %s (%s)", self.pk, self.file.name)
        return drawn

    def _store(self, image, spec):
        name, ext = spec.rsplit(".", 1)
        fmt = "WEBP" if ext == "webp" else "JPEG"
        if name == SOCIAL:
            data, width, height = imaging.draw(
                image, crop=SOCIAL_SIZE, focal=(self.focal_x, self.focal_y), fmt=fmt
            )
        else:
            data, width, height = imaging.draw(image, width=int(name[1:]), fmt=fmt)
        key = hashlib.sha256(repr(self._rendition_key()).encode()).hexdigest()[:8]
        stem = PurePath(self.file.name).stem
        rendition = Rendition(photo=self, spec=spec, width=width, height=height, size=len(data))
        rendition.file.save(f"{stem}-{name}-{key}.{ext}", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                rendition.save()
        except IntegrityError:
            # Another request drew it at the same moment: keep theirs.
            rendition.file.storage.delete(rendition.file.name)
            return Rendition.objects.get(photo=self, spec=spec)
        return rendition

    def picture(self):
        """The ``Picture`` of this photo for a page; the original when no rendition can be
        had."""
        renditions = self.renditions_by_spec()
        widths = sorted(
            (r for r in renditions.values() if r.spec.startswith("w")), key=lambda r: r.width
        )
        jpegs = [r for r in widths if r.spec.endswith(".jpg")]
        webps = [r for r in widths if r.spec.endswith(".webp")]
        if not jpegs:
            return Picture(self.file.url if self.file else "", self.width, self.height)
        fallback = next((r for r in jpegs if r.width >= FALLBACK_WIDTH), jpegs[-1])
        return Picture(
            src=fallback.file.url,
            width=fallback.width,
            height=fallback.height,
            webp_srcset=", ".join(f"{r.file.url} {r.width}w" for r in webps),
            jpeg_srcset=", ".join(f"{r.file.url} {r.width}w" for r in jpegs),
        )

    def social_image(self):
        """The 1200 × 630 crop around the focal point (smaller for a small photo), or None."""
        return self.renditions_by_spec().get(f"{SOCIAL}.jpg")

    def largest_jpeg(self):
        """The widest JPEG rendition, for feeds' enclosures, or None."""
        jpegs = [r for r in self.renditions_by_spec().values() if r.spec.startswith("w")]
        jpegs = [r for r in jpegs if r.spec.endswith(".jpg")]
        return max(jpegs, key=lambda r: r.width, default=None)

    def thumbnail_url(self):
        """The smallest JPEG rendition, for the admin's lists and the chooser."""
        jpegs = [r for r in self.renditions_by_spec().values() if r.spec.startswith("w")]
        jpegs = [r for r in jpegs if r.spec.endswith(".jpg")]
        smallest = min(jpegs, key=lambda r: r.width, default=None)
        if smallest is not None:
            return smallest.file.url
        return self.file.url if self.file else ""


def _rendition_upload_to(rendition, filename):
    return f"photos/renditions/{rendition.photo_id}/{filename}"


class Rendition(models.Model):
    """One stored size or crop of a photo; its file is deleted with it (``signals.py``)."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40)
    file = models.FileField(upload_to=_rendition_upload_to, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text="bytes")

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(fields=["photo", "spec"], name="unique_photo_rendition")
        ]

    def __str__(self):
        return f"{self.photo_id}: {self.spec}"

    @property
    def url(self):
        return self.file.url

    @property
    def type(self):
        return imaging.content_type(self.file.name)
