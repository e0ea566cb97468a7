"""Reader pages. Each view fetches through a queryset method and renders one template."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .forms import SearchForm
from .models import Correction, Newsmaker, PreviewLink, Section, Source, State, Story, Tag
from .richtext import plain_text
from .search import parse_query, snippet

SECTION_BLOCK_SIZE = 4
HOME_SECONDARY = 2
HOME_LATEST = 9
STORY_SIDEBAR = 6
SEARCH_SUGGESTIONS = 5


def paginate(request, queryset, per_page=None):
    """The requested page of ``queryset``; a page number that is not a page answers 404."""
    number = request.GET.get("page") or 1
    try:
        return Paginator(queryset, per_page or settings.STORIES_PER_PAGE).page(number)
    except (InvalidPage, ValueError, TypeError) as error:
        raise Http404(_("No such page.")) from error


def home(request):
    stories = Story.objects.published().for_listing()
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
        },
    )


def latest(request):
    page = paginate(request, Story.objects.published().for_listing())
    return render(request, "articles/latest.html", {"page": page})


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    page = paginate(request, section.stories.published().for_listing())
    return render(request, "articles/section.html", {"section": section, "page": page})


def story(request, section, pk, slug=None):
    story = Story.objects.visible_to(request.user).for_detail().filter(pk=pk).first()
    if story is None:
        return withdrawn(request, pk)
    if request.path != story.get_absolute_url():
        return redirect(story, permanent=True)
    share_url = request.build_absolute_uri(story.get_absolute_url())
    latest = Story.objects.published().for_listing().exclude(pk=story.pk)[:STORY_SIDEBAR]
    response = render(
        request,
        "articles/story_detail.html",
        {"story": story, "share_url": share_url, "latest": latest},
    )
    if not story.is_published:
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
            "latest": latest,
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
    page = paginate(request, Story.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


def newsmaker(request, slug):
    newsmaker = get_object_or_404(Newsmaker, slug=slug)
    page = paginate(request, newsmaker.quotes.published().for_listing())
    stories = (
        Story.objects.published().filter(quotes__speaker=newsmaker).distinct().for_listing()[:10]
    )
    return render(
        request,
        "articles/newsmaker.html",
        {"newsmaker": newsmaker, "page": page, "stories": stories},
    )


def source(request, slug):
    source = get_object_or_404(Source, slug=slug)
    cited = Q(sources=source) | Q(quotes__source=source)
    stories = Story.objects.published().filter(pk__in=Story.objects.filter(cited).values("pk"))
    page = paginate(request, stories.for_listing())
    return render(request, "articles/source.html", {"source": source, "page": page})


def author(request, username):
    stories = Story.objects.published().filter(authors__username=username)
    if not stories.exists():
        # Staff accounts without published work are nobody's business.
        raise Http404(_("No such author."))
    author = get_object_or_404(get_user_model(), username=username)
    page = paginate(request, stories.for_listing())
    return render(request, "articles/author.html", {"author": author, "page": page})


def live(request):
    stories = Story.objects.published().for_listing()[:20]
    return render(request, "articles/live.html", {"stories": stories})


def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters are shown and left out; the words are always searched
    query = form.cleaned_data.get("q", "")
    terms = parse_query(query)
    page = suggestions = None
    if query:
        stories = form.filter(Story.objects.published().for_listing().search(terms))
        page = paginate(request, stories)
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
        },
    )
