"""Load benchmark: Newsroom served as in production against a Wagtail news site and nginx.

``make bench`` runs it. For each corpus size it makes (or reuses) a PostgreSQL database of
generated stories (``bench/corpus.py``) and a Wagtail database of the same stories
(``bench/wagtail_site``), serves Newsroom with ``make serve`` and Wagtail with the same gunicorn
settings, puts nginx in front of Newsroom with the production micro-cache
(``deploy/newsroom-proxy.conf``) and serves the story's HTML as a static file beside it, then
drives each page with wrk from another process for a fixed time. Everything listens on 127.0.0.1.

It prints one table (page, size, requests/s, p50, p99, queries per request, ratio to the
nearest Wagtail page) and writes it as JSON under ``bench/results/`` with the date and the
machine. A database already generated with the same seed, size and generator is reused.

    python bench/run.py [--sizes 1000,100000] [--seed 1] [--duration 10]
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WAGTAIL_DIR = BENCH / "wagtail_site"
WAGTAIL_VENV = Path(os.environ.get("WAGTAIL_VENV", BENCH / ".venv-wagtail"))
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
RESULTS = BENCH / "results"
MEDIA = ROOT / "var" / "bench" / "media"
WRK_SCRIPT = BENCH / "wrk_report.lua"
PROXY_CONF = ROOT / "deploy" / "newsroom-proxy.conf"
SEARCH_WORD = "бюджета"

# What decides a generated database's content: change any and it is generated again.
FINGERPRINTED = [
    BENCH / "corpus.py",
    BENCH / "corpus.json",
    WAGTAIL_DIR / "news" / "models.py",
    WAGTAIL_DIR / "news" / "management" / "commands" / "generate_news.py",
    *sorted((ROOT / "articles" / "demo_stories").glob("*.txt")),
]

# Each Newsroom page and the Wagtail page nearest to it; the targets are ratios of their rates.
NEAREST = {
    "home": "index",
    "section": "index",
    "story": "article",
    "tag": "tag",
    "newsmaker": "index",
    "search": "search",
    "feed": "index",
    "sitemap": "sitemap",
}
TARGETS = {"story": 3.0}  # uncached story vs Wagtail article; other pages: DEFAULT_TARGET
DEFAULT_TARGET = 2.0
CACHED_STORY_TARGET = 0.25  # cached story vs nginx serving the same HTML as a file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda value: [int(size) for size in value.split(",") if size.strip()],
        default=[1000, 100000],
        help="corpus sizes in stories, comma-separated (default: 1000,100000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds each page is measured (default: 10)"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default: 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per site")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a database name in it is left aside); databases "
        "newsroom_bench_* and wagtail_bench_* are made there",
    )
    parser.add_argument("--port", type=int, default=18400, help="first of the 4 ports it uses")
    parser.add_argument("--no-wagtail", action="store_true", help="measure Newsroom only")
    parser.add_argument("--prepare-only", action="store_true", help="make the databases and stop")
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the databases even if they exist"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument(
        "--markdown", type=Path, metavar="RESULTS_JSON", help="print a results file as Markdown"
    )
    args = parser.parse_args(argv)
    if not args.sizes or any(size < 1 for size in args.sizes):
        parser.error("--sizes needs positive numbers of stories, e.g. 1000,100000")
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    url = urlsplit(args.postgres)
    if not url.scheme.startswith("postgres"):
        parser.error("--postgres needs a postgres:// address")
    args.postgres = urlunsplit((url.scheme, url.netloc, "", "", ""))
    return args


def log(message):
    print(f"== {message}", flush=True)


# -- databases ---------------------------------------------------------------------------------


def fingerprint(seed, size):
    digest = hashlib.sha256(f"{seed}:{size}".encode())
    for path in FINGERPRINTED:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def db_names(seed, size):
    return f"newsroom_bench_{size}_s{seed}", f"wagtail_bench_{size}_s{seed}"


def psql(server, database, sql, params=()):
    import psycopg

    with psycopg.connect(f"{server}/{database}", autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def stamped(server, database, stamp):
    """Whether ``database`` exists and was completely generated with ``stamp``."""
    if not psql(server, "postgres", "SELECT 1 FROM pg_database WHERE datname = %s", (database,)):
        return False
    if not psql(server, database, "SELECT to_regclass('bench_stamp')")[0][0]:
        return False  # generation did not finish
    rows = psql(server, database, "SELECT value FROM bench_stamp WHERE key = 'corpus'")
    return bool(rows) and rows[0][0] == stamp


def recreate(server, database):
    psql(server, "postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql(server, "postgres", f'CREATE DATABASE "{database}"')


def stamp_database(server, database, stamp):
    psql(server, database, "CREATE TABLE bench_stamp (key text PRIMARY KEY, value text)")
    psql(server, database, "INSERT INTO bench_stamp VALUES ('corpus', %s)", (stamp,))


def run(command, env=None, cwd=ROOT, quiet=False):
    subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare(args, size):
    """The Newsroom and Wagtail databases of ``size`` stories, generated or reused."""
    newsroom_db, wagtail_db = db_names(args.seed, size)
    stamp = fingerprint(args.seed, size)
    newsroom_url = f"{args.postgres}/{newsroom_db}"
    env = {
        "DATABASE_URL": newsroom_url,
        "DEBUG": "1",
        "SECRET_KEY": "bench-corpus",
        "MEDIA_ROOT": str(MEDIA),  # the demo stories' images, for the server to find
    }
    if not args.regenerate and stamped(args.postgres, newsroom_db, stamp):
        log(f"{newsroom_db}: reused (seed {args.seed}, {size} stories)")
    else:
        log(f"{newsroom_db}: generating {size} stories (seed {args.seed})")
        started = time.perf_counter()
        recreate(args.postgres, newsroom_db)
        python = str(VENV / "bin" / "python")
        run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
        run([python, "manage.py", "load_demo"], env, quiet=True)
        run([python, "bench/corpus.py", "--stories", str(size), "--seed", str(args.seed)], env)
        stamp_database(args.postgres, newsroom_db, stamp)
        log(f"{newsroom_db}: generated in {time.perf_counter() - started:.0f} s")
    if args.no_wagtail:
        return newsroom_url, None
    wagtail_url = f"{args.postgres}/{wagtail_db}"
    if not args.regenerate and stamped(args.postgres, wagtail_db, stamp):
        log(f"{wagtail_db}: reused")
    else:
        log(f"{wagtail_db}: copying the same stories into Wagtail pages")
        started = time.perf_counter()
        recreate(args.postgres, wagtail_db)
        wenv = {"WAGTAIL_DATABASE_URL": wagtail_url, "SECRET_KEY": "bench-corpus"}
        python = str(WAGTAIL_VENV / "bin" / "python")
        run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], wenv, WAGTAIL_DIR)
        run([python, "manage.py", "generate_news", "--source", newsroom_url], wenv, WAGTAIL_DIR)
        stamp_database(args.postgres, wagtail_db, stamp)
        log(f"{wagtail_db}: generated in {time.perf_counter() - started:.0f} s")
    return newsroom_url, wagtail_url


def newsroom_pages(url):
    """The addresses of the measured Newsroom pages in the database at ``url``."""
    server, database = url.rsplit("/", 1)

    def one(sql):
        return psql(server, database, sql)[0]

    # The wire story: a demo story imported from wire text, the one the Wagtail site also has.
    story_id, story_slug, story_section = one(
        "SELECT s.id, s.slug, c.slug FROM articles_story s"
        " JOIN articles_section c ON c.id = s.section_id"
        " WHERE s.import_ref LIKE 'demo:%%' AND s.status = 'published'"
        " ORDER BY (SELECT count(*) FROM articles_quote q WHERE q.story_id = s.id) DESC,"
        " length(s.body) DESC, s.id LIMIT 1"
    )
    (section,) = one(
        "SELECT c.slug FROM articles_section c JOIN articles_story s ON s.section_id = c.id"
        " GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1"
    )
    tag, tag_name = one(
        "SELECT g.slug, g.name FROM articles_tag g JOIN articles_taggedstory t ON t.tag_id = g.id"
        " GROUP BY g.slug, g.name ORDER BY count(*) DESC, g.slug LIMIT 1"
    )
    (newsmaker,) = one(
        "SELECT n.slug FROM articles_newsmaker n JOIN articles_quote q ON q.speaker_id = n.id"
        " GROUP BY n.slug ORDER BY count(*) DESC, n.slug LIMIT 1"
    )
    pages = {
        "home": "/",
        "section": f"/news/{section}/",
        "story": f"/news/{story_section}/{story_id}-{story_slug}/",
        "tag": f"/tags/{tag}/",
        "newsmaker": f"/people/{newsmaker}/",
        "search": f"/search/?q={quote(SEARCH_WORD)}",
        "feed": "/news/rss.xml",
        "sitemap": "/sitemap-stories.xml",
    }
    return pages, {"story_id": story_id, "story_slug": story_slug, "tag_name": tag_name}


def wagtail_pages(found):
    return {
        "index": "/",
        "article": f"/{found['story_id']}-{found['story_slug']}/"[:257],
        "tag": f"/?tag={quote(found['tag_name'])}",
        "search": f"/search/?query={quote(SEARCH_WORD)}",
        "sitemap": "/sitemap.xml",
    }


# -- servers -----------------------------------------------------------------------------------


class Servers:
    """The processes a size's measurement needs, stopped together however it ends."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []

    def start(self, name, command, port, env=None, cwd=ROOT):
        logfile = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so that its children stop with it
        )
        self.processes.append((name, process, logfile))
        wait_for_port(port, process, self.workdir / f"{name}.log")
        return process

    def stop(self):
        for _name, process, logfile in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            logfile.close()
        self.processes = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def wait_for_port(port, process, logpath, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"it stopped before answering on port {port}; see {logpath}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"nothing answered on port {port} within {timeout} s; see {logpath}")


def nginx_config(workdir, app_port, front_port, static_port):
    """An nginx configuration for a user process: the production micro-cache in front of the
    app on one port, the story's HTML as a static file on another."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    default_type application/octet-stream;
    types {{ text/html html; }}
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy_temp;
    fastcgi_temp_path {workdir}/fastcgi_temp;
    uwsgi_temp_path {workdir}/uwsgi_temp;
    scgi_temp_path {workdir}/scgi_temp;
    proxy_cache_path {workdir}/cache levels=1:2 keys_zone=newsroom:10m max_size=1g inactive=10m
        use_temp_path=off;
    map $upstream_http_cache_control $newsroom_private {{
        ~*(private|no-store|no-cache) 1;
        default "";
    }}
    upstream newsroom_app {{
        server 127.0.0.1:{app_port};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{front_port};
        server_name localhost;
        include {PROXY_CONF};
    }}
    server {{
        listen 127.0.0.1:{static_port};
        root {workdir}/static;
    }}
}}
"""


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def count_queries(python, settings, env, pages, cwd=ROOT):
    """Queries per request of each page, one request in-process after a warm-up one, and the
    settings ``bench/queries.py`` reports."""
    output = subprocess.run(
        [str(python), str(BENCH / "queries.py"), *pages.values()],
        cwd=cwd,
        env={
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": settings,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
        },
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return {name: report["queries"][url] for name, url in pages.items()}, report["settings"]


# -- measuring ---------------------------------------------------------------------------------


def wrk(url, args, duration):
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def parse_wrk(output):
    """The JSON line ``wrk_report.lua`` prints at the end, as rate and latencies in ms."""
    line = next(line for line in output.splitlines()[::-1] if line.startswith("{"))
    report = json.loads(line)
    seconds = report["duration_us"] / 1e6
    errors = sum(report["errors"].values())
    return {
        "requests": report["requests"],
        "rps": round(report["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(report["p50_us"] / 1000, 2),
        "p99_ms": round(report["p99_us"] / 1000, 2),
        "errors": errors,
        "non_2xx": report["errors"].get("status", 0),
    }


def settle(url, timeout=300):
    """Waits until the server behind ``url`` has answered the requests wrk left queued: a slow
    page leaves the workers busy after wrk stops, and the next page would be measured on them.
    A sync worker takes queued requests in order, so one answered request means they are done."""
    origin = "/".join(url.split("/", 3)[:3])
    try:
        with urllib.request.urlopen(f"{origin}/bench-settle/", timeout=timeout):
            pass
    except urllib.error.HTTPError:  # a 404 answers as well as anything
        pass
    except OSError as error:
        log(f"{origin} did not answer within {timeout} s after the last page: {error}")


FAILED = {"requests": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": 1, "non_2xx": 1}


def measure(rows, args, size, site, page, url, queries=None, mode="uncached"):
    row = {"page": page, "site": site, "mode": mode, "size": size, "url": url}
    try:
        fetch(url)  # one complete answer first: a cache is filled, wrk's windows measure use
    except (OSError, urllib.error.HTTPError) as error:  # a page that fails is a finding too
        row.update(FAILED, failed=str(error))
    else:
        if args.warmup:
            wrk(url, args, args.warmup)
        row.update(wrk(url, args, args.duration))
    row["queries"] = queries
    settle(url)
    rows.append(row)
    print(format_row(row), flush=True)
    return row


def bench_size(args, size, newsroom_url, wagtail_url, rows):
    workdir = ROOT / "var" / "bench" / str(size)
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "static").mkdir(parents=True)
    app_port, wagtail_port, front_port, static_port, cached_port = range(args.port, args.port + 5)
    pages, found = newsroom_pages(newsroom_url)
    secret = f"bench-{os.getpid()}"
    newsroom_env = {
        "DATABASE_URL": newsroom_url,
        "SECRET_KEY": secret,
        "MEDIA_ROOT": str(MEDIA),
        "REDIS_URL": "",
        "VIEW_COUNTS_FLUSH_SECONDS": "0",
        "WEB_CONCURRENCY": str(args.workers),
    }
    # The app's own page cache, where there is one, is off here: these are the rendering figures.
    uncached_env = {**newsroom_env, "PAGE_CACHE_SECONDS": "0"}
    wagtail_env = {"WAGTAIL_DATABASE_URL": wagtail_url, "SECRET_KEY": secret}
    python = VENV / "bin" / "python"
    with Servers(workdir) as servers:
        log(f"{size} stories: starting Newsroom (make serve), Wagtail and nginx")
        uncached_env = serve_newsroom(servers, workdir, "newsroom", app_port, uncached_env)
        app = f"http://127.0.0.1:{app_port}"
        queries, app_settings = count_queries(python, "newsroom.settings", uncached_env, pages)
        page_cache = app_settings["PAGE_CACHE_SECONDS"] is not None
        if page_cache:
            newsroom_env = serve_newsroom(
                servers, workdir, "newsroom-cached", cached_port, newsroom_env
            )
            cached_queries, _ = count_queries(python, "newsroom.settings", newsroom_env, pages)
        if wagtail_url:
            servers.start(
                "wagtail",
                [
                    str(WAGTAIL_VENV / "bin" / "gunicorn"),
                    "wsite.wsgi:application",
                    f"--bind=127.0.0.1:{wagtail_port}",
                    f"--workers={args.workers}",
                    "--preload",
                    "--access-logfile=-",
                ],
                wagtail_port,
                wagtail_env,
                WAGTAIL_DIR,
            )
            wpages = wagtail_pages(found)
            wqueries, _ = count_queries(
                WAGTAIL_VENV / "bin" / "python", "wsite.settings", wagtail_env, wpages, WAGTAIL_DIR
            )
        (workdir / "static" / "story.html").write_bytes(fetch(app + pages["story"]))
        config = workdir / "nginx.conf"
        upstream = cached_port if page_cache else app_port
        config.write_text(nginx_config(workdir, upstream, front_port, static_port))
        servers.start(
            "nginx",
            ["nginx", "-p", str(workdir), "-c", str(config), "-e", "stderr",
             "-g", "daemon off;"],
            static_port,
        )  # fmt: skip

        # Each Newsroom page and then, the first time, the Wagtail page nearest to it: figures
        # compared with each other are taken close together, whatever else the machine does.
        wagtail = f"http://127.0.0.1:{wagtail_port}"
        for page, url in pages.items():
            measure(rows, args, size, "newsroom", page, app + url, queries[page])
            nearest = NEAREST[page]
            if wagtail_url and not any(
                r["site"] == "wagtail" and r["page"] == nearest and r["size"] == size for r in rows
            ):
                measure(
                    rows, args, size, "wagtail", nearest, wagtail + wpages[nearest],
                    wqueries[nearest],
                )  # fmt: skip
        if wagtail_url:  # the Wagtail pages nearest to none
            for page, url in wpages.items():
                if page not in NEAREST.values():
                    measure(rows, args, size, "wagtail", page, wagtail + url, wqueries[page])
        if page_cache:
            cached = f"http://127.0.0.1:{cached_port}"
            for page, url in pages.items():
                measure(
                    rows, args, size, "newsroom", page, cached + url, cached_queries[page],
                    mode="page cache",
                )  # fmt: skip
        front = f"http://127.0.0.1:{front_port}"
        for page, url in pages.items():
            measure(rows, args, size, "newsroom", page, front + url, 0, mode="nginx cache")
            if page == "story":
                measure(
                    rows, args, size, "nginx", "static story",
                    f"http://127.0.0.1:{static_port}/story.html", 0, mode="static file",
                )  # fmt: skip


def serve_newsroom(servers, workdir, name, port, env):
    """Newsroom as production serves it: ``make serve`` (gunicorn, DEBUG off, WhiteNoise)."""
    env = {
        **env,
        "NEWSROOM_VAR_DIR": str(workdir / name),
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    servers.start(name, ["make", "--no-print-directory", "serve", f"PORT={port}"], port, env)
    return env  # for bench/queries.py: the same database, settings and collected static files


# -- reporting ---------------------------------------------------------------------------------


def machine():
    """What the figures depend on besides the code."""

    def version(command):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return ((done.stdout or done.stderr).strip().splitlines() or [None])[0]

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "hostname": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": version(["psql", "--version"]),
        "wrk": version(["wrk", "--version"]),
        "nginx": version(["nginx", "-v"]),
        "wagtail": version(
            [
                str(WAGTAIL_VENV / "bin" / "python"),
                "-c",
                "import wagtail; print(wagtail.__version__)",
            ]
        ),
        "commit": version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
    }


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def ratios(rows):
    """Each Newsroom page's rate over its nearest Wagtail page's (and the cached story's over
    nginx's static file), with the target, per size."""
    rate = {(r["site"], r["mode"], r["page"], r["size"]): r["rps"] for r in rows}
    out = []
    for (site, mode, page, size), rps in rate.items():
        if site != "newsroom":
            continue
        if mode == "uncached" and (other := rate.get(("wagtail", "uncached", NEAREST[page], size))):
            target = TARGETS.get(page, DEFAULT_TARGET)
            against = f"wagtail {NEAREST[page]}"
        elif mode == "nginx cache" and page == "story":
            other = rate.get(("nginx", "static file", "static story", size))
            target, against = CACHED_STORY_TARGET, "nginx static"
        else:
            continue
        if other:
            ratio = rps / other
            out.append(
                {
                    "page": page,
                    "mode": mode,
                    "size": size,
                    "against": against,
                    "ratio": round(ratio, 2),
                    "target": target,
                    "met": ratio >= target,
                }
            )
    return out


def format_row(row):
    queries = "" if row["queries"] is None else row["queries"]
    errors = f" errors {row['errors']}" if row["errors"] else ""
    if row.get("failed"):
        errors = f" FAILED: {row['failed']}"
    return (
        f"{row['site'] + ' ' + row['page']:<22} {row['mode']:<12} {row['size']:>7} "
        f"{row['rps']:>9.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {queries!s:>7}{errors}"
    )


HEADER = f"{'page':<22} {'mode':<12} {'stories':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
HEADER += f"{'queries':>7}"


def format_table(result):
    lines = [HEADER, *(format_row(row) for row in result["rows"])]
    if result["ratios"]:
        lines += ["", f"{'ratio':<40} {'stories':>7} {'ratio':>7} {'target':>7}"]
        for r in result["ratios"]:
            name = f"{r['page']} ({r['mode']}) / {r['against']}"
            mark = "met" if r["met"] else "NOT MET"
            lines.append(f"{name:<40} {r['size']:>7} {r['ratio']:>7.2f} {r['target']:>7.2f} {mark}")
    return "\n".join(lines)


def format_markdown(result):
    """The table and the ratios as Markdown, for docs/performance.md."""
    lines = [
        "| page | served by | stories | req/s | p50 ms | p99 ms | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        queries = "" if r["queries"] is None else r["queries"]
        if r.get("failed"):
            queries = f"{queries} (failed: {r['failed']})"
        elif r["errors"]:
            queries = f"{queries} ({r['errors']} errors)"
        lines.append(
            f"| {r['site']} {r['page']} | {r['mode']} | {r['size']:,} | {r['rps']:,.0f} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {queries} |"
        )
    if result.get("ratios"):
        lines += ["", "| ratio | stories | measured | target |", "| --- | ---: | ---: | ---: |"]
        for r in result["ratios"]:
            mark = "" if r["met"] else " (not met)"
            lines.append(
                f"| {r['page']} ({r['mode']}) / {r['against']} | {r['size']:,} "
                f"| {r['ratio']:.2f}{mark} | {r['target']:.2f} |"
            )
    return "\n".join(lines)


def write_results(result, out):
    """Writes ``result`` as JSON named for its date and host; returns the path."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = result["started"].replace(":", "").replace("-", "")[:15]
    path = out / f"{stamp}Z-{result['machine']['hostname']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return path


def main(argv=None):
    args = parse_args(argv)
    if args.markdown:
        print(format_markdown(json.loads(args.markdown.read_text())))
        return None
    if not args.no_wagtail and not (WAGTAIL_VENV / "bin" / "gunicorn").exists():
        sys.exit(f"the Wagtail site's virtualenv is missing: `make {WAGTAIL_VENV}` makes it")
    started = datetime.now(UTC)
    result = {
        "started": started.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": machine(),
        "load_before": load_average(),
        "settings": {
            "seed": args.seed,
            "sizes": args.sizes,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "gunicorn_workers": args.workers,
        },
        "rows": [],
    }
    databases = {size: prepare(args, size) for size in args.sizes}
    if args.prepare_only:
        return None
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian, Ubuntu) or see wrk's README")
    if shutil.which("nginx") is None:
        sys.exit("nginx is not installed: `apt-get install nginx-light` (Debian, Ubuntu)")
    print(HEADER, flush=True)
    for size in args.sizes:
        bench_size(args, size, *databases[size], result["rows"])
    result["load_after"] = load_average()
    result["took_s"] = round((datetime.now(UTC) - started).total_seconds())
    result["ratios"] = ratios(result["rows"])
    print()
    print(format_table(result))
    path = write_results(result, args.out)
    print(f"\nload average before {result['load_before']}, after {result['load_after']}")
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path


if __name__ == "__main__":
    main()
