"""Dated notes on published stories: corrections, clarifications and updates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Story


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Notes readers may see: dated now or earlier, on stories readers may see."""
        return self.filter(published_at__lte=timezone.now(), story__in=Story.objects.published())

    def for_listing(self):
        return (
            self.select_related("story__section")
            .defer(*(f"story__{field}" for field in Story.NOT_LISTED))
            .order_by("-published_at", "-pk")
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        _("text"),
        help_text=_("What was wrong or what is new, in a sentence or two. Readers see it as is."),
    )
    published_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        indexes = [models.Index(fields=["-published_at"], name="correction_published_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.story.get_absolute_url()}#correction-{self.pk}"
