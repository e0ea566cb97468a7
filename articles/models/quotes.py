"""Quotations: what newsmakers said, where, in which story."""

from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, router
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .. import richtext, search
from .people import Newsmaker, Source
from .stories import Story


class QuoteQuerySet(models.QuerySet):
    def published(self):
        """Quotes readers may see: placed in the saved text of a story they may see."""
        return self.filter(placed=True, story__in=Story.objects.published())

    def for_listing(self):
        return (
            self.select_related("speaker", "source", "story__section")
            .defer(*(f"story__{field}" for field in Story.NOT_LISTED))
            .order_by("-story__published_at", "-pk")
        )

    def most_quoted(self, limit):
        """The newsmakers who said most of these quotes, the most quoted first (one query)."""
        return (
            Newsmaker.objects.filter(quotes__in=self.order_by().values("pk"))
            .annotate(quoted=Count("quotes"))
            .order_by("-quoted", "name")[:limit]
        )

    def search(self, query):
        """Quotes with every word of ``query`` in their text or context, in any grammatical
        form, as the site search finds stories (``search.py``)."""
        terms = search.parse_query(query) if isinstance(query, str) else query
        if not terms:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return self.filter(search_vector=search.LexemeQuery(search.tsquery(terms)))
        condition = Q()
        for term in terms:
            condition &= Q(search_document__regex=search.term_regex(term))
        return self.filter(condition)


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
    # Where a quote stands is its reference in the story's body; this says whether the saved
    # body has one. A quote made in the editor is not placed (nor shown anywhere) until the
    # story is saved with it, and leaves when a save no longer has it (Story.place_embeds).
    placed = models.BooleanField(_("in the text"), default=False, editable=False)

    # The search index of the text and context, as stories have (``search.py``).
    search_vector = SearchVectorField(null=True, editable=False)
    search_document = models.TextField(blank=True, default="", editable=False)

    objects = QuoteQuerySet.as_manager()

    INDEXED_FIELDS = frozenset({"text", "context"})
    INDEX_FIELDS = ("search_vector", "search_document")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.speaker}: «{text}»" if self.speaker else f"«{text}»"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.INDEXED_FIELDS & set(update_fields):
            self.index_for_search(kwargs.get("using") or router.db_for_write(Quote, instance=self))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.INDEX_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The quote in its story: the story page gives each quote an anchor."""
        return f"{self.story.get_absolute_url()}#quote-{self.pk}"

    def index_for_search(self, using="default"):
        if connections[using].vendor == "postgresql":
            self.search_vector = search.tsvector(self.text, self.context)
            self.search_document = ""
        else:
            self.search_vector = None
            self.search_document = search.text_document(self.text, self.context, "")

    @property
    def anchor(self):
        return f"quote-{self.pk}"

    @property
    def said_at(self):
        """When it was said, as far as is known: the day given, else the story's time."""
        return self.said_on or self.story.published_at

    @property
    def summary(self):
        """The quote as one line of plain text: «text» — speaker."""
        text = " ".join(self.text.split())
        return f"«{text}» — {self.speaker.name}" if self.speaker else f"«{text}»"

    @property
    def speaker_role(self):
        """The role to show with the quote: the one it was said in, else the current one."""
        if self.role:
            return self.role
        return self.speaker.role if self.speaker else ""


def _load_quotes(ids, story):
    """The story's own quotes among ``ids``, with what their template shows: from the story's
    prefetched quotes (``for_detail``) or in one query."""
    if "quotes" in getattr(story, "_prefetched_objects_cache", {}):
        return {quote.pk: quote for quote in story.quotes.all() if quote.pk in ids}
    quotes = Quote.objects.filter(story=story, pk__in=ids).select_related("speaker", "source")
    for quote in quotes:
        quote.story = story
    return {quote.pk: quote for quote in quotes}


richtext.register_embed(
    "quote",
    load=_load_quotes,
    template="includes/embeds/quote.html",
    describe=lambda quote: quote.summary,
)
