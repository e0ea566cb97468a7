"""Security headers on every response, and reader pages that caches can share."""

import re

import pytest
from django.urls import reverse

from articles.models import PreviewLink, Story

pytestmark = pytest.mark.django_db


def csp(response):
    directives = [d.split() for d in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives}


@pytest.fixture
def reader_pages(make_story, make_quote, section):
    story = make_story("Аким Астаны открыл мост", tags=["Астана"])
    make_quote(story)
    return [
        "/",
        "/news/",
        section.get_absolute_url(),
        story.get_absolute_url(),
        reverse("articles:tag", args=["astana"]),
        reverse("articles:live"),
        reverse("articles:search") + "?q=мост",
        reverse("articles:corrections"),
        "/en/",
        "/en" + story.get_absolute_url(),
    ]


def test_every_kind_of_response_carries_the_security_headers(client, admin_client, reader_pages):
    responses = [client.get(url) for url in reader_pages]
    responses += [
        client.get("/no-such-page/"),
        client.get("/admin/login/"),
        admin_client.get("/admin/"),
        admin_client.get("/admin/articles/story/"),
        client.get("/healthz"),
    ]

    for response in responses:
        assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_policy_allows_no_inline_code_and_no_other_host(client):
    policy = csp(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce only where a page asks for one
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for sources in policy.values():
        assert all(source.startswith("'") or source in ("data:",) for source in sources), sources


def test_pages_have_no_inline_script_or_style(client, admin_client, reader_pages):
    pages = [client.get(url) for url in reader_pages]
    pages += [admin_client.get(url) for url in ("/admin/", "/admin/articles/story/add/")]
    pages += [client.get("/admin/login/"), client.get("/no-such-page/")]

    for response in pages:
        html = response.content.decode()
        # JSON data blocks are not scripts; every executable script has a src.
        scripts = re.findall(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", html
        )
        path = response.request["PATH_INFO"]
        # The body editor's import map (admin only) is inline, with the response's nonce.
        nonce = re.escape(csp(response).get("script-src", ["'nonce-'"])[-1][7:-1])
        allowed = (
            rf'<script type="importmap" nonce="{nonce}">' if path.startswith("/admin/") else ""
        )
        assert [s for s in scripts if not (allowed and re.fullmatch(allowed, s))] == [], path
        assert " style=" not in html, response.request["PATH_INFO"]
        assert " onclick=" not in html and " onload=" not in html


def test_preview_links_send_no_referrer(client, make_story):
    draft = make_story("Черновик", status=Story.Status.DRAFT)

    response = client.get(PreviewLink.create_for(draft).get_absolute_url())

    assert response["Referrer-Policy"] == "no-referrer"
    assert "Content-Security-Policy" in response


def test_reader_pages_set_no_cookie_and_do_not_vary_on_cookies(client, reader_pages):
    feeds_and_maps = [reverse("articles:feed-rss"), reverse("articles:feed-atom"), "/sitemap.xml",
                      "/robots.txt"]  # fmt: skip
    for url in [*reader_pages, *feeds_and_maps]:
        response = client.get(url)

        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert "private" not in response.get("Cache-Control", ""), url


def test_each_reader_address_has_one_language(client, section):
    russian = client.get(section.get_absolute_url())
    english = client.get("/en" + section.get_absolute_url())

    assert russian["Content-Language"] == "ru"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" not in russian.get("Vary", "")
    # The same Russian stories under English menus: search engines keep to the Russian pages.
    assert english["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in russian


def test_signed_in_editor_still_sees_a_draft_by_its_address(admin_client, make_story):
    draft = make_story("Черновик редактора", status=Story.Status.DRAFT)

    response = admin_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_draft_is_not_found_for_readers_with_a_forged_session_cookie(client, make_story):
    draft = make_story("Черновик", status=Story.Status.DRAFT)
    client.cookies["sessionid"] = "forged"

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_admin_pages_are_private_and_vary_on_cookies(admin_client):
    response = admin_client.get("/admin/")

    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_https_requests_through_the_proxy_get_hsts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True

    plain = client.get("/news/")
    proxied = client.get("/news/", HTTP_X_FORWARDED_PROTO="https")
    health = client.get("/healthz")

    assert plain.status_code == 301 and plain["Location"] == "https://testserver/news/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert health.status_code == 200  # load balancers ask over plain HTTP
