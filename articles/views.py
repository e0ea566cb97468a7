"""Reader pages. Each view fetches through a queryset method and renders one template."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sitemaps import views as sitemap_views
from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from . import caching, metadata, readership, sharing
from .forms import QuoteFilterForm, SearchForm
from .models import (
    Correction,
    Newsmaker,
    PartnerLink,
    PreviewLink,
    Quote,
    Section,
    Source,
    State,
    Story,
    Tag,
)
from .richtext import plain_text
from .search import RankedResults, parse_query, snippet
from .sitemaps import SITEMAPS

SECTION_BLOCK_SIZE = 4
HOME_SECONDARY = 2
HOME_LATEST = 9
STORY_SIDEBAR = 6
SEARCH_SUGGESTIONS = 5
LIVE_ENTRIES_PER_PAGE = 50
LIVE_NOW_SHOWN = 20
LIVE_UPDATES_SIZE = 30  # newest entries an open page is sent each time
LIVE_POLL_SECONDS = 10
LIVE_POLL_MAX_AGE = 5
LIVE_PAYLOAD_SECONDS = 120
LIVE_STATE_FIELDS = (
    "slug", "section__slug", "status", "published_at",
    "live_started_at", "live_ended_at", "live_updated_at",
)  # fmt: skip
QUOTES_PER_PAGE = 20
QUOTE_SNIPPET_WORDS = 400
TOP_SPEAKERS = 12
TOP_SPEAKERS_WINDOW = timezone.timedelta(days=30)
YEAR = 365 * 24 * 3600


class CappedPaginator(Paginator):
    """A paginator that counts no further than ``MAX_PAGES`` pages: counting every published
    story would read them all on every page of a list. Older stories are found by search, tags
    and the sitemaps; ``capped`` says there are more than the pages offered."""

    capped = False

    @cached_property
    def count(self):
        limit = self.per_page * settings.LISTING_MAX_PAGES
        if hasattr(self.object_list, "values"):
            counted = self.object_list.order_by().values("pk")[: limit + 1].count()
        else:
            counted = self.object_list.count()
        self.capped = getattr(self.object_list, "capped", False) or counted > limit
        return min(counted, limit)


def paginate(request, queryset, per_page=None):
    """The requested page of ``queryset``; a page number that is not a page answers 404."""
    number = request.GET.get("page") or 1
    try:
        return CappedPaginator(queryset, per_page or settings.STORIES_PER_PAGE).page(number)
    except (InvalidPage, ValueError, TypeError) as error:
        raise Http404(_("No such page.")) from error


def home(request):
    stories = Story.objects.published().for_listing().with_photos()
    lead = stories.filter(featured=True).first() or stories.first()
    rest = list(stories.exclude(pk=lead.pk)[: HOME_SECONDARY + HOME_LATEST]) if lead else []
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "secondary": rest[:HOME_SECONDARY],
            "latest": rest[HOME_SECONDARY:],
            "section_blocks": Section.objects.with_latest_stories(SECTION_BLOCK_SIZE),
            "most_read": Story.objects.most_read(),
            "structured_data": metadata.home_data(request.build_absolute_uri),
        },
    )


def latest(request):
    page = paginate(request, Story.objects.published().for_listing().with_photos())
    return render(request, "articles/latest.html", {"page": page})


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    page = paginate(request, section.stories.published().for_listing().with_photos())
    data = metadata.collection_data(
        request.build_absolute_uri, section.name, section.get_absolute_url(), section.description
    )
    return render(
        request,
        "articles/section.html",
        {"section": section, "page": page, "structured_data": data},
    )


def live_context(request, story):
    """A live story's entries, a page of them, and what the polling script needs."""
    if not story.has_live_coverage:
        return {}
    entries = paginate(request, story.live_entries.for_page(), LIVE_ENTRIES_PER_PAGE)
    return {
        "entries_page": entries,
        "poll": story.is_live and story.is_published and entries.number == 1,
        "poll_seconds": LIVE_POLL_SECONDS,
        # The «N new entries» button in each plural form the language has (Intl.PluralRules).
        "new_entries_labels": {
            form: ngettext("%(count)s new entry", "%(count)s new entries", n)
            for form, n in (("one", 1), ("few", 2), ("many", 5), ("other", 5))
        },
    }


def story(request, section, pk, slug=None):
    # Published stories first: a reader's request then never reads the session, so the page
    # carries no Vary: Cookie and caches share it. Only other stories depend on who asks.
    story = Story.objects.published().for_detail().filter(pk=pk).first()
    if story is None and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        story = Story.objects.visible_to(request.user).for_detail().filter(pk=pk).first()
    if story is None:
        return withdrawn(request, pk)
    if request.path != story.get_absolute_url():
        return redirect(story, permanent=True)
    absolute = request.build_absolute_uri
    latest = Story.objects.published().for_listing().exclude(pk=story.pk)[:STORY_SIDEBAR]
    live = live_context(request, story)
    entries = live["entries_page"].object_list if live else ()
    response = render(
        request,
        "articles/story_detail.html",
        {
            "story": story,
            # The canonical address: never the address asked for, which may carry utm_… tags.
            "share_url": absolute(story.get_absolute_url()),
            "short_url": absolute(story.get_short_url()),
            "preview_image": metadata.story_image(story),
            "structured_data": metadata.story_data(story, absolute, entries=entries),
            "latest": latest,
            **live,
            "most_read": Story.objects.most_read(),
            "partner_links": PartnerLink.objects.shown(),
        },
    )
    if story.is_published:
        readership.count_view(request, story.pk)
        # Counted again each time the page cache answers for the view.
        response.viewed_story_pk = story.pk
    else:
        # A draft shown to its editors must never be cached by a browser or proxy.
        add_never_cache_headers(response)
    return response


