"""Several app servers: settings for a shared database with a read replica, Redis for the cache
and sessions, object storage for uploads; and two real servers that see each other's changes."""

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Section, SiteVersion, Story
from newsroom import replicas

from .adminforms import form_fields

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def settings_in(tmp_path, script, **env):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    result = subprocess.run(
        [PYTHON, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = "
         "'newsroom.settings'; django.setup(); from django.conf import settings as s; " + script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_one_server_keeps_everything_in_the_database_and_its_memory(tmp_path):
    printed = settings_in(
        tmp_path,
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], sorted(s.DATABASES), "
        "s.STORAGES['default']['BACKEND'])",
    )

    assert printed == [
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.locmem.LocMemCache",
        "['default']",
        "django.core.files.storage.FileSystemStorage",
    ]


def test_several_servers_share_redis_a_replica_and_object_storage(tmp_path):
    printed = settings_in(
        tmp_path,
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.DATABASES['replica']['HOST'], "
        "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'])",
        REDIS_URL="redis://cache.internal:6379/0",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/newsroom",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
    )

    assert printed == [
        "django.contrib.sessions.backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
        "replica.internal",
        "storages.backends.s3.S3Storage",
        "newsroom-media",
    ]


# --- The replica router ----------------------------------------------------------------------


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replicas, "configured", lambda: True)


def database_read_for(request, model):
    middleware = replicas.ReplicaMiddleware(lambda r: HttpResponse(router.db_for_read(model)))
    return middleware(request).content.decode()


def test_anonymous_readers_read_from_the_replica(with_replica):
    request = RequestFactory().get("/news/")

    assert database_read_for(request, Story) == "replica"
    assert router.db_for_read(Story) == "default"  # outside a reader's request


def test_the_admin_signed_in_users_and_forms_read_from_the_primary(with_replica):
    factory = RequestFactory()
    signed_in = factory.get("/news/")
    signed_in.COOKIES["sessionid"] = "anything"

    for request in (factory.get("/admin/articles/story/"), signed_in, factory.post("/news/")):
        assert database_read_for(request, Story) == "default", request.path
    assert router.db_for_write(Story) == "default"


def test_sessions_and_the_site_version_always_come_from_the_primary(with_replica):
    request = RequestFactory().get("/")

    assert database_read_for(request, SiteVersion) == "default"
    assert database_read_for(request, get_user_model()) == "default"


def test_without_a_replica_everything_reads_the_primary():
    assert database_read_for(RequestFactory().get("/news/"), Story) == "default"


# --- Two app servers -------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


class Browser:
    """A browser with cookies, for the admin of a running server."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def two_servers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two app servers need a database both can reach: run on PostgreSQL")
    if not _redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database,
        "REDIS_URL": "redis://127.0.0.1:6379/5",
        "CACHE_KEY_PREFIX": f"newsroom-test-{uuid.uuid4().hex}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REQUIRE_2FA": "0",
        "PAGE_CACHE_SECONDS": "300",
        "VIEW_COUNTS_FLUSH_SECONDS": "0",
    }
    collected = subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        log = (tmp_path / f"server-{port}.log").open("w")
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "newsroom.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        )  # fmt: skip
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if Browser(url).open("/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        yield urls
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.mark.servers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_made_on_one_server_is_read_at_once_on_the_other(two_servers):
    one, other = two_servers
    get_user_model().objects.create_superuser("chief", "chief@example.kz", "long-pass-phrase-1")
    section = Section.objects.create(name="Политика")
    story = Story.objects.create(
        headline="Первый заголовок",
        section=section,
        body="<p>Текст.</p>",
        status=Story.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(minutes=1),
    )
    reader = Browser(other)
    assert "Первый заголовок" in reader.open(story.get_absolute_url())[1]
    assert "Первый заголовок" in reader.open("/")[1]
    # Written behind the site's back: the other server answers from its cache, kept in Redis.
    Story.objects.filter(pk=story.pk).update(lede="Тихая правка")
    assert "Тихая правка" not in reader.open(story.get_absolute_url())[1]

    editor = Browser(one)
    login = editor.open("/admin/login/")[1]
    signed_in = editor.open(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": editor.token(login), "username": "chief",
         "password": "long-pass-phrase-1", "next": "/admin/"},
    )  # fmt: skip
    assert signed_in[0] == 200 and "logout" in signed_in[1].lower()
    path = f"/admin/articles/story/{story.pk}/change/"
    fields = form_fields(editor.open(path)[1], "story_form")
    fields["headline"] = ["Исправленный заголовок"]
    fields["_save"] = ["Save"]
    status, _ = editor.open(path, fields)
    assert status == 200 and Story.objects.get(pk=story.pk).headline == "Исправленный заголовок"

    page = reader.open(story.get_absolute_url())[1]
    assert "Исправленный заголовок" in page and "Тихая правка" in page
    assert "Исправленный заголовок" in reader.open("/")[1]
