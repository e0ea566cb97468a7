"""Page benchmark: renders reader pages in-process and prints requests per second and latency.

Run with ``make bench``. It builds a throwaway database (SQLite in a temporary folder, or the
database DATABASE_URL names), loads the demo content, then requests each page ``--requests``
times through Django's full stack (middleware, views, templates, database), without a network.
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
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Newsmaker, Story

    setup_test_environment()
    settings.DEBUG = True  # to count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    if connection.vendor != "sqlite":
        from django.test.utils import get_runner

        runner = get_runner(settings)(verbosity=0)
        old_config = runner.setup_databases()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())

    story = Story.objects.published().filter(quotes__isnull=False).first()
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "latest": "/news/",
        "tag": story.tags.first().get_absolute_url(),
        "newsmaker": Newsmaker.objects.filter(quotes__isnull=False).first().get_absolute_url(),
        "search": "/search/?q=Казахстан",
    }
    client = Client()
    print(f"database: {connection.vendor}, {args.requests} requests per page")
    print(f"{'page':<10} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        for _ in range(10):  # warm up caches and connections
            client.get(url)
        timings = []
        for _ in range(args.requests):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        queries = len(connection.queries)
        timings.sort()
        median = statistics.median(timings) * 1000
        p95 = timings[int(len(timings) * 0.95) - 1] * 1000
        rate = len(timings) / sum(timings)
        print(f"{name:<10} {rate:>8.0f} {median:>10.2f} {p95:>8.2f} {queries:>8}")
    if connection.vendor != "sqlite":
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
