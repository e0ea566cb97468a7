"""Property-based tests (hypothesis): whatever a reader puts in an address, a query or a header,
and whatever a superuser types into an admin form, the site answers without a 500; a form that
refuses the input shows it again as it was typed.

Few examples by default, to keep the suite quick; ``HYPOTHESIS_PROFILE=ci`` tries many more.
"""

import os
import string
from urllib.parse import quote

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from articles.models import Correction, LiveEntry, PreviewLink, Tag
from articles.sharing import short_code
from tests.hostile import payloads

pytestmark = pytest.mark.django_db

settings.register_profile(
    "default",
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No shrinking by default: a failure is reported as found (shrinking a form post takes
    # minutes); the ci profile shrinks it to the smallest input that fails.
    phases=[Phase.explicit, Phase.generate],
)
settings.register_profile(
    "ci", settings.get_profile("default"), max_examples=150, phases=list(Phase)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Text as hostile as it comes: any character a request can carry (no lone surrogates: they
# cannot be encoded), the corpus of XSS payloads, numbers too big for any column, and long runs.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
hostile_text = st.one_of(
    any_text,
    st.sampled_from(payloads()),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e308", "NaN", "null", "%00", "../../etc/passwd"]),
    st.builds(lambda c, n: c * n, st.sampled_from("aяӘ<&'\"\x00\n"), st.integers(0, 3000)),
)
path_text = st.one_of(
    hostile_text,
    st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=40),
    st.integers(min_value=0, max_value=10**40).map(str),
)
prefixes = st.sampled_from(["", "/en"])


@pytest.fixture
def site(make_story, make_quote, make_newsmaker):
    author = get_user_model().objects.create_user("avtor", first_name="Асель")
    tag = Tag.objects.create(name="Экономика")
    story = make_story("Бюджет на 2027 год", tags=[tag])
    story.authors.add(author)
    speaker = make_newsmaker("Ерлан Жакупов")
    make_quote(story, "Бюджет будет сбалансирован.", speaker=speaker)
    story.start_live()
    LiveEntry.objects.create(story=story, body="Началось заседание.")
    Correction.objects.create(story=story, text="Уточнена сумма.")
    return story


def reader_client():
    # A real 500 fails the test with its traceback; other answers are looked at.
    return Client(raise_request_exception=True)


def assert_answered(response, url):
    assert response.status_code < 500, (url, response.status_code)


LIST_PAGES = [
    "articles:home", "articles:latest", "articles:live", "articles:search", "articles:quotes",
    "articles:corrections", "articles:feed-rss", "articles:quotes-atom",
]  # fmt: skip


@given(
    name=st.sampled_from(LIST_PAGES),
    prefix=prefixes,
    params=st.dictionaries(
        st.sampled_from(["page", "q", "section", "since", "until", "speaker", "utm_source"]),
        hostile_text,
        max_size=4,
    ),
)
def test_query_parameters_never_answer_500(site, name, prefix, params):
    url = prefix + reverse(name)
    assert_answered(reader_client().get(url, params), (url, params))


@given(
    kind=st.sampled_from(["section", "story", "tag", "newsmaker", "source", "author", "feeds"]),
    value=path_text,
    pk=st.one_of(st.integers(min_value=0, max_value=10**30), st.just(None)),
    prefix=prefixes,
    page=st.one_of(st.none(), hostile_text),
)
def test_addresses_with_any_slug_id_or_name_never_answer_500(site, kind, value, pk, prefix, page):
    slug = quote(value, safe="")
    pk = site.pk if pk is None else pk
    paths = {
        "section": [f"/news/{slug}/", f"/news/{slug}/rss.xml", f"/news/{slug}/atom.xml"],
        "story": [f"/news/{site.section.slug}/{pk}-{slug}/", f"/news/{slug}/{pk}/"],
        "tag": [f"/tags/{slug}/", f"/tags/{slug}/rss.xml"],
        "newsmaker": [f"/people/{slug}/", f"/people/{slug}/atom.xml"],
        "source": [f"/sources/{slug}/"],
        "author": [f"/authors/{slug}/"],
        "feeds": [f"/corrections/{slug}/", f"/sitemap-{slug}.xml", f"/live/{pk}/updates.json"],
    }[kind]
    client = reader_client()
    for path in paths:
        url = prefix + path if not path.startswith("/sitemap") else path
        response = client.get(url, {"page": page} if page is not None else {})
        assert_answered(response, url)


@given(code=path_text, key=path_text, pk=st.integers(min_value=0, max_value=10**30))
def test_short_links_cards_and_previews_never_answer_500(site, code, key, pk):
    client = reader_client()
    for url in [
        f"/s/{quote(code, safe='')}/",
        f"/s/{short_code(pk)}/",
        f"/s/{short_code(site.pk)}/card-{quote(key, safe='')}.png",
        f"/s/{quote(code, safe='')}/card-{quote(key, safe='')}.png",
        f"/preview/{quote(code, safe='')}/",
        f"/preview/{site.pk}-{quote(key, safe='')}/",
        f"/preview/{pk}-{quote(key, safe='')}/",
    ]:
        assert_answered(client.get(url), url)


def test_a_tampered_preview_signature_is_refused(site, editor_user):
    link = PreviewLink.create_for(site, by=editor_user)
    good = link.get_absolute_url()
    assert reader_client().get(good).status_code == 200
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa/") else "bbb") + "/"
    assert reader_client().get(tampered).status_code == 404


@given(
    headers=st.dictionaries(
        st.sampled_from(
            [
                "HTTP_IF_NONE_MATCH",
                "HTTP_IF_MODIFIED_SINCE",
                "HTTP_IF_MATCH",
                "HTTP_IF_UNMODIFIED_SINCE",
                "HTTP_ACCEPT_LANGUAGE",
                "HTTP_ACCEPT",
                "HTTP_USER_AGENT",
                "HTTP_REFERER",
                "HTTP_X_FORWARDED_FOR",
                "HTTP_COOKIE",
                "HTTP_RANGE",
            ]
        ),
        st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80),
        max_size=4,
    ),
    which=st.sampled_from(["story", "live", "feed", "home", "healthz"]),
)
def test_hostile_request_headers_never_answer_500(site, headers, which):
    url = {
        "story": site.get_absolute_url(),
        "live": reverse("articles:live-updates", args=[site.pk]),
        "feed": reverse("articles:feed-rss"),
        "home": reverse("articles:home"),
        "healthz": "/healthz",
    }[which]
    assert_answered(reader_client().get(url, **headers), (url, headers))


# --- Admin forms --------------------------------------------------------------------------------

TEXT_INPUTS = {"text", "search", "url", "email", "tel", ""}
NOT_TYPED = ("csrfmiddlewaretoken", "TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS",
             "MAX_NUM_FORMS", "opened_version", "_", "password")  # fmt: skip


def read_form(html, form_id):
    """(fields as a browser would submit them, names of the fields a person types into)."""
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    form = next(form for form in tree.iter("form") if form.get("id") == form_id)
    data, typed = {}, []
    for element in form.iter():
        name = element.get("name")
        if not isinstance(element.tag, str) or not name:
            continue
        if element.tag == "input":
            kind = element.get("type", "").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and element.get("checked") is None:
                continue
            data[name] = element.get("value", "")
            if kind in TEXT_INPUTS:
                typed.append(name)
        elif element.tag == "textarea":
            # The parser already drops the newline that follows <textarea> (HTML5).
            data[name] = element.text or ""
            typed.append(name)
        elif element.tag == "select":
            options = [o for o in element.iter("option") if o.get("value")]
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            if chosen:
                data[name] = chosen[0].get("value")
    typed = [
        n for n in typed if not any(part in n for part in NOT_TYPED) and "-__prefix__-" not in n
    ]
    return data, typed


def as_parsed(text):
    """What an HTML parser reads back from ``text`` written into a page: line ends as \\n, NUL as
    U+FFFD (HTML5)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


ADMIN_FORMS = {
    "story": ("articles_story_add", "story_form"),
    "correction": ("articles_correction_add", "correction_form"),
    "live entry": ("articles_liveentry_add", "liveentry_form"),
    "section": ("articles_section_add", "section_form"),
    "newsmaker": ("articles_newsmaker_add", "newsmaker_form"),
    "tag": ("articles_tag_add", "tag_form"),
    "source": ("articles_source_add", "source_form"),
    "partner feed": ("articles_partnerfeed_add", "partnerfeed_form"),
    "user": ("auth_user_change", "user_form"),
    "new user": ("auth_user_add", "user_form"),
}


@pytest.fixture
def superuser_client(site):
    user = get_user_model().objects.create_superuser("glavred", "glavred@example.com", "x")
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def blank_form(client, which, site):
    url_name, form_id = ADMIN_FORMS[which]
    args = (
        [get_user_model().objects.get(username="avtor").pk] if url_name.endswith("change") else []
    )
    url = reverse(f"admin:{url_name}", args=args)
    data, typed = read_form(client.get(url).content.decode(), form_id)
    if which in ("correction", "live entry"):
        data["story"] = str(site.pk)
    if which == "correction":
        data.setdefault("published_at_0", timezone.localdate().strftime("%d.%m.%Y"))
        data.setdefault("published_at_1", "10:00:00")
    return url, data, typed


def test_the_quote_dialog_takes_any_text_without_500(superuser_client, site):
    """The body editor's quote dialog (quotes are written there, not in a form inline)."""
    url = reverse("admin:articles_story_quote_add", args=[site.pk])
    fields = ["text", "new_speaker", "role", "context"]

    @given(values=st.fixed_dictionaries(dict.fromkeys(fields, hostile_text)))
    def post(values):
        response = superuser_client.post(url, values)
        assert response.status_code in (201, 400), response.status_code
        data = response.json()
        if response.status_code == 201:
            assert data["text"] == values["text"].strip()
        else:
            assert data["errors"]

    post()


@pytest.mark.parametrize("which", ADMIN_FORMS)
def test_admin_forms_take_any_text_without_500_and_keep_it_on_error(superuser_client, site, which):
    url, blank, typed = blank_form(superuser_client, which, site)
    assert typed, which

    @given(values=st.fixed_dictionaries(dict.fromkeys(typed, hostile_text)))
    def post(values):
        response = superuser_client.post(url, {**blank, **values})
        assert response.status_code in (200, 302), (which, response.status_code)
        if response.status_code == 200:
            _, form_id = ADMIN_FORMS[which]
            shown, _ = read_form(response.content.decode(), form_id)
            for name, value in values.items():
                # Blank (whitespace) is no input: an inline form left blank is not kept.
                if name in shown and value.strip():
                    assert shown[name] == as_parsed(value), (which, name)

    post()
