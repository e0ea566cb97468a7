"""Rendered reader pages are valid HTML5, checked by the W3C Nu validator (vnu.jar)."""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from articles.models import (
    Correction,
    LiveEntry,
    MostRead,
    PartnerFeed,
    PartnerLink,
    PreviewLink,
    Story,
    StoryViews,
)

pytestmark = pytest.mark.django_db


def _vnu_jar():
    """The validator fetched by ``make test`` (VNU_JAR), if it is there."""
    if "VNU_JAR" in os.environ:
        path = Path(os.environ["VNU_JAR"])
        return path if path.is_file() else None
    return max(Path(__file__).resolve().parent.parent.glob("var/tools/vnu-*.jar"), default=None)


@pytest.fixture
def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), "#336699").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def test_reader_pages_are_valid_html5(
    client, make_story, make_quote, make_newsmaker, make_source, make_photo, jpeg, tmp_path
):
    if not shutil.which("java") or not _vnu_jar():
        pytest.skip("the Nu HTML validator needs java and VNU_JAR (make test fetches it)")
    author = get_user_model().objects.create_user("aliya", first_name="Алия", last_name="Серик")
    speaker = make_newsmaker("Нурсултан Назарбаев", role="Президент Казахстана")
    source = make_source("пресс-служба Акорды")
    earlier = make_story("Назарбаев проверил боеготовность", featured=True)
    story = make_story(
        "Назарбаев и Путин обсудили создание коалиции",
        lede="Между президентами состоялся телефонный разговор.",
        body="<p>Об этом сообщает <a href='https://akorda.kz'>пресс-служба</a>.</p>"
        "<ul><li>пункт</li></ul><p>Напомним, что ранее…</p>",
        tags=["ИГИЛ", "Россия"],
        photo=make_photo("Переговоры", alt="Два президента", credit="Фото: Акорда"),
    )
    story.authors.add(author)
    story.sources.add(source)
    story.related.add(earlier)
    make_quote(story, "Обсуждён ряд вопросов.\n\nВторой абзац.", speaker=speaker,
               context="на встрече", source=source, position=1)  # fmt: skip
    Correction.objects.create(story=story, text="Уточнено время разговора.\nВторая строка.")
    Correction.objects.create(story=earlier, kind=Correction.Kind.UPDATE, text="Новые данные.")
    draft = make_story("Черновик для предпросмотра", status=Story.Status.DRAFT,
                       photo=make_photo(size=(160, 90), alt="Фото"))  # fmt: skip
    draft.authors.add(author)
    withdrawn = make_story("Снятая новость")
    withdrawn.withdraw()
    partner = PartnerFeed.objects.create(name="Курсив", url="https://kursiv.example/rss")
    PartnerLink.objects.create(
        feed=partner, title="Ставка & «бензин»", url="https://k.example/?a=1&b=2"
    )
    for popular in (story, earlier):
        StoryViews.objects.create(story=popular, hour=timezone.now(), views=3)
    MostRead.objects.rank()
    live = make_story("Паводок: хроника", lede="Следим за уровнем воды.")
    live.start_live()
    LiveEntry.objects.create(story=live, body="Телефон горячей линии: 112.", pinned=True)
    LiveEntry.objects.create(
        story=live,
        body="<p>Вода & ветер.</p><ul><li>пункт</li></ul>",
        quote="Мы справимся.",
        speaker=speaker,
        photo=jpeg,
        photo_alt="Вода",
    )
    LiveEntry.objects.create(story=live, body="Первая запись.")
    ended = make_story("Завершённая трансляция")
    ended.start_live()
    ended.end_live()
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "latest": reverse("articles:latest"),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["igil"]),
        "newsmaker": speaker.get_absolute_url(),
        "newsmaker-search": speaker.get_absolute_url() + "?q=вопрос",
        "newsmaker-search-nothing": speaker.get_absolute_url() + "?q=космос",
        "quotes": reverse("articles:quotes"),
        "quotes-filtered": reverse("articles:quotes") + f"?speaker={speaker.slug}&q=ряд",
        "quotes-bad-filter": reverse("articles:quotes") + "?speaker=nobody&section=nope",
        "source": source.get_absolute_url(),
        "author": reverse("articles:author", args=["aliya"]),
        "live": reverse("articles:live"),
        "live-story": live.get_absolute_url(),
        "live-ended-story": ended.get_absolute_url(),
        "search": reverse("articles:search") + "?q=Назарбаев",
        "search-filtered": reverse("articles:search")
        + f"?q=коалиция&section={story.section.slug}&since=2020-01-01&until=2020-01-02",
        "search-bad-filters": reverse("articles:search") + "?q=коалиция&since=x&section=nope",
        "search-nothing-found": reverse("articles:search") + "?q=несуществующее",
        "story-with-follow-ups": earlier.get_absolute_url(),
        "not-found": "/no-such-page/",
        "withdrawn": withdrawn.get_absolute_url(),
        "corrections": reverse("articles:corrections"),
        "corrections-kind": reverse("articles:corrections-kind", args=["update"]),
        "preview": PreviewLink.create_for(draft).get_absolute_url(),
        "english-story": "/en" + story.get_absolute_url(),
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404, 410), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    assert validation_errors(files) == []


def validation_errors(files):
    """What the Nu validator finds wrong in ``files``, one line per error."""
    result = subprocess.run(
        ["java", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )

    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stderr or '{"messages": []}')["messages"]
    ]


def test_sign_in_and_account_pages_are_valid_html5(client, settings, tmp_path):
    """The sign-in page with its code field, setting up two-factor sign-in, the lockout page,
    the password reset and the audit log."""
    if not shutil.which("java") or not _vnu_jar():
        pytest.skip("the Nu HTML validator needs java and VNU_JAR (make test fetches it)")
    settings.REQUIRE_2FA = True
    settings.AXES_FAILURE_LIMIT = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    boss = get_user_model().objects.create_superuser("boss", "boss@example.kz", "пароль-42-долгий")
    pages = {"login": client.get("/admin/login/"), "reset": client.get("/admin/password_reset/")}
    client.post("/admin/login/", {"username": "boss", "password": "пароль-42-долгий"})
    pages["two-factor"] = client.get("/admin/two-factor/")
    client.force_login(boss)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.create(user=boss, confirmed=True).persistent_id
    session.save()
    pages["two-factor-on"] = client.get("/admin/two-factor/")
    pages["audit-log"] = client.get("/admin/accounts/auditevent/")
    client.logout()
    pages["locked-out"] = client.post("/admin/login/", {"username": "boss", "password": "no"})
    assert pages["locked-out"].status_code == 429
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 429), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    assert validation_errors(files) == []
