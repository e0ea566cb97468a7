"""Stories and the one definition of what readers may see."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, router, transaction
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .. import richtext, search, sharing
from ..richtext import plain_text, sanitize_html
from ..slugs import ascii_slugify
from .editing import EditConflict
from .live import LiveCoverage, LiveStoryQuerySetMixin
from .people import Source
from .sections import Section
from .slugged import SLUG_LENGTH
from .tags import TaggedStory
from .workflow import Status, StoryWorkflowMixin


class StoryQuerySet(LiveStoryQuerySetMixin, models.QuerySet):
    def published(self):
        """The one definition of what readers may see: published, and not scheduled for later."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def withdrawn(self):
        """Stories taken down: their addresses answer 410 Gone."""
        return self.filter(status=Status.WITHDRAWN)

    def visible_to(self, user):
        """Published stories, plus every other state for staff who may edit stories (previews)."""
        if user.is_authenticated and user.is_staff and user.has_perm("articles.change_story"):
            return self
        return self.published()

    def _search_conditions(self, terms):
        """``Q`` objects for stories with every term anywhere, in the headline and lede, and in
        the headline alone (see ``articles/search.py``)."""
        if connections[self.db].vendor == "postgresql":
            query = search.tsquery(terms)
            return (
                Q(search_vector=search.LexemeQuery(query)),
                Q(search_title=search.LexemeQuery(query)),
                Q(search_title=search.LexemeQuery(search.tsquery(terms, "A"))),
            )
        anywhere, in_title, in_headline = Q(), Q(), Q()
        for term in terms:
            anywhere &= Q(search_document__regex=search.term_regex(term))
            in_title &= Q(search_document__regex=search.term_regex(term, fields=2))
            in_headline &= Q(search_document__regex=search.term_regex(term, fields=1))
        return anywhere, in_title, in_headline

    def search_tiers(self, query):
        """The stories with every word of ``query`` in any grammatical form, as three querysets
        in order of relevance, each newest first: every word in the headline; every word in
        the headline and lede; the rest.

        ``query`` is read by ``search.parse_query`` (words, «quoted phrases») unless it is a
        list of terms already. ``search.RankedResults`` pages through the tiers.
        """
        terms = search.parse_query(query) if isinstance(query, str) else query
        if not terms:
            return [self.none()]
        if connections[self.db].vendor != "postgresql":
            # Without a search index every story is read anyway: one pass ranks them all.
            return [self.search(terms)]
        anywhere, in_title, in_headline = self._search_conditions(terms)
        newest = ("-published_at", "-pk")
        return [
            self.filter(in_headline).order_by(*newest),
            self.filter(in_title).exclude(in_headline).order_by(*newest),
            self.filter(anywhere).exclude(in_title).order_by(*newest),
        ]

    def matching(self, query):
        """The stories with every word of ``query`` in any grammatical form anywhere in them,
        through the search index (the admin's search)."""
        terms = search.parse_query(query) if isinstance(query, str) else query
        if not terms:
            return self.none()
        return self.filter(self._search_conditions(terms)[0])

    def search(self, query):
        """The same stories as one queryset: ``rank`` 3 (headline), 2 (lede) or 1 (body),
        then the newest first."""
        terms = search.parse_query(query) if isinstance(query, str) else query
        if not terms:
            return self.none()
        anywhere, in_title, in_headline = self._search_conditions(terms)
        rank = Case(
            When(in_headline, then=Value(3)),
            When(in_title, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return self.filter(anywhere).annotate(rank=rank).order_by("-rank", "-published_at", "-pk")

    def reindex(self, batch_size=500):
        """Rebuild the search index of these stories (after a bulk ``update()``, a restore or a
        change of their quotes); returns how many were indexed."""
        from .quotes import Quote

        count, batch = 0, []
        db = self.db
        stories = self.only("headline", "lede", "body").prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.filter(placed=True).select_related("speaker"))
        )
        for story in stories.order_by("pk").iterator(batch_size):
            story.index_for_search(db)
            batch.append(story)
            if len(batch) == batch_size:
                count += self.model.objects.using(db).bulk_update(batch, self.model.INDEX_FIELDS)
                batch = []
        return count + self.model.objects.using(db).bulk_update(batch, self.model.INDEX_FIELDS)

    def most_read(self, limit=5):
        """«Most read»: the published stories of the last ranking (``readership.py``), the
        most read first, in one query."""
        return (
            self.published()
            .filter(most_read__isnull=False)
            .select_related("section")
            .defer(*self.model.NOT_LISTED)
            .order_by("most_read__rank")[:limit]
        )

    def with_photos(self):
        """The stories' main photos and their renditions: one query more for any number of
        stories, none when no story has a photo."""
        return self.select_related("photo").prefetch_related("photo__renditions")

    def for_listing(self):
        """What a list of stories shows: section for the link, nothing fetched per row, and
        never the body or the search index, which a list does not show and which are most of a
        story's bytes."""
        return (
            self.select_related("section")
            .defer(*self.model.NOT_LISTED)
            .order_by("-published_at", "-pk")
        )

    def for_search_results(self):
        """A list of stories with their bodies, which a result's snippet is taken from."""
        return self.for_listing().defer(None).defer(*self.model.INDEX_FIELDS)

    def for_detail(self):
        """Everything the story page shows, in a fixed number of queries."""
        from .corrections import Correction  # corrections.py and quotes.py import Story
        from .quotes import Quote

        return (
            self.select_related("section")
            .with_photos()
            .prefetch_related(
                "authors",
                "sources",
                "tags",
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.filter(placed=True).select_related("speaker", "source"),
                ),
                Prefetch(
                    "related",
                    queryset=Story.objects.published().for_listing(),
                    to_attr="published_related",
                ),
                Prefetch(
                    "corrections",
                    queryset=Correction.objects.filter(published_at__lte=timezone.now()),
                    to_attr="published_corrections",
                ),
                Prefetch(
                    "recalled_by",
                    queryset=Story.objects.published().for_listing(),
                    to_attr="published_followups",
                ),
            )
        )


