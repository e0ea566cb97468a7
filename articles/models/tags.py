"""Tags with ASCII slugs, on top of django-taggit."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from ..slugs import ascii_slugify


class AsciiSlugTag(TagBase):
    """A taggit tag whose slug is ASCII, transliterated like every other slug of the site."""

    class Meta:
        abstract = True

    def slugify(self, tag, i=None):
        slug = ascii_slugify(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug


class Tag(AsciiSlugTag):
    """The public tags of stories, each with its page and feeds."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self):
        return reverse("articles:tag", args=[self.slug])

    def get_rss_url(self):
        return reverse("articles:tag-rss", args=[self.slug])

    def get_atom_url(self):
        return reverse("articles:tag-atom", args=[self.slug])


class TaggedStory(TaggedItemBase):
    content_object = models.ForeignKey("Story", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_stories")

    class Meta:
        verbose_name = _("tagged story")
        verbose_name_plural = _("tagged stories")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_story_tag")
        ]
