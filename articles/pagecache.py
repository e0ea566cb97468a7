"""Whole reader pages kept for anonymous readers, and the HTTP headers that let browsers, proxies
and CDNs keep them too.

**One version for the whole site.** Every cached page is keyed on the site's version
(``SiteVersion``): any change a reader could see (a story published, edited, corrected,
withdrawn or deleted, a live entry, a quote, a tag, a section...) writes a new version, and from
that moment every page is looked up under the new key; the old copies are never read again and
expire by themselves. Working out which of the home page, the sections, tags, newsmakers,
feeds, sitemaps and searches a story appears on would be slower and easy to get wrong; a
newsroom changes its site a few times a minute at most, and a page costs tens of milliseconds
to render again. A scheduled story changes pages with no save at all: the version row says when
the next one comes due, and the first request after that moment writes a new version.

**Where the version lives.** In the database (one row read by primary key per request),
so that every process and every app server sees a change at once even when pages are kept in
each process's memory; with a shared cache (Redis, ``REDIS_URL``) a copy of it in the cache,
written on every change, spares the database the read.

**What is kept.** Only answers to GET requests without a session cookie, 200 OK, that set no
cookie, do not vary on cookies and chose no caching of their own (previews, drafts shown to
editors and the admin say ``private``, ``no-cache``). Requests with a session cookie are never
answered from the cache, and their reader pages are marked private.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import router, transaction
from django.db.models import Min
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.functional import cached_property
from django.utils.http import http_date, parse_http_date_safe

from . import caching

logger = logging.getLogger(__name__)

VERSION_KEY = "site-version"


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime
    next_due: datetime | None

    @property
    def is_due(self):
        return self.next_due is not None and self.next_due <= timezone.now()


def shared_cache():
    """Whether every process reads the same cache (Redis), so the version may be kept there."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def next_due():
    """When the next scheduled story or correction becomes public (None: nothing scheduled)."""
    from .models import Correction, Story

    now = timezone.now()
    times = [
        Story.objects.scheduled().aggregate(due=Min("published_at"))["due"],
        Correction.objects.filter(published_at__gt=now).aggregate(due=Min("published_at"))["due"],
    ]
    return min((t for t in times if t is not None), default=None)


def _write_version(using=None):
    model = _site_version_model()
    row, _created = model.objects.using(using or router.db_for_write(model)).update_or_create(
        pk=1,
        defaults={
            "token": uuid.uuid4().hex,
            "changed_at": timezone.now(),
            "next_due": next_due(),
        },
    )
    version = Version(row.token, row.changed_at, row.next_due)
    if shared_cache():
        caching.set(VERSION_KEY, version, None)
    return version


def site_changed(using=None):
    """Something readers can see changed: every cached page is stale once it is committed.

    The new version is written after the commit, once however many changes the transaction
    made. Written any sooner, a reader's request could render the data as it was before the
    commit and keep it under the new version, stale until it expired.
    """
    using = using or router.db_for_write(_site_version_model())
    connection = transaction.get_connection(using)
    pending = getattr(connection, "site_version_pending", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return  # this transaction writes a new version already

    def write():
        connection.site_version_pending = None
        _write_version(using)

    connection.site_version_pending = write
    transaction.on_commit(write, using=using)


def _site_version_model():
    from .models import SiteVersion

    return SiteVersion


def current_version():
    """The site's version; a new one when a scheduled story has come due since."""
    version = caching.get(VERSION_KEY) if shared_cache() else None
    if version is None:
        model = _site_version_model()
        row = model.objects.using(router.db_for_write(model)).filter(pk=1).first()
        if row is None:
            return _write_version()
        version = Version(row.token, row.changed_at, row.next_due)
        if shared_cache():
            caching.set(VERSION_KEY, version, None)
    if version.is_due:
        version = _write_version()
    return version


@dataclass(frozen=True)
class Entry:
    """A kept page: enough to answer again without the view."""

    status: int
    headers: tuple
    content: bytes
    story_pk: int | None

    def response(self):
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


class PageCacheMiddleware:
    """Answers anonymous readers' GET requests from the page cache, keeps what it may, and
    sets ``Cache-Control``, ``ETag`` and ``Last-Modified`` on reader pages (304 to a matching
    conditional request). Goes after WhiteNoise and before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def private_prefixes(self):
        return (reverse("admin:index"), "/healthz")

    def __call__(self, request):
        if not self.is_reader_request(request):
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and self.is_reader_page(
                request, response
            ):
                # A signed-in reader's copy is theirs alone.
                add_never_cache_headers(response)
            return response

        version = self.version()
        key = version and self.key(request, version)
        entry = key and caching.get(key)
        if entry is not None:
            if entry.story_pk is not None:
                from . import readership

                readership.count_view(request, entry.story_pk)
            return self.conditional(request, entry.response())

        response = self.get_response(request)
        if not self.is_reader_page(request, response):
            return response
        self.add_http_headers(response, version)
        if key and request.method == "GET":
            caching.set(key, self.entry(response), self.timeout(version))
        return self.conditional(request, response)

    def is_reader_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and not request.path_info.startswith(self.private_prefixes)
        )

    def is_reader_page(self, request, response):
        """A public answer every reader gets alike: the same for everyone who asks."""
        return (
            response.status_code == 200
            and not response.streaming
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(self.private_prefixes)
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
            and not response.has_header("Cache-Control")
        )

    def version(self):
        if settings.PAGE_CACHE_SECONDS <= 0:
            return None
        try:
            return current_version()
        except Exception:  # the page is served all the same, just not from the cache
            logger.warning("The site version could not be read.", exc_info=True)
            return None

    def key(self, request, version):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return f"page:{version.token}:{digest}"

    def timeout(self, version):
        """No longer than the setting, and not past the next scheduled change."""
        seconds = settings.PAGE_CACHE_SECONDS
        if version.next_due is not None:
            seconds = min(seconds, (version.next_due - timezone.now()).total_seconds())
        return max(int(seconds), 1)

    def conditional(self, request, response):
        """304 Not Modified when the reader's copy is this one."""
        modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=modified, response=response
        )

    def add_http_headers(self, response, version):
        set_response_etag(response)
        if version and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(version.changed_at.timestamp())
        patch_cache_control(
            response,
            public=True,
            max_age=settings.HTTP_MAX_AGE,
            s_maxage=settings.HTTP_SHARED_MAX_AGE,
            stale_while_revalidate=settings.HTTP_STALE_SECONDS,
        )

    def entry(self, response):
        return Entry(
            status=response.status_code,
            headers=tuple(response.items()),
            content=response.content,
            story_pk=getattr(response, "viewed_story_pk", None),
        )