def withdrawn(request, pk):
    """A withdrawn story's address answers 410 Gone with a short notice; any other, 404."""
    story = Story.objects.withdrawn().filter(pk=pk).first()
    if story is None:
        raise Http404(_("No such story."))
    context = {"withdrawn_at": story.moved_to_at(State.WITHDRAWN)}
    return render(request, "articles/story_withdrawn.html", context, status=410)


def preview(request, token):
    """A story through a shareable preview link: as it will look published, for nobody else."""
    link = PreviewLink.objects.from_token(token)
    if link is None:
        raise Http404(_("This preview link does not work: it is wrong, expired or revoked."))
    story = Story.objects.for_detail().get(pk=link.story_id)
    latest = Story.objects.published().for_listing().exclude(pk=story.pk)[:STORY_SIDEBAR]
    response = render(
        request,
        "articles/story_detail.html",
        {
            "story": story,
            "share_url": request.build_absolute_uri(story.get_absolute_url()),
            "short_url": request.build_absolute_uri(story.get_short_url()),
            "preview_image": metadata.story_image(story),
            "latest": latest,
            "partner_links": PartnerLink.objects.shown(),
            **live_context(request, story),
            "preview_link": link,
        },
    )
    # The token must not leak through the Referer of links on the page, nor stay in caches.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def corrections(request, kind=None):
    notes = Correction.objects.published()
    if kind is not None:
        if kind not in Correction.Kind.values:
            raise Http404(_("No such kind of note."))
        notes = notes.filter(kind=kind)
    page = paginate(request, notes.for_listing())
    return render(
        request,
        "articles/corrections.html",
        {"page": page, "kind": kind, "kinds": Correction.Kind.choices},
    )


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = Story.objects.published().filter(tags=tag)
    page = paginate(request, stories.for_listing().with_photos())
    data = metadata.collection_data(request.build_absolute_uri, tag.name, tag.get_absolute_url())
    return render(request, "articles/tag.html", {"tag": tag, "page": page, "structured_data": data})


def _quote_page(request, form, quotes):
    """A page of ``quotes`` narrowed by ``form``; with words, those words marked in each."""
    form.is_valid()  # invalid filters are shown and left out
    page = paginate(request, form.filter(quotes.for_listing()), QUOTES_PER_PAGE)
    if terms := parse_query(form.cleaned_data.get("q", "")):
        for quote in page.object_list:
            quote.snippet = snippet(quote.text, terms, words=QUOTE_SNIPPET_WORDS)
    return page


def newsmaker(request, slug):
    """A newsmaker's quote archive: every quote, newest first, searchable by word forms."""
    newsmaker = get_object_or_404(Newsmaker, slug=slug)
    form = QuoteFilterForm(request.GET)
    page = _quote_page(request, form, newsmaker.quotes.published())
    stories = (
        Story.objects.published().filter(quotes__speaker=newsmaker).distinct().for_listing()[:10]
    )
    absolute = request.build_absolute_uri
    return render(
        request,
        "articles/newsmaker.html",
        {
            "newsmaker": newsmaker,
            "form": form,
            "query": form.cleaned_data.get("q", ""),
            "page": page,
            "page_query": form.page_query(),
            "stories": stories,
            "structured_data": [
                *metadata.newsmaker_data(newsmaker, absolute),
                *metadata.quotations_data(page.object_list, absolute),
            ],
        },
    )


def quotes(request):
    """The latest quotes site-wide, by section and newsmaker, searchable by word forms."""
    sections = list(Section.objects.all())
    form = QuoteFilterForm(request.GET, sections=sections, speakers=Newsmaker.objects.all())
    published = Quote.objects.published()
    page = _quote_page(request, form, published)
    return render(
        request,
        "articles/quotes.html",
        {
            "form": form,
            "query": form.cleaned_data.get("q", ""),
            "speaker": form.cleaned_data.get("speaker"),
            "page": page,
            "page_query": form.page_query(),
            "most_quoted": published.filter(
                story__published_at__gte=timezone.now() - TOP_SPEAKERS_WINDOW
            ).most_quoted(TOP_SPEAKERS),
            "nav_sections": sections,
            "structured_data": metadata.quotations_data(
                page.object_list, request.build_absolute_uri
            ),
        },
    )


