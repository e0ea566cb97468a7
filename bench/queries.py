"""Prints, as JSON, the database queries one request for each address costs, in-process.

Each address is requested once to warm the process's caches, then once more with the queries
captured: what a warm server process spends on it. Also prints the settings the benchmark
reports (``None`` where a site has no such setting). Used by ``bench/run.py`` with both sites'
settings (``DJANGO_SETTINGS_MODULE``), so it needs Django only.

    DJANGO_SETTINGS_MODULE=newsroom.settings python bench/queries.py / /news/ …
"""

import json
import sys
from pathlib import Path

REPORTED_SETTINGS = ["PAGE_CACHE_SECONDS"]

if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for url in sys.argv[1:]:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[url] = len(captured) if response.status_code == 200 else None
        if counts[url] is None:
            print(f"{url} answered {response.status_code}", file=sys.stderr)
    reported = {name: getattr(settings, name, None) for name in REPORTED_SETTINGS}
    print(json.dumps({"queries": counts, "settings": reported}))
