"""Named things with unique ASCII slugs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..slugs import ascii_slugify

SLUG_LENGTH = 80


def unique_slug(model, text, *, exclude_pk=None, field="slug", max_length=SLUG_LENGTH):
    """An ASCII slug for ``text`` not yet used by another ``model`` row: ``name``, ``name-2``..."""
    base = ascii_slugify(text, max_length=max_length - 4) or model._meta.model_name
    taken = set(
        model._default_manager.filter(**{f"{field}__startswith": base})
        .exclude(pk=exclude_pk)
        .values_list(field, flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


class SluggedModel(models.Model):
    """A named thing with a unique ASCII slug made from its name when none is given."""

    slug = models.SlugField(_("slug"), max_length=SLUG_LENGTH, unique=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)