class Story(StoryWorkflowMixin, LiveCoverage):
    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_LENGTH,
        blank=True,
        help_text=_("Latin letters, digits and hyphens; made from the headline when left empty."),
    )
    lede = models.TextField(
        _("lede"),
        blank=True,
        help_text=_("One sentence under the headline that sums the story up."),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("HTML: paragraphs, links, lists."))
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="stories"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), blank=True, related_name="stories"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the story; empty means now on publishing."),
    )
    featured = models.BooleanField(
        _("lead story"), default=False, help_text=_("Show at the top of the home page.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    photo = models.ForeignKey(
        "Photo",
        verbose_name=_("main photo"),
        null=True,
        blank=True,
        # A photo a story shows is not deleted from the library from under it.
        on_delete=models.PROTECT,
        related_name="stories",
    )

    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="stories"
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedStory, blank=True)
    related = models.ManyToManyField(
        "self",
        verbose_name=_("related stories"),
        symmetrical=False,
        blank=True,
        related_name="recalled_by",
        help_text=_("Earlier stories shown under «Read also»."),
    )
    import_ref = models.CharField(
        _("import reference"), max_length=100, null=True, blank=True, unique=True, editable=False
    )
    # Counts saves, so that an edit begun on an older version is caught instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The search index (articles/search.py), written on every save of the text: a tsvector on
    # PostgreSQL (GIN-indexed by migration 0003, which SQLite could not run), text elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    search_title = SearchVectorField(null=True, editable=False)
    search_document = models.TextField(blank=True, default="", editable=False)

    objects = StoryQuerySet.as_manager()

    # What search indexes; saving any of them rewrites the index.
    INDEXED_FIELDS = frozenset({"headline", "lede", "body"})
    INDEX_FIELDS = ("search_vector", "search_title", "search_document")
    # What lists of stories leave out (``for_listing``).
    NOT_LISTED = ("body", *INDEX_FIELDS)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [
            ("publish_story", _("Can publish, schedule and withdraw stories and edit any story"))
        ]
        indexes = [
            models.Index(
                fields=["-published_at"],
                condition=Q(status="published"),
                name="story_published_idx",
            ),
            models.Index(
                fields=["section", "-published_at"],
                condition=Q(status="published"),
                name="story_section_published_idx",
            ),
            # The home page's lead: the newest featured story, found without walking every story
            # when none is featured.
            models.Index(
                fields=["-published_at"],
                condition=Q(status="published", featured=True),
                name="story_featured_idx",
            ),
            # The admin's list: drafts and stories in review first, then the newest (PostgreSQL
            # puts NULLs first in a descending index, as the list's order asks).
            models.Index(fields=["-published_at", "-id"], name="story_admin_order_idx"),
            # The sitemaps' «last modified»: the newest edit of a published story, read backwards.
            models.Index(
                fields=["-updated_at"],
                condition=Q(status="published"),
                name="story_published_updated_idx",
            ),
            # The few stories live now: every page asks whether there is one (the header's dot).
            models.Index(
                fields=["live_started_at"],
                condition=Q(live_started_at__isnull=False, live_ended_at__isnull=True),
                name="story_live_now_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_story_has_time",
            )
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = ascii_slugify(self.headline, max_length=SLUG_LENGTH) or "story"
        self.body = sanitize_html(self.body)
        using = kwargs.get("using") or router.db_for_write(Story, instance=self)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.place_embeds(using)
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if update_fields is None or self.INDEXED_FIELDS & set(update_fields):
            self.index_for_search(using)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.INDEX_FIELDS}
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        # Counted from the database row, locked, so that a save from a stale copy still moves
        # the version on (see claim_edit).
        with transaction.atomic():
            saved = type(self).objects.select_for_update().filter(pk=self.pk)
            self.version = (saved.values_list("version", flat=True).first() or self.version) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)

    def place_embeds(self, using="default"):
        """Make the story's quotes follow its (sanitised) body, which is where they stand:
        a reference to anything but one of its own quotes is dropped, the quotes it refers to
        are placed, and placed quotes it no longer refers to are deleted (a revision keeps
        them: restoring it brings them back). Quotes made in the editor and not yet saved in
        the body are left alone, unseen: another editor's open form may be about to save them.
        """
        from .quotes import Quote

        refs = {pk for _kind, pk in richtext.embed_refs(self.body, "quote")}
        if self.pk is None or self._state.adding:
            own = set()
        else:
            quotes = Quote.objects.using(using).filter(story_id=self.pk)
            own = set(quotes.filter(pk__in=refs).values_list("pk", flat=True))
            quotes.filter(pk__in=own, placed=False).update(placed=True)
            quotes.filter(placed=True).exclude(pk__in=own).delete()
            self.__dict__.pop("body_blocks", None)
        if refs - own:
            self.body = richtext.drop_embeds(self.body, "quote", own)

    def get_absolute_url(self):
        kwargs = {"section": self.section.slug, "pk": self.pk}
        if not self.slug:
            # An unsaved edit with the slug cleared: the id alone still leads to the story.
            return reverse("articles:story-short", kwargs=kwargs)
        return reverse("articles:story", kwargs={**kwargs, "slug": self.slug})

    def index_for_search(self, using="default"):
        """Bring the search index up to date with the text and the quotes (called by ``save``,
        and through ``reindex`` when quotes change: ``signals.py``)."""
        fields = (self.headline, self.lede, plain_text(self.body), self.quotes_text(using))
        if connections[using].vendor == "postgresql":
            self.search_vector = search.tsvector(*fields)
            self.search_title = search.tsvector(self.headline, self.lede)
            self.search_document = ""
        else:
            self.search_vector = self.search_title = None
            self.search_document = search.text_document(*fields)

    def quotes_text(self, using="default"):
        """What search finds a story by in its quotes: their words and speakers' names."""
        if self.pk is None:
            return ""
        if "quotes" in getattr(self, "_prefetched_objects_cache", {}):
            quotes = self.quotes.all()
        else:
            quotes = self.quotes.using(using).filter(placed=True).select_related("speaker")
        return "\n".join(
            f"{quote.speaker.name} {quote.text}" if quote.speaker else quote.text
            for quote in quotes
        )

    @property
    def short_code(self):
        return sharing.short_code(self.pk)

    def get_short_url(self):
        """``/s/<code>/``: a few ASCII characters that lead to the story whatever its headline."""
        return reverse("articles:short-link", args=[self.short_code])

    def get_share_card_url(self):
        """The address of the card a story without a photo unfurls with; it changes with the
        headline, the section and the site's name, so previews are never stale."""
        key = sharing.card_key(self.headline, self.section.name, settings.SITE_NAME)
        return reverse("articles:share-card", args=[self.short_code, key])

    def follow_ups(self):
        """Newer published stories that recall this one («Продолжение темы»); needs
        ``for_detail()``."""
        if self.published_at is None:
            return self.published_followups
        return [s for s in self.published_followups if s.published_at > self.published_at]

    def claim_edit(self, opened_version):
        """Make sure nobody saved the story since ``opened_version``, or raise EditConflict.

        The conditional UPDATE takes the row's write lock, so of two editors saving at once from
        the same version the second waits, then finds the version moved on.
        """
        unchanged = type(self).objects.filter(pk=self.pk, version=opened_version)
        if not unchanged.update(version=F("version")):
            raise EditConflict(self, opened_version)

    def clean(self):
        # Filled in before the constraint that a published story has a time is validated.
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_published(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @cached_property
    def body_blocks(self):
        """The body as ``richtext.Block``s in reading order, its embeds (quotes...) expanded:
        each kind loaded once, whatever the number of references."""
        return richtext.expand(self.body, self)

    @property
    def body_quotes(self):
        """The quotes the body shows, in reading order."""
        return [block.object for block in self.body_blocks if block.kind == "quote"]
