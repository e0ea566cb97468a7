"""`make faults`: the production server under load, and what it does when things break.

Starts `make serve` (gunicorn, DEBUG off) against PostgreSQL and Redis, holds 64 connections on
the home, story, search and feed pages for a minute (wrk, or a Python load loop without it) and
counts 5xx answers; then, each under load again, restarts PostgreSQL, stops Redis for a while
and kills a gunicorn worker with SIGKILL, and says when errors were seen and whether the site
recovered by itself. PostgreSQL and Redis are started again whatever happens.

Needs root (or the postgres cluster's owner) to restart PostgreSQL. Settings from the environment:
FAULTS_DATABASE_URL (postgres://postgres@127.0.0.1:5432/newsroom_faults), FAULTS_REDIS_URL
(redis://127.0.0.1:6379/7), FAULTS_PORT (8170), FAULTS_SECONDS (60), FAULTS_CONNECTIONS (64),
FAULTS_WORKERS (2 per core + 1), FAULTS_OUTAGE_SECONDS (10: how long Redis stays down),
FAULTS_SKIP (e.g. "postgres,redis": faults left out, to try the script without disturbing them).
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
LOG_DIR = ROOT / "var" / "faults"

DATABASE_URL = os.environ.get(
    "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_faults"
)
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/7")
PORT = int(os.environ.get("FAULTS_PORT", "8170"))
SECONDS = int(os.environ.get("FAULTS_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("FAULTS_CONNECTIONS", "64"))
WORKERS = int(os.environ.get("FAULTS_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
OUTAGE = int(os.environ.get("FAULTS_OUTAGE_SECONDS", "10"))
SKIP = set(filter(None, os.environ.get("FAULTS_SKIP", "").split(",")))
FAULT_THREADS = 16  # the load loop while faults happen: enough to have requests in flight
GRACE = 3.0  # seconds after a service is back in which errors still count as the outage's


def say(text):
    print(f"== {text}", flush=True)


def run(*args, check=True, **kwargs):
    return subprocess.run(args, check=check, capture_output=True, text=True, **kwargs)


# --- Services -----------------------------------------------------------------------------------


def pg_cluster():
    """(version, name) of the local PostgreSQL cluster, from pg_lsclusters."""
    line = run("pg_lsclusters", "--no-header").stdout.split("\n")[0].split()
    return line[0], line[1]


def pg_ready():
    host = urlsplit(DATABASE_URL).hostname or "127.0.0.1"
    return run("pg_isready", "-q", "-h", host, check=False).returncode == 0


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def redis_cli(*args):
    url = urlsplit(REDIS_URL)
    return run(
        "redis-cli", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 6379), *args,
        check=False,
    )  # fmt: skip


def redis_up():
    return redis_cli("ping").stdout.strip() == "PONG"


def redis_config():
    """How the running Redis was started, to start it again the same way after stopping it."""
    config = {}
    for name in ("bind", "port", "dir", "save", "appendonly", "maxmemory", "maxmemory-policy"):
        lines = redis_cli("config", "get", name).stdout.splitlines()
        if len(lines) == 2:
            config[name] = lines[1]
    return config


def start_redis(config):
    args = ["redis-server", "--daemonize", "yes"]
    for name, value in config.items():
        args += [f"--{name}", *value.split()] if name == "bind" else [f"--{name}", value]
    run(*args, check=False)
    return wait_for(redis_up, 20)


def start_postgres():
    version, name = pg_cluster()
    run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start", check=False)
    return wait_for(pg_ready, 60)


# --- The server ---------------------------------------------------------------------------------


class Server:
    """`make serve` on PORT, its output in var/faults/server.log."""

    def __init__(self):
        self.process = None
        self.log = None

    def environment(self):
        return {
            **os.environ,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "PORT": str(PORT),
            "WEB_CONCURRENCY": str(WORKERS),
            "LOG_LEVEL": "WARNING",
        }

    def prepare(self):
        """The database with the demo content (created when missing)."""
        name = urlsplit(DATABASE_URL).path.lstrip("/")
        admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
        exists = run("psql", admin, "-qAtc", f"select 1 from pg_database where datname='{name}'")
        if exists.stdout.strip() != "1":
            run("psql", admin, "-qc", f'create database "{name}"')
        env = {**self.environment(), "DEBUG": "1"}
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run(
            [PYTHON, "manage.py", "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        redis_cli("-n", urlsplit(REDIS_URL).path.lstrip("/") or "0", "flushdb")

    def start(self):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log = open(LOG_DIR / "server.log", "w")  # noqa: SIM115 (open for the server's life)
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not wait_for(lambda: get("/healthz")[0] == 200, 120):
            raise RuntimeError(f"the server did not answer; see {LOG_DIR / 'server.log'}")

    def master(self):
        """The gunicorn master: make's child, the shell that exec'd gunicorn."""
        children = run("pgrep", "-P", str(self.process.pid), check=False).stdout.split()
        return int(children[0])

    def workers(self):
        return [
            int(pid) for pid in run("pgrep", "-P", str(self.master()), check=False).stdout.split()
        ]

    def stop(self):
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.log:
            self.log.close()


def get(path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError as error:
        return None, str(error)
    finally:
        connection.close()


def reader_paths():
    """Home, a story, a search and a feed of the demo content."""
    status, home = get("/")
    if status != 200:
        raise RuntimeError(f"the home page answered {status}")
    story = re.search(r'href="(/news/[\w-]+/\d+-[\w-]+/)"', home).group(1)
    return [
        "/",
        story,
        "/search/?q=%D0%BA%D0%B0%D0%B7%D0%B0%D1%85%D1%81%D1%82%D0%B0%D0%BD",
        "/news/rss.xml",
    ]


# --- Load ---------------------------------------------------------------------------------------


def wrk_load(paths, seconds, connections):
    """wrk's figures: requests, requests per second, latencies, 5xx and socket errors."""
    result = run(
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
        "-s", str(ROOT / "faults" / "load.lua"), f"http://127.0.0.1:{PORT}", "--", *paths,
    )  # fmt: skip
    out = result.stdout

    def find(pattern, default="0"):
        found = re.search(pattern, out)
        return found.group(1) if found else default

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "output": out,
        "requests": int(find(r"(\d+) requests in")),
        "rps": float(find(r"Requests/sec:\s+([\d.]+)")),
        "latency_avg": find(r"Latency\s+([\d.]+\w+)"),
        "latency_p50": find(r"50%\s+([\d.]+\w+)"),
        "latency_p99": find(r"99%\s+([\d.]+\w+)"),
        "5xx": int(find(r"FAULTS 5xx=(\d+)")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


class LoadLoop:
    """Threads asking for ``paths`` in turn on kept-alive connections, every answer recorded
    with its time: an HTTP status, or "error" for a connection that failed."""

    def __init__(self, paths, threads):
        self.paths, self.threads = paths, threads
        self.results = []  # (monotonic time, status or "error")
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def worker(self, offset):
        connection, n = None, offset
        while not self.stopping.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                status = "error"
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.05)
            with self.lock:
                self.results.append((time.monotonic(), status))

    def __enter__(self):
        self.started = time.monotonic()
        self.pool = [
            threading.Thread(target=self.worker, args=(i,), daemon=True)
            for i in range(self.threads)
        ]
        for thread in self.pool:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.pool:
            thread.join(15)

    def failures(self, since=0.0, until=float("inf")):
        with self.lock:
            return [
                (at, status)
                for at, status in self.results
                if since <= at <= until and (status == "error" or status >= 500)
            ]


