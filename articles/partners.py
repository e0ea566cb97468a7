"""Fetching partner feeds: download with a deadline and a size cap, read the headlines, keep them.

A partner's feed is someone else's server: it may be down, slow, endless, malformed or hostile.
``download`` gives up after ``PARTNER_FEED_TIMEOUT`` seconds in all (not per read: a server that
trickles a byte a second is cut off too) and past ``PARTNER_FEED_MAX_BYTES``; ``read_feed``
(feedparser) keeps only a plain-text title and an http(s) address of each entry. A feed that
fails keeps the headlines of its last good fetch, and the failure is logged and shown to editors.
"""

import io
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from urllib.parse import urljoin, urlsplit

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

logger = logging.getLogger(__name__)

MAX_LINKS = 10
TITLE_LENGTH = 300
URL_LENGTH = 500
CHUNK = 64 * 1024
USER_AGENT = "Newsroom partner news (+{site})"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters no honest address carries unencoded; quotes and brackets are markup's.
_NOT_IN_URLS = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')
_http_url = URLValidator(schemes=["http", "https"])


class FeedError(Exception):
    """Why a feed could not be read, in one line for the log, the command and the admin."""


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    published_at: datetime | None = None


@dataclass(frozen=True)
class Result:
    feed: object
    links: int = 0
    error: str = ""

    @property
    def ok(self):
        return not self.error


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib also follows them to ftp)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FeedError(f"redirected to a non-web address: {newurl[:100]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_HttpOnlyRedirects)


def download(url, *, timeout=None, max_bytes=None):
    """The body of ``url``, or ``FeedError``: refused past ``max_bytes`` or ``timeout`` seconds."""
    timeout = settings.PARTNER_FEED_TIMEOUT if timeout is None else timeout
    max_bytes = settings.PARTNER_FEED_MAX_BYTES if max_bytes is None else max_bytes
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedError("not an http(s) address")
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT.format(site=settings.SITE_URL), "Accept": ACCEPT}
    )
    deadline = time.monotonic() + timeout
    try:
        with _opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FeedError(f"larger than {max_bytes // 1024} KB")
            chunks, size = [], 0
            while chunk := response.read1(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FeedError(f"larger than {max_bytes // 1024} KB")
                if time.monotonic() > deadline:
                    raise FeedError(f"took longer than {timeout:g} s")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as error:
        raise FeedError(f"the server answered {error.code}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, FeedError):
            raise reason from error
        if isinstance(reason, TimeoutError):
            raise FeedError(f"took longer than {timeout:g} s") from error
        raise FeedError(f"unreachable: {reason}") from error
    except TimeoutError as error:
        raise FeedError(f"took longer than {timeout:g} s") from error
    except (OSError, ValueError) as error:
        # Connection reset, a broken HTTP response, an address urllib cannot use...
        raise FeedError(f"could not be read: {error.__class__.__name__}") from error


def plain_title(text):
    """A headline as plain text: no markup, entities decoded, whitespace collapsed, capped."""
    text = unescape(strip_tags(unescape(text or "")))
    text = " ".join(_CONTROL.sub(" ", text).split())
    return Truncator(text).chars(TITLE_LENGTH)


def web_address(href, base):
    """``href`` made absolute against ``base`` if it is an http(s) address a reader may open."""
    href = (href or "").strip()
    if not href or _NOT_IN_URLS.search(href):
        return ""
    url = urljoin(base, href)
    if len(url) > URL_LENGTH or urlsplit(url).scheme not in ("http", "https"):
        return ""
    try:
        _http_url(url)
    except ValidationError:
        return ""
    return url


def _entry_time(entry):
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return min(datetime(*parsed[:6], tzinfo=UTC), timezone.now())
    except (TypeError, ValueError):
        return None


def read_feed(data, base_url):
    """The first ``MAX_LINKS`` usable entries of an RSS or Atom document, as :class:`Link`."""
    # A file object, never bytes: feedparser would take bytes for a file name and open it.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": base_url})
    links, seen = [], set()
    for entry in parsed.entries:
        title = plain_title(entry.get("title"))
        url = web_address(entry.get("link"), base_url)
        if not title or not url or url in seen:
            continue
        seen.add(url)
        links.append(Link(title, url, _entry_time(entry)))
        if len(links) == MAX_LINKS:
            break
    if not links:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise FeedError(f"not a feed: {str(problem)[:200] or 'unreadable'}")
        raise FeedError("no headlines with an http(s) address")
    return links


def fetch(feed, *, timeout=None, max_bytes=None):
    """Fetch one ``PartnerFeed`` and store its headlines; on failure keep the old ones and log."""
    try:
        links = read_feed(download(feed.url, timeout=timeout, max_bytes=max_bytes), feed.url)
    except FeedError as error:
        message = str(error)
        logger.warning("Partner feed %s (%s): %s", feed.name, feed.url, message)
        feed.record_failure(message)
        return Result(feed, error=message)
    feed.store(links)
    return Result(feed, links=len(links))


def fetch_all(feeds, **options):
    return [fetch(feed, **options) for feed in feeds]
