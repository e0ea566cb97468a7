"""Partner news: feeds served by a local test server (good, slow, broken, huge, hostile) are
fetched with a deadline and a size cap, keep their last good headlines, and reach story pages as
plain titles and http(s) links only."""

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import partners
from articles.models import PartnerFeed, PartnerLink

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "partners"
TIMEOUT = 0.5
MAX_BYTES = 64 * 1024


class FeedHandler(BaseHTTPRequestHandler):
    """Serves ``server.routes[path]``: a fixture file name or one of the misbehaviours."""

    def log_message(self, *args):
        pass

    def send(self, body, status=200, content_type="application/rss+xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path, "missing")
        try:
            if route == "missing":
                self.send(b"<h1>Not found</h1>", 404, "text/html")
            elif route == "error":
                self.send(b"<h1>Internal Server Error</h1>", 500, "text/html")
            elif route == "slow":
                time.sleep(TIMEOUT * 4)
                self.send(FIXTURES.joinpath("good-rss.xml").read_bytes())
            elif route == "trickle":
                # Headers at once, then a byte at a time, for ever: every read succeeds.
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
                for _ in range(200):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif route == "huge":
                # No Content-Length: the size shows only while reading.
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
                item = (
                    b"<item><title>"
                    + b"x" * 1000
                    + b"</title><link>https://a.example/</link></item>"
                )
                for _ in range(MAX_BYTES // len(item) * 4):
                    self.wfile.write(item)
            elif route == "huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"<rss>")
            elif route == "ftp-redirect":
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1/feed.xml")
                self.end_headers()
            elif route.startswith("redirect:"):
                self.send_response(301)
                self.send_header("Location", route.removeprefix("redirect:"))
                self.end_headers()
            else:
                body = FIXTURES.joinpath(route).read_text()
                body = body.replace("LONGTITLE", "Очень " * 200).replace("LONGURL", "a" * 600)
                self.send(body.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@pytest.fixture(scope="module")
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    server.routes, server.requests = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def serve(feed_server, settings):
    """``serve("/path.xml", route)`` → the address of a feed the test server answers."""
    settings.PARTNER_FEED_TIMEOUT = TIMEOUT
    settings.PARTNER_FEED_MAX_BYTES = MAX_BYTES
    feed_server.routes.clear()
    feed_server.requests.clear()
    host, port = feed_server.server_address

    def serve(path, route):
        feed_server.routes[path] = route
        return f"http://{host}:{port}{path}"

    return serve


@pytest.fixture
def closed_port():
    """An address nothing listens on: the partner's server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_feed(url, name="Курсив", **fields):
    return PartnerFeed.objects.create(name=name, url=url, **fields)


def titles(feed):
    return list(feed.links.order_by("position").values_list("title", flat=True))


def test_rss_feed_headlines_are_kept_in_feed_order(serve):
    feed = make_feed(serve("/rss.xml", "good-rss.xml"))

    result = partners.fetch(feed)

    assert result.ok and result.links == 3
    assert titles(feed) == [
        "Нацбанк сохранил базовую ставку на уровне 15,25%",
        "Цены на бензин в Алматы & Астане выросли",
        "Относительная ссылка на материал",
    ]
    feed.refresh_from_db()
    assert feed.succeeded_at is not None and feed.error == ""


def test_relative_links_are_made_absolute_against_the_feed(serve):
    url = serve("/rss.xml", "good-rss.xml")
    feed = make_feed(url)

    partners.fetch(feed)

    host = url.rsplit("/", 1)[0]
    assert feed.links.get(position=2).url == f"{host}/news/2024-03-01/relative/"


def test_atom_feed_titles_lose_their_markup(serve):
    feed = make_feed(serve("/atom.xml", "good-atom.xml"), name="Информбюро")

    partners.fetch(feed)

    assert titles(feed) == [
        "Погода: в Астане ожидается метель",
        "Аэропорт Шымкента открыл новый терминал",
    ]
    assert feed.links.get(position=0).published_at.isoformat() == "2024-03-01T11:00:00+00:00"


def test_hostile_feed_gives_plain_titles_and_web_links_only(serve):
    feed = make_feed(serve("/hostile.xml", "hostile.xml"))

    partners.fetch(feed)

    links = list(feed.links.order_by("position"))
    assert [link.url for link in links] == [
        "https://hostile.example/ok-story",
        "https://hostile.example/long-title",
    ]
    assert links[0].title == 'alert("title")Обычный заголовок'
    assert all("<" not in link.title and ">" not in link.title for link in links)
    assert len(links[1].title) <= partners.TITLE_LENGTH
    assert links[1].title.endswith("…")


def test_hostile_headlines_reach_the_story_page_escaped(client, serve, make_story):
    feed = make_feed(serve("/hostile.xml", "hostile.xml"), name='<b>"Партнёр"</b>')
    partners.fetch(feed)

    html = client.get(make_story().get_absolute_url()).content.decode()

    assert "javascript:" not in html and "data:text/html" not in html
    assert "<script>alert" not in html and "onerror=" not in html
    assert "&lt;b&gt;&quot;Партнёр&quot;&lt;/b&gt;" in html
    assert 'href="https://hostile.example/ok-story" rel="noopener nofollow sponsored"' in html


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("error", "the server answered 500"),
        ("missing", "the server answered 404"),
        ("malformed.xml", "not a feed"),
        ("slow", "took longer than 0.5 s"),
        ("trickle", "took longer than 0.5 s"),
        ("huge", "larger than 64 KB"),
        ("huge-declared", "larger than 64 KB"),
        ("ftp-redirect", "redirected to a non-web address"),
    ],
)
def test_failing_feed_keeps_its_last_good_headlines(serve, route, message):
    url = serve("/feed.xml", "good-rss.xml")
    feed = make_feed(url)
    partners.fetch(feed)
    good = titles(feed)

    serve("/feed.xml", route)
    started = time.monotonic()
    result = partners.fetch(feed)

    assert time.monotonic() - started < TIMEOUT * 3
    assert not result.ok and message in result.error
    assert titles(feed) == good
    feed.refresh_from_db()
    assert message in feed.error and feed.checked_at > feed.succeeded_at


def test_feed_whose_server_is_down_keeps_its_headlines(serve, closed_port):
    feed = make_feed(serve("/feed.xml", "good-rss.xml"))
    partners.fetch(feed)
    feed.url = f"http://127.0.0.1:{closed_port}/feed.xml"
    feed.save()

    result = partners.fetch(feed)

    assert "unreachable" in result.error
    assert len(titles(feed)) == 3


def test_entity_bomb_is_not_expanded_and_local_files_are_not_read(serve):
    feed = make_feed(serve("/bomb.xml", "bomb.xml"))

    started = time.monotonic()
    partners.fetch(feed)

    assert time.monotonic() - started < 5
    stored = "".join(titles(feed))
    assert "root:" not in stored
    assert len(stored) < 2 * partners.TITLE_LENGTH


def test_feed_body_that_names_a_local_file_is_not_opened(tmp_path):
    local = tmp_path / "feed.xml"
    local.write_text(FIXTURES.joinpath("good-rss.xml").read_text())
    with pytest.raises(partners.FeedError):
        partners.read_feed(str(local).encode(), "https://partner.example/feed.xml")


def test_redirect_to_another_feed_is_followed(serve):
    target = serve("/new.xml", "good-atom.xml")
    feed = make_feed(serve("/old.xml", f"redirect:{target}"))

    assert partners.fetch(feed).ok
    assert len(titles(feed)) == 2


def test_failure_is_logged(serve, caplog):
    feed = make_feed(serve("/feed.xml", "error"))

    with caplog.at_level(logging.WARNING, logger="articles.partners"):
        partners.fetch(feed)

    assert "Курсив" in caplog.text and "500" in caplog.text


def test_command_fetches_shown_feeds_and_reports_each(serve, feed_server):
    make_feed(serve("/rss.xml", "good-rss.xml"))
    make_feed(serve("/atom.xml", "good-atom.xml"), name="Информбюро")
    off = make_feed(serve("/off.xml", "good-rss.xml"), name="Выключен", enabled=False)
    out = StringIO()

    call_command("fetch_partner_news", stdout=out)

    assert "Курсив: 3" in out.getvalue() and "Информбюро: 2" in out.getvalue()
    assert not off.links.exists()
    assert "/off.xml" not in feed_server.requests


def test_command_exits_non_zero_when_a_feed_fails(serve):
    make_feed(serve("/rss.xml", "good-rss.xml"))
    make_feed(serve("/broken.xml", "malformed.xml"), name="Сломанный")
    out = StringIO()

    with pytest.raises(CommandError, match="1 лента партнёров из 2"):
        call_command("fetch_partner_news", stdout=out)

    assert "Курсив: 3" in out.getvalue()
    assert "Сломанный" in out.getvalue()


def test_command_refuses_a_senseless_timeout(db):
    with pytest.raises(CommandError, match="--timeout"):
        call_command("fetch_partner_news", "--timeout", "-1")


def test_story_page_shows_partner_news_with_sponsored_links(client, make_story):
    feed = PartnerFeed.objects.create(name="Курсив", url="https://kursiv.example/rss")
    PartnerLink.objects.create(feed=feed, title="Ставка сохранена", url="https://kursiv.example/1")

    html = client.get(make_story().get_absolute_url()).content.decode()

    assert "Новости партнеров" in html
    assert (
        '<a class="partner-link" href="https://kursiv.example/1" '
        'rel="noopener nofollow sponsored">Ставка сохранена</a>'
    ) in html


def test_switched_off_partner_is_not_shown(client, make_story):
    feed = PartnerFeed.objects.create(name="Курсив", url="https://kursiv.example/rss")
    PartnerLink.objects.create(feed=feed, title="Ставка сохранена", url="https://kursiv.example/1")
    feed.enabled = False
    feed.save()

    html = client.get(make_story().get_absolute_url()).content.decode()

    assert "Ставка сохранена" not in html and "Новости партнеров" not in html


def test_block_takes_turns_between_partners(client, make_story):
    first = PartnerFeed.objects.create(name="А-партнёр", url="https://a.example/rss")
    second = PartnerFeed.objects.create(name="Б-партнёр", url="https://b.example/rss")
    for feed in (first, second):
        for position in range(5):
            PartnerLink.objects.create(
                feed=feed,
                title=f"{feed.name} {position}",
                url=f"https://x.example/{feed.pk}/{position}",
                position=position,
            )

    shown = [link.title for link in PartnerLink.objects.shown()]

    assert shown == ["А-партнёр 0", "Б-партнёр 0", "А-партнёр 1", "Б-партнёр 1"]


def test_story_page_query_count_does_not_grow_with_partners(
    client, make_story, django_assert_max_num_queries
):
    url = make_story().get_absolute_url()

    def add(n):
        for i in range(n):
            feed = PartnerFeed.objects.create(name=f"П{i}", url=f"https://p{i}-{n}.example/rss")
            for position in range(3):
                PartnerLink.objects.create(
                    feed=feed, title="Заголовок", url="https://p.example/", position=position
                )

    add(1)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    few = len(queries)
    add(8)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_only_web_addresses_are_accepted_for_feeds(admin_client):
    response = admin_client.post(
        reverse("admin:articles_partnerfeed_add"),
        {"name": "Файлы", "url": "ftp://files.example/feed.xml", "enabled": "on"},
    )

    assert response.status_code == 200
    assert not PartnerFeed.objects.exists()
    assert "ftp://files.example/feed.xml" in response.content.decode()


def test_editor_fetches_a_feed_from_the_admin(client, serve, make_staff):
    editor = make_staff("redaktor", "Editors")
    client.force_login(editor)
    feed = make_feed(serve("/rss.xml", "good-rss.xml"))

    response = client.post(
        reverse("admin:articles_partnerfeed_changelist"),
        {"action": "fetch_now", "_selected_action": [feed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert len(titles(feed)) == 3


def test_reporter_cannot_manage_partner_feeds(client, make_staff):
    client.force_login(make_staff("korr", "Reporters"))

    response = client.post(
        reverse("admin:articles_partnerfeed_add"),
        {"name": "Чужой", "url": "https://x.example/rss", "enabled": "on"},
    )

    assert response.status_code == 403
    assert not PartnerFeed.objects.exists()