def fault(name, paths, action, seconds):
    """Run ``action`` under load; it returns (what happened, outage start, outage end)."""
    say(f"{name}: under load ({FAULT_THREADS} connections)")
    with LoadLoop(paths, FAULT_THREADS) as load:
        time.sleep(3)
        note, down, back = action()
        remaining = seconds - (time.monotonic() - load.started)
        time.sleep(max(remaining, 8))
    total = len(load.results)
    failures = load.failures()
    outside = load.failures(until=down) + load.failures(since=back + GRACE)
    last = max((at for at, _ in failures), default=None)
    counts = Counter("error" if s == "error" else str(s) for _, s in failures)
    tail = [status for at, status in load.results if at >= load.results[-1][0] - 5]
    row = {
        "fault": name,
        "requests": total,
        "errors": sum(counts.values()),
        "kinds": ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "none",
        "outage": f"{back - down:.1f} s",
        "outside": len(outside),
        "recovered": "yes" if tail and all(s != "error" and s < 500 for s in tail) else "NO",
        "last_error": f"{last - back:+.1f} s" if last else "-",
        "note": note,
    }
    say(
        f"{name}: {total} requests, {row['errors']} errors ({row['kinds']}), "
        f"{row['outside']} outside the outage, recovered: {row['recovered']}; {note}"
    )
    return row


def restart_postgres():
    version, name = pg_cluster()
    down = time.monotonic()
    run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart", "-m", "fast")
    wait_for(pg_ready, 60)
    back = time.monotonic()
    return f"pg_ctlcluster {version} {name} restart -m fast took {back - down:.1f} s", down, back


