"""Counting story views without writing to the database on a page view.

A view of a published story by a reader (not a bot, not a prefetch) increments a counter in the
cache (Redis when ``REDIS_URL`` is set, else the process's memory), one per story and hour. A
flush, every ``VIEW_COUNTS_FLUSH_SECONDS`` in each process and by ``manage.py
flush_story_views``, adds the counters to ``StoryViews`` in a few queries, takes what it wrote
off the counters (views counted meanwhile stay) and ranks the most read stories again.

The cache is never trusted to be there: when it is down or emptied, views go uncounted for a
while and the ranking keeps the figures of the last flush; no reader sees an error.

Keys, for each hour ``H`` (``YYYYMMDDHH`` UTC): ``views:H:<story pk>`` the count,
``views:H:n`` how many stories were viewed, ``views:H:slot:<i>`` the pk of the i-th — the cache
API cannot list keys, so each hour keeps its own list, grown with atomic increments.
"""

import contextlib
import logging
import re
import threading
import time
import uuid
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from .models import MostRead, StoryViews
from .models.readership import WINDOW, hour_of

logger = logging.getLogger(__name__)

# Counters outlive the hour they count by a day, so a flush that was late still finds them.
COUNTER_TIMEOUT = int((WINDOW + timezone.timedelta(hours=24)).total_seconds())
LOCK = "views:flush-lock"
LOCK_TIMEOUT = 300
# User agents of crawlers, link previews, monitors and scripts: not readers.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|facebookcatalog|embedly|"
    r"preview|vkshare|whatsapp|telegram|skype|discord|slack|yandex(?!browser)|bingpreview|"
    r"mediapartners|lighthouse|headless|phantomjs|selenium|puppeteer|playwright|"
    r"pingdom|uptime|monitor|statuscake|check_http|curl|wget|python|java/|go-http|okhttp|"
    r"libwww|httpclient|axios|node-fetch|scrapy|feedfetcher|rss|validator",
    re.IGNORECASE,
)

_flusher = None
_flusher_lock = threading.Lock()


def is_reader(request):
    """Whether the request is a person opening the page: not a bot, a prefetch or a HEAD."""
    if request.method != "GET":
        return False
    agent = request.headers.get("User-Agent", "")
    if len(agent) < 10 or BOTS.search(agent):
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    return "prefetch" not in purpose.lower() and "prerender" not in purpose.lower()


def _hour_key(moment):
    return hour_of(moment.astimezone(UTC)).strftime("%Y%m%d%H")


def _count_key(hour, pk):
    return f"views:{hour}:{pk}"


def _incr(key, delta=1):
    """Increment ``key``, creating it when missing; atomic on Redis and in memory."""
    try:
        return cache.incr(key, delta)
    except ValueError:
        if cache.add(key, delta, COUNTER_TIMEOUT):
            return delta
        return cache.incr(key, delta)


def count_view(request, story_pk):
    """Count a reader's view of the published story ``story_pk``; costs the cache one or a few
    operations and the database nothing."""
    if not is_reader(request):
        return
    hour = _hour_key(timezone.now())
    key = _count_key(hour, story_pk)
    try:
        if cache.add(key, 1, COUNTER_TIMEOUT):
            # The story's first view this hour: list it, for the flush to find.
            slot = _incr(f"views:{hour}:n")
            cache.set(f"views:{hour}:slot:{slot}", story_pk, COUNTER_TIMEOUT)
        else:
            _incr(key)
    except Exception:  # the cache is down: the reader still gets the page
        logger.warning("Story views not counted: the cache is not answering.", exc_info=True)
        return
    start_flusher()


def pending(now=None):
    """``{(story_pk, hour): views}`` counted in the cache and not yet flushed, over the hours
    whose counters may still exist."""
    now = now or timezone.now()
    hours = [hour_of(now) - timezone.timedelta(hours=h) for h in range(COUNTER_TIMEOUT // 3600)]
    counts = {}
    for hour in hours:
        name = _hour_key(hour)
        listed = cache.get(f"views:{name}:n")
        if not listed:
            continue
        slots = cache.get_many([f"views:{name}:slot:{i}" for i in range(1, listed + 1)])
        keys = {_count_key(name, pk): pk for pk in set(slots.values())}
        for key, views in cache.get_many(list(keys)).items():
            if views and views > 0:
                counts[(keys[key], hour)] = views
    return counts


class CacheUnavailable(Exception):
    """The cache does not answer: nothing can be flushed."""


def flush(now=None):
    """Add the views counted in the cache to the database and rank the most read stories again.

    Returns how many views were written, or None when another flush is running. One flush at
    a time (a lock in the cache): two would write the same views twice.
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    try:
        if not cache.add(LOCK, token, LOCK_TIMEOUT):
            return None
        counts = pending(now)
    except Exception as error:
        raise CacheUnavailable(str(error) or error.__class__.__name__) from error
    try:
        written = StoryViews.objects.add(counts)
        for (pk, hour), views in counts.items():
            # Take off what was written; views counted since stay for the next flush. A counter
            # that expired or was emptied meanwhile has nothing to take off.
            with contextlib.suppress(ValueError):
                cache.decr(_count_key(_hour_key(hour), pk), views)
        StoryViews.objects.prune(now)
        MostRead.objects.rank(now)
        return written
    finally:
        try:
            if cache.get(LOCK) == token:
                cache.delete(LOCK)
        except Exception:  # the lock expires by itself
            pass


def _flush_every(seconds):
    while True:
        time.sleep(seconds)
        try:
            flush()
        except Exception:  # try again next time; never end the thread
            logger.warning("Story views not flushed.", exc_info=True)
        finally:
            connections.close_all()


def start_flusher():
    """Flush this process's counts every ``VIEW_COUNTS_FLUSH_SECONDS`` from a background thread,
    started with the first view counted (needed with the in-memory cache, which no other
    process can read)."""
    global _flusher
    seconds = settings.VIEW_COUNTS_FLUSH_SECONDS
    if seconds <= 0 or _flusher is not None:
        return
    with _flusher_lock:
        if _flusher is None:
            _flusher = threading.Thread(
                target=_flush_every, args=(seconds,), name="flush-story-views", daemon=True
            )
            _flusher.start()
