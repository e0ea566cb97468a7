"""Quotations: what newsmakers said, where, in which story."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Newsmaker, Source
from .stories import Story


class QuoteQuerySet(models.QuerySet):
    def published(self):
        """Quotes from stories readers may see."""
        return self.filter(story__in=Story.objects.published())

    def for_listing(self):
        return self.select_related("speaker", "source", "story__section").order_by(
            "-story__published_at", "-pk"
        )


class Quote(models.Model):
    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="quotes"
    )
    text = models.TextField(_("text"))
    speaker = models.ForeignKey(
        Newsmaker,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    role = models.CharField(
        _("role at the time"),
        max_length=200,
        blank=True,
        help_text=_(
            "The speaker's title when they said it, e.g. deputy akim of the region; shown "
            "instead of the newsmaker's current role."
        ),
    )
    context = models.CharField(
        _("context"),
        max_length=500,
        blank=True,
        help_text=_("Where and when it was said, e.g. at a meeting with the special forces."),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
    )
    said_on = models.DateField(_("said on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("How many paragraphs of the body come before the quote."),
    )

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.speaker}: «{text}»" if self.speaker else f"«{text}»"

    def get_absolute_url(self):
        return f"{self.story.get_absolute_url()}#quote-{self.pk}"

    @property
    def speaker_role(self):
        """The role to show with the quote: the one it was said in, else the current one."""
        if self.role:
            return self.role
        return self.speaker.role if self.speaker else ""