def source(request, slug):
    source = get_object_or_404(Source, slug=slug)
    cited = Q(sources=source) | Q(quotes__source=source)
    stories = Story.objects.published().filter(pk__in=Story.objects.filter(cited).values("pk"))
    page = paginate(request, stories.for_listing().with_photos())
    return render(request, "articles/source.html", {"source": source, "page": page})


def author(request, username):
    stories = Story.objects.published().filter(authors__username=username)
    if not stories.exists():
        # Staff accounts without published work are nobody's business.
        raise Http404(_("No such author."))
    author = get_object_or_404(get_user_model(), username=username)
    page = paginate(request, stories.for_listing().with_photos())
    return render(request, "articles/author.html", {"author": author, "page": page})


def live(request):
    """Stories covered live now, the latest update first; then those whose coverage ended."""
    now_live = (
        Story.objects.live_now().for_listing().with_photos().order_by("-live_updated_at", "-pk")
    )
    ended = Story.objects.live_ended().for_listing().with_photos().order_by("-live_ended_at", "-pk")
    return render(
        request,
        "articles/live.html",
        {"live_now": now_live[:LIVE_NOW_SHOWN], "page": paginate(request, ended)},
    )


def live_updates(request, pk):
    """What an open live page polls: the newest entries as HTML, in JSON.

    One small query decides; an unchanged story answers 304 to the browser's ETag, and a
    changed one is rendered once per change and language, then served from the cache. Public,
    cacheable for a few seconds: a proxy or CDN in front answers most polls by itself.
    """
    story = (
        Story.objects.published()
        .filter(pk=pk, live_started_at__isnull=False)
        .select_related("section")
        .only(*LIVE_STATE_FIELDS)
        .first()
    )
    if story is None:
        raise Http404(_("No live coverage here."))
    etag = f'"{story.live_version()}"'
    changed = story.live_updated_at or story.live_started_at
    response = get_conditional_response(request, etag=etag, last_modified=changed.timestamp())
    if response is None:
        key = f"live-updates:{story.live_version()}:{get_language()}"
        payload = caching.get(key)
        if payload is None:
            payload = json.dumps(live_payload(request, story), ensure_ascii=False)
            caching.set(key, payload, LIVE_PAYLOAD_SECONDS)
        response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp())
    patch_cache_control(response, public=True, max_age=LIVE_POLL_MAX_AGE)
    return response


def live_payload(request, story):
    entries = story.live_entries.for_page()[:LIVE_UPDATES_SIZE]
    return {
        "live": story.is_live,
        "entries": [
            {
                "id": entry.pk,
                "pinned": entry.pinned,
                # As the page's data-posted and data-updated say them: the script compares.
                "posted": timezone.localtime(entry.posted_at).isoformat(),
                "updated": timezone.localtime(entry.updated_at).isoformat(),
                "html": render_to_string(
                    "includes/live_entry.html", {"entry": entry, "story": story}, request
                ),
            }
            for entry in entries
        ],
    }


def short_link(request, code):
    """``/s/<code>/`` answers 301 to the story's canonical address."""
    pk = sharing.pk_from_short_code(code)
    story = get_object_or_404(
        Story.objects.visible_to(request.user).select_related("section"), pk=pk or 0
    )
    if not story.is_published:
        # A preview for staff: the address may still change, so nothing may remember it.
        return redirect(story)
    return redirect(story, permanent=True)


def share_card(request, code, key):
    """The picture a story without a photo unfurls with (``sharing.share_card``)."""
    pk = sharing.pk_from_short_code(code)
    story = get_object_or_404(Story.objects.published().select_related("section"), pk=pk or 0)
    if story.get_share_card_url() != request.path:
        # An old headline's card: send previews to the current one.
        return redirect(story.get_share_card_url())
    name = sharing.share_card(story)
    response = FileResponse(default_storage.open(name), content_type="image/png")
    # The address changes with the picture, so it may be kept for as long as anyone likes.
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response


def robots_txt(request):
    """Crawlers may read everything readers can, except searches; the sitemap says where."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    # The Google News sitemap has fields of its own; the others are plain.
    template = "sitemaps/news.xml" if section == "news" else "sitemap.xml"
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name=template)


def search(request):
    sections = list(Section.objects.all())
    form = SearchForm(request.GET, sections=sections)
    form.is_valid()  # invalid filters are shown and left out; the words are always searched
    query = form.cleaned_data.get("q", "")
    terms = parse_query(query)
    page = suggestions = None
    if query:
        stories = form.filter(Story.objects.published().for_search_results().with_photos())
        results = RankedResults(stories.search_tiers(terms), stories.search(terms))
        with transaction.atomic(using=stories.db):  # for RankedResults' planner settings
            page = paginate(request, results)
        for story in page.object_list:
            story.snippet = snippet(story.lede + " " + plain_text(story.body), terms)
        if not page.object_list:
            suggestions = Story.objects.published().for_listing()[:SEARCH_SUGGESTIONS]
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "page_query": form.page_query(),
            "suggestions": suggestions,
            "nav_sections": sections,
        },
    )
