"""Page benchmark: renders reader pages in-process and prints requests per second and latency.

Run with ``make bench``. It builds a throwaway database (SQLite in a temporary folder, or the
database DATABASE_URL names), loads the demo content, then requests each page ``--requests``
times through Django's full stack (middleware, views, templates, database), without a network.

Then it measures the search page on a generated corpus (``bench/corpus.py``) grown to each of
``--search-sizes`` stories: a common word, a rare one, a surname, several words, a phrase, a
Kazakh word matched by its beginning, and a word found nowhere.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument(
        "--search-sizes",
        default=None,
        help="corpus sizes for the search measurement, comma-separated "
        "(default: 1000 on SQLite, 1000,100000 on PostgreSQL; 0 to skip)",
    )
    parser.add_argument("--search-requests", type=int, default=50, help="requests per query")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.setdefault("NEWSROOM_VAR_DIR", tmp)
    os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from articles.models import LiveEntry, Newsmaker, Story

    setup_test_environment()
    settings.DEBUG = True  # to count queries
    # Static files as they are: the bench measures pages, not collectstatic.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    if connection.vendor != "sqlite":
        from django.test.utils import get_runner

        runner = get_runner(settings)(verbosity=0)
        old_config = runner.setup_databases()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())

    story = Story.objects.published().filter(quotes__isnull=False).first()
    live = Story.objects.published().exclude(pk=story.pk).first()
    live.start_live()
    for minute in range(60):
        LiveEntry.objects.create(
            story=live,
            body=f"Запись трансляции номер {minute}.",
            posted_at=timezone.now() - timezone.timedelta(minutes=minute),
        )
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "latest": "/news/",
        "tag": story.tags.first().get_absolute_url(),
        "newsmaker": Newsmaker.objects.filter(quotes__isnull=False).first().get_absolute_url(),
        "search": "/search/?q=Казахстан",
        "quotes": "/quotes/",
        "live": "/live/",
        "live-story": live.get_absolute_url(),
        "live-poll": f"/live/{live.pk}/updates.json",
    }
    # A browser's user agent: story views are counted, as they are for readers.
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
    print(f"database: {connection.vendor}, {args.requests} requests per page")
    print(f"{'page':<10} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        measure(client, name, url, args.requests)
    etag = client.get(pages["live-poll"])["ETag"]
    measure(client, "live-304", pages["live-poll"], args.requests, status=304,
            HTTP_IF_NONE_MATCH=etag)  # fmt: skip

    sizes = args.search_sizes or ("1000,100000" if connection.vendor == "postgresql" else "1000")
    sizes = [int(size) for size in sizes.split(",") if int(size)]
    if sizes:
        search_bench(client, sizes, args.search_requests)
    if connection.vendor != "sqlite":
        runner.teardown_databases(old_config)


def measure(client, name, url, requests, width=10, note="", status=200, **headers):
    """Request ``url`` ``requests`` times and print the rate, latency and queries per request."""
    from django.db import connection, reset_queries

    for _ in range(10):  # warm up caches and connections
        client.get(url, **headers)
    timings = []
    for _ in range(requests):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, **headers)
        timings.append(time.perf_counter() - start)
        assert response.status_code == status, (url, response.status_code)
    queries = len(connection.queries)
    timings.sort()
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    rate = len(timings) / sum(timings)
    print(f"{name:<{width}} {rate:>8.0f} {median:>10.2f} {p95:>8.2f} {queries:>8} {note}".rstrip())


SEARCHES = {
    "common word": "бюджета",
    "rare word": None,  # a registration number from the corpus (see rare_word)
    "surname": "Ныгметову",
    "two words": "тарифы Караганды",
    "phrase": '"пресс-служба акимата"',
    "kazakh": "Қазақстан",
    "not found": "несуществующее",
}


def rare_word():
    """A number the corpus gives one story or two: «под номером 52817»."""
    import re

    from articles.models import Story

    body = Story.objects.published().filter(body__contains="под номером").values("body").first()
    return re.search(r"под номером (\d+)", body["body"]).group(1) if body else "52817"


def search_bench(client, sizes, requests):
    """The search page on a generated corpus grown to each of ``sizes`` stories."""
    from urllib.parse import urlencode

    from django.db import connection

    from articles.models import Story
    from bench.corpus import generate

    generated = 0
    for size in sorted(sizes):
        start = time.perf_counter()
        generate(size - generated, seed=size, stdout=io.StringIO())
        took = time.perf_counter() - start
        generated = size
        print(
            f"\nsearch, {connection.vendor}, corpus of {Story.objects.count()} stories "
            f"(generated in {took:.0f} s), {requests} requests per query"
        )
        print(f"{'query':<14} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} found")
        for name, query in SEARCHES.items():
            query = query or rare_word()
            found = Story.objects.published().search(query).count()
            url = "/search/?" + urlencode({"q": query})
            measure(client, name, url, requests, width=14, note=f"{found:>5}")


if __name__ == "__main__":
    main()