def stop_redis(config):
    def action():
        down = time.monotonic()
        redis_cli("shutdown", "nosave")
        time.sleep(1)
        health = get("/healthz")[0]
        pages = [get(path)[0] for path in ["/", "/admin/login/"]]
        time.sleep(max(OUTAGE - 1, 0))
        start_redis(config)
        back = time.monotonic()
        return (
            (
                f"down {back - down:.0f} s; while down /healthz {health}, home and sign-in page "
                f"{'/'.join(map(str, pages))}"
            ),
            down,
            back,
        )

    return action


def kill_worker(server):
    def action():
        before = server.workers()
        victim = before[0]
        down = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: len(server.workers()) == len(before) and victim not in server.workers(), 30
        )
        back = time.monotonic()
        return (
            f"worker {victim} of {len(before)} killed; replaced after {back - down:.1f} s",
            down,
            back,
        )

    return action


# --- The run ------------------------------------------------------------------------------------


def report(load, rows, paths):
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Run of {now}: {WORKERS} gunicorn workers, PostgreSQL and Redis on this machine "
        f"({os.cpu_count()} cores, shared), pages {', '.join(paths)}.",
        "",
        "| phase | requests | per second | latency avg / p50 / p99 | 5xx | socket errors |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| load: {CONNECTIONS} connections, {SECONDS} s | {load['requests']} | "
        f"{load['rps']:.0f} | {load['latency_avg']} / {load['latency_p50']} / "
        f"{load['latency_p99']} | {load['5xx']} | {load['socket_errors']} |",
        "",
        "| fault | requests | errors (kind) | outage | errors outside it | recovered by itself "
        "| last error after recovery | what happened |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['fault']} | {row['requests']} | {row['errors']} ({row['kinds']}) | "
            f"{row['outage']} | {row['outside']} | {row['recovered']} | {row['last_error']} | "
            f"{row['note']} |"
        )
    return "\n".join(lines)


def main():
    for tool in ("pg_ctlcluster", "pg_isready", "psql", "redis-cli", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"make faults needs {tool}")
    if not pg_ready() or not redis_up():
        sys.exit("make faults needs PostgreSQL and Redis running")
    redis = redis_config()
    server = Server()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        say(f"preparing {DATABASE_URL}")
        server.prepare()
        say(f"starting make serve on port {PORT} ({WORKERS} workers, REDIS_URL={REDIS_URL})")
        server.start()
        paths = reader_paths()
        for path in paths:
            get(path)  # warm up
        say(f"load: {CONNECTIONS} connections for {SECONDS} s on {', '.join(paths)}")
        if shutil.which("wrk"):
            load = wrk_load(paths, SECONDS, CONNECTIONS)
        else:
            with LoadLoop(paths, CONNECTIONS) as loop:
                time.sleep(SECONDS)
            statuses = [s for _, s in loop.results]
            load = {
                "requests": len(statuses),
                "rps": len(statuses) / SECONDS,
                "latency_avg": "-", "latency_p50": "-", "latency_p99": "-",
                "5xx": sum(1 for s in statuses if s != "error" and s >= 500),
                "socket_errors": statuses.count("error"),
            }  # fmt: skip
        say(
            f"load: {load['requests']} requests, {load['rps']:.0f}/s, 5xx: {load['5xx']}, "
            f"socket errors: {load['socket_errors']}"
        )
        fault_seconds = max(20, OUTAGE + 12)
        faults = [
            ("postgres", "PostgreSQL restarted", restart_postgres),
            ("redis", "Redis stopped", stop_redis(redis)),
            ("worker", "gunicorn worker killed (SIGKILL)", kill_worker(server)),
        ]
        rows = [
            fault(name, paths, action, fault_seconds)
            for key, name, action in faults
            if key not in SKIP
        ]
        table = report(load, rows, paths)
        print("\n" + table + "\n", flush=True)
        (LOG_DIR / "report.md").write_text(table + "\n")
        if load.get("output"):
            (LOG_DIR / "wrk.txt").write_text(load["output"])
        held = load["5xx"] == 0 and load["socket_errors"] == 0
        survived = all(row["recovered"] == "yes" and row["outside"] == 0 for row in rows)
        say(f"load held: {'yes' if held else 'NO'}; faults survived: {'yes' if survived else 'NO'}")
        return 0 if held and survived else 1
    finally:
        server.stop()
        # Whatever happened, the services others use are running again.
        if not redis_up():
            say("starting Redis again")
            start_redis(redis)
        if not pg_ready():
            say("starting PostgreSQL again")
            start_postgres()


if __name__ == "__main__":
    sys.exit(main())
