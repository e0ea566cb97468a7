"""``import_story``: plain-text wire stories become stories with quotes, speakers and sources."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from articles.models import Newsmaker, Quote, Section, Source, Story
from articles.wire import WireParseError, import_story, read_wire
from tests.conftest import quote_positions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"
REPO = Path(__file__).resolve().parents[1]
# The sample lives next to the checkout on editors' machines; CI may not have it.
SAMPLES = [
    REPO.parent / "shared" / "samples" / "kz-politics-story.txt",
    REPO / "shared" / "samples" / "kz-politics-story.txt",
]


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English; the Russian catalogue is checked on its own."""
    with translation.override("en"):
        yield


def wire(*paragraphs):
    return "\n\n".join(paragraphs)


def fixture_bytes(name):
    return (FIXTURES / name).read_bytes()


def speakers(story):
    return [q.speaker.name if q.speaker else None for q in story.quotes.all()]


@pytest.fixture
def sample_bytes():
    for path in SAMPLES:
        if path.is_file():
            return path.read_bytes()
    pytest.skip("the sample wire story kz-politics-story.txt is not available")


@pytest.fixture
def sample_story(sample_bytes, section):
    return import_story(sample_bytes, section=section).story


@pytest.fixture
def tengri_story(section):
    return import_story(fixture_bytes("tengri-economy-crlf.txt"), section=section).story


@pytest.fixture
def kazinform_story(section):
    return import_story(fixture_bytes("kazinform-culture-cp1251.txt"), section=section).story


@pytest.fixture
def wire_file(tmp_path):
    def write(content, name="story.txt"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


@pytest.fixture
def english():
    with translation.override("en"):
        yield


SIMPLE = wire(
    "Карин рассказал о планах по развитию медиа",
    "В Астане прошёл форум журналистов Центральной Азии.",
    "«Мы готовы к диалогу с каждым изданием», — заявил Ерлан Карин на открытии форума.",
    "Форум продлится два дня.",
)


# --- The sample story --------------------------------------------------------------------------


def test_sample_headline_and_lede(sample_story):
    assert sample_story.headline == "Назарбаев и Путин обсудили создание коалиции по борьбе с ИГИЛ"
    assert (
        sample_story.lede == "Между президентами Казахстана и России состоялся телефонный разговор."
    )


def test_sample_has_three_quotes_the_first_without_speaker(sample_story):
    assert speakers(sample_story)[0] is None
    assert sample_story.quotes.count() == 3


def test_sample_named_and_role_only_quotes_are_nazarbayevs(sample_story):
    assert speakers(sample_story)[1:] == ["Нурсултан Назарбаев", "Нурсултан Назарбаев"]
    assert Newsmaker.objects.filter(name="Нурсултан Назарбаев").count() == 1


def test_sample_quote_keeps_inner_dash_and_drops_quote_marks(sample_story):
    text = sample_story.quotes.all()[1].text
    assert text.startswith("Последние события в мире")
    assert text.endswith("Наша задача - беречь это достояние")


def test_sample_quote_context_says_where(sample_story):
    contexts = [q.context for q in sample_story.quotes.all()]
    assert contexts[0] == "отмечается на официальном сайте президента России"
    assert contexts[1] == 'на встрече с бойцами спецподразделения "Арыстан"'
    assert contexts[2] == "выразил тогда своё беспокойство Глава Казахстана"


@pytest.mark.parametrize(
    ("attribution", "context"),
    [
        ("сказал Аскар Умаров", ""),
        ("заявил в понедельник на брифинге Аскар Умаров", "в понедельник на брифинге"),
        ("подчеркнул тогда Аскар Умаров, выступая в Астане", "выступая в Астане"),
        ("отметил министр Аскар Умаров на брифинге", "на брифинге"),
        (
            "заявил журналистам Аскар Умаров на брифинге",
            "заявил журналистам Аскар Умаров на брифинге",
        ),
    ],
)
def test_quote_context_drops_the_verb_and_the_speaker_it_names(section, attribution, context):
    story = import_story(
        wire(
            "Министр рассказал о планах",
            "Ведомство представило программу на год.",
            f"«Мы завершим работу к лету», - {attribution}.",
        ),
        section=section,
    ).story

    quote = story.quotes.get()
    assert quote.speaker.name == "Аскар Умаров"
    assert quote.context == context


def test_sample_quotes_sit_between_the_right_paragraphs(sample_story):
    placed = quote_positions(sample_story.body)
    assert [position for _pk, position in placed] == [1, 5, 6]
    assert [pk for pk, _position in placed] == [q.pk for q in sample_story.quotes.all()]
    assert all(quote.placed for quote in sample_story.quotes.all())


def test_sample_source_is_the_akorda_press_service(sample_story):
    assert [s.name for s in sample_story.sources.all()] == ["пресс-служба Акорды"]


def test_sample_body_keeps_reminders_and_drops_chrome(sample_story):
    assert "Напомним, что сегодня Нурсултан Назарбаев" in sample_story.body
    assert "Ранее на Саммите глав государств СНГ" in sample_story.body
    for chrome in ("Поделиться", "Прямой эфир", "Новости партнеров"):
        assert chrome not in sample_story.body


def test_sample_body_has_no_quotes(sample_story):
    assert "Обсуждён ряд" not in sample_story.body
    assert sample_story.body.count("<p>") == 6


# --- Other wire formats ------------------------------------------------------------------------


def test_crlf_bom_and_no_break_spaces_are_normalised(section):
    raw = fixture_bytes("tengri-economy-crlf.txt").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    story = import_story(raw, section=section).story
    texts = [story.headline, story.lede, story.body]
    assert not any(c in text for text in texts for c in ("\r", "\ufeff", "\xa0"))
    assert "от импорта" in story.body


def test_navigation_date_and_share_bar_above_the_headline_are_dropped(tengri_story):
    assert tengri_story.headline == "Токаев поручил снизить инфляцию до однозначных цифр"


def test_read_also_and_subscribe_lines_end_the_story(tengri_story):
    assert "8,4 процента" in tengri_story.body
    for chrome in ("Читайте также", "Нацбанк сохранил", "Подписывайтесь"):
        assert chrome not in tengri_story.body


def test_guillemets_with_em_dash_name_the_speaker(tengri_story):
    quote = tengri_story.quotes.first()
    assert quote.speaker.name == "Касым-Жомарт Токаев"
    assert quote.text.endswith("без этого никакие программы не сработают")


def test_role_only_attribution_goes_to_the_person_quoted_before(tengri_story):
    assert speakers(tengri_story) == ["Касым-Жомарт Токаев", "Касым-Жомарт Токаев"]


def test_existing_source_is_reused_ignoring_case(make_source, section):
    existing = make_source("Пресс-служба Акорды")
    story = import_story(fixture_bytes("tengri-economy-crlf.txt"), section=section).story
    assert list(story.sources.all()) == [existing]
    assert Source.objects.count() == 1


def test_windows_1251_file_is_decoded(kazinform_story):
    assert kazinform_story.headline == "В Алматы открылся международный театральный фестиваль"


def test_low_quotes_with_en_dash_name_the_speaker(kazinform_story):
    quote = kazinform_story.quotes.first()
    assert quote.speaker.name == "Айгерим Сапарова"
    assert (quote.role, quote.context) == ("директор фестиваля", "на пресс-конференции")


def test_pronoun_attribution_goes_to_the_previous_speaker(kazinform_story):
    assert speakers(kazinform_story) == ["Айгерим Сапарова", "Айгерим Сапарова"]


def test_source_name_keeps_its_quote_marks(kazinform_story):
    assert [s.name for s in kazinform_story.sources.all()] == ["МИА «Казинформ»"]


def test_photo_caption_and_partner_news_are_dropped(kazinform_story):
    assert "Фото:" not in kazinform_story.body
    assert "Как выбрать подарок" not in kazinform_story.body


def test_same_text_in_windows_1251_and_utf8_is_one_story(section):
    text = fixture_bytes("kazinform-culture-cp1251.txt").decode("cp1251")
    first = import_story(text.encode("cp1251"), section=section)
    second = import_story(text.encode("utf-8"), section=section)
    assert second.created is False
    assert second.story == first.story


def test_without_blank_lines_each_line_is_a_paragraph():
    story = read_wire(fixture_bytes("budget-no-blank-lines.txt"))
    assert story.lede == "Правительство одобрило проект республиканского бюджета на 2025–2027 годы."
    assert len(story.body_paragraphs) == 2
    assert len(story.quotes) == 2


def test_tags_line_ends_the_story():
    story = read_wire(fixture_bytes("budget-no-blank-lines.txt"))
    assert not any("Теги" in p for p in story.body_paragraphs)


def test_quote_split_by_its_attribution_is_joined():
    quote = read_wire(fixture_bytes("budget-no-blank-lines.txt")).quotes[0]
    assert quote.text == (
        "Мы сохраняем все социальные обязательства. "
        "Расходы на образование и здравоохранение вырастут"
    )
    assert quote.attribution == "сказал премьер-министр Смаилов"


def test_existing_newsmaker_is_found_by_surname_alone(make_newsmaker, section):
    smailov = make_newsmaker("Алихан Смаилов")
    story = import_story(fixture_bytes("budget-no-blank-lines.txt"), section=section).story
    assert [q.speaker for q in story.quotes.all()] == [smailov, smailov]
    assert Newsmaker.objects.count() == 1


def test_unknown_lone_surname_gets_no_speaker(section):
    story = import_story(fixture_bytes("budget-no-blank-lines.txt"), section=section).story
    assert speakers(story) == [None, None]
    assert not Newsmaker.objects.exists()


# --- Quotation paragraphs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"), [("«", "»"), ("„", "“"), ("“", "”"), ('"', '"'), ("”", "”")]
)
@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_quote_marks_and_dashes_of_any_kind(opening, closing, dash):
    paragraph = f"{opening}Мы готовы к диалогу{closing}, {dash} заявил Ерлан Карин на брифинге."
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph, "Ещё абзац."))
    assert [(q.text, q.attribution) for q in story.quotes] == [
        ("Мы готовы к диалогу", "заявил Ерлан Карин на брифинге")
    ]


def test_quote_without_closing_mark():
    paragraph = "«Мы готовы к диалогу, — заявил Ерлан Карин."
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))
    assert story.quotes[0].text == "Мы готовы к диалогу"


def test_question_mark_stays_in_the_quote():
    paragraph = "«Кто за это ответит?» — спросил Ерлан Карин."
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))
    assert story.quotes[0].text == "Кто за это ответит?"


def test_dash_after_an_inner_quoted_name_is_not_the_separator():
    paragraph = '"Программа "Нурлы жол" - это шаг вперёд", - сказал Ерлан Карин.'
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))
    assert story.quotes[0].text == 'Программа "Нурлы жол" - это шаг вперёд'


def test_paragraph_opening_with_a_quoted_name_stays_body():
    paragraph = "«Арыстан» провёл учения в Алматинской области."
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))
    assert story.quotes == []
    assert story.body_paragraphs == [paragraph]


def test_sentence_after_the_attribution_stays_body():
    paragraph = "«Работа продолжится», — сказал Ерлан Карин. Следующая встреча пройдёт в мае."
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))
    assert story.quotes[0].attribution == "сказал Ерлан Карин"
    assert story.body_paragraphs == ["Следующая встреча пройдёт в мае."]


def test_partner_after_a_preposition_is_not_the_speaker(make_newsmaker, section):
    make_newsmaker("Владимир Путин")
    text = wire(
        "Токаев провёл переговоры",
        "Переговоры прошли в Москве.",
        "«Мы договорились», — заявил Касым-Жомарт Токаев на встрече с Владимиром Путиным.",
    )
    story = import_story(text, section=section).story
    assert speakers(story) == ["Касым-Жомарт Токаев"]


def test_newsmaker_is_not_duplicated_across_imports(section):
    import_story(SIMPLE, section=section)
    other = wire(
        "Карин встретился с блогерами",
        "Встреча прошла в Алматы.",
        "«Блогеры стали частью медиа», — отметил Карин.",
        "«Нужны общие правила», — сказал Ерлан Карин.",
    )
    story = import_story(other, section=section).story
    assert speakers(story) == ["Ерлан Карин", "Ерлан Карин"]
    assert Newsmaker.objects.count() == 1


# --- Hostile and broken input ------------------------------------------------------------------


def test_markup_in_the_text_is_escaped_in_the_body(section):
    text = wire(
        "Заголовок <script>alert(1)</script>",
        "Лид новости.",
        "Абзац <img src=x onerror=alert(1)> и <script>alert(2)</script> & ещё.",
    )
    story = import_story(text, section=section).story
    assert "<script" not in story.body
    assert "<img" not in story.body
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; ещё." in story.body


def test_markup_in_the_headline_is_not_executed_on_the_page(client, section):
    text = wire("Заголовок <script>alert(1)</script>", "Лид новости.", "Абзац.")
    story = import_story(text, section=section, publish=True).story
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        "Заголовок\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13".encode(),
    ],
    ids=["png", "all-bytes", "control-characters"],
)
def test_binary_input_is_rejected(data):
    with pytest.raises(WireParseError, match="binary"):
        read_wire(data)


def test_bytes_neither_utf8_nor_cyrillic_are_rejected():
    with pytest.raises(WireParseError, match="neither UTF-8 nor Windows-1251"):
        read_wire("Café crème brûlée, señor - déjà vu.\n\nÇa va.\n\nOui.".encode("latin-1"))


def test_utf8_with_a_damaged_byte_is_rejected_not_read_as_windows_1251():
    data = SIMPLE.encode("utf-8")
    with pytest.raises(WireParseError, match="invalid bytes, the first at byte 8"):
        read_wire(data[:8] + b"\xff" + data[8:])


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n", "\ufeff\n".encode()], ids=repr)
def test_empty_input_is_rejected(data):
    with pytest.raises(WireParseError, match="empty"):
        read_wire(data)


def test_file_of_megabytes_is_rejected_before_it_is_read():
    with pytest.raises(WireParseError, match="too long for a story"):
        read_wire(SIMPLE.encode() + b" " * 2_000_000)


def test_text_of_only_navigation_is_rejected():
    with pytest.raises(WireParseError, match="navigation"):
        read_wire("Главная | Новости\n\nПрямой эфир\n\nПоделиться:")


def test_overlong_first_paragraph_is_shapeless():
    with pytest.raises(WireParseError, match="shapeless"):
        read_wire(" ".join(["Очень длинная строка без абзацев."] * 20))


def test_headline_and_lede_without_body_are_shapeless():
    with pytest.raises(WireParseError, match="shapeless"):
        read_wire(wire("Заголовок новости", "Лид новости."))


# --- Storing -----------------------------------------------------------------------------------


def test_import_reference_is_a_stable_sha256():
    first, again = read_wire(SIMPLE), read_wire(SIMPLE.replace("\n", "\r\n").encode("cp1251"))
    assert first.import_ref.startswith("sha256:")
    assert first.import_ref == again.import_ref


def test_importing_the_same_text_again_creates_nothing(section):
    first = import_story(SIMPLE, section=section)
    counts = [m.objects.count() for m in (Story, Quote, Newsmaker, Source)]
    again = import_story(SIMPLE, section=section)
    assert (first.created, again.created) == (True, False)
    assert again.story == first.story
    assert [m.objects.count() for m in (Story, Quote, Newsmaker, Source)] == counts


def test_story_is_a_draft_by_default(client, section):
    story = import_story(SIMPLE, section=section).story
    assert story.status == Story.Status.DRAFT
    assert not Story.objects.published().filter(pk=story.pk).exists()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_publish_makes_the_story_visible_on_the_site(client, section):
    story = import_story(SIMPLE, section=section, publish=True).story
    assert Story.objects.published().filter(pk=story.pk).exists()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_author_is_added(section):
    author = get_user_model().objects.create_user("aliya")
    story = import_story(SIMPLE, section=section, authors=[author]).story
    assert list(story.authors.all()) == [author]


# --- The command -------------------------------------------------------------------------------


def test_command_prints_the_public_and_admin_urls(wire_file, section, settings, capsys, english):
    settings.SITE_URL = "https://news.example.kz"
    call_command("import_story", str(wire_file(SIMPLE)), "--section", section.slug)
    story = Story.objects.get()
    out = capsys.readouterr().out
    assert f"story.txt: imported story #{story.pk}" in out
    assert f"https://news.example.kz{story.get_absolute_url()}" in out
    assert f"https://news.example.kz/admin/articles/story/{story.pk}/change/" in out


def test_command_says_when_already_imported(wire_file, section, capsys, english):
    path = str(wire_file(SIMPLE))
    call_command("import_story", path)
    call_command("import_story", path)
    story = Story.objects.get()
    out = capsys.readouterr().out
    assert f"story.txt: already there: story #{story.pk}" in out
    assert out.count(story.get_absolute_url()) == 2


def test_command_uses_the_first_section_of_the_navigation(wire_file, db):
    later = Section.objects.create(name="Спорт", position=5)
    first = Section.objects.create(name="Главное", position=1)
    call_command("import_story", str(wire_file(SIMPLE)), "--publish")
    story = Story.objects.get()
    assert (story.section, story.status) == (first, Story.Status.PUBLISHED)
    assert later.stories.count() == 0


def test_command_rejects_an_unknown_section_and_writes_nothing(wire_file, section, english):
    with pytest.raises(CommandError, match="Unknown section 'nope'"):
        call_command("import_story", str(wire_file(SIMPLE)), "--section", "nope")
    assert not Story.objects.exists()
    assert not Newsmaker.objects.exists()


def test_command_rejects_an_unknown_author(wire_file, section, english):
    with pytest.raises(CommandError, match="Unknown user 'nobody'"):
        call_command("import_story", str(wire_file(SIMPLE)), "--author", "nobody")
    assert not Story.objects.exists()


def test_command_asks_for_a_section_when_there_is_none(wire_file, db, english):
    with pytest.raises(CommandError, match="no sections"):
        call_command("import_story", str(wire_file(SIMPLE)))


def test_command_reports_a_missing_file(tmp_path, section, english):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_story", str(tmp_path / "missing.txt"))


def test_command_reports_a_binary_file_with_its_path(wire_file, section, english):
    path = wire_file(b"\x00\x01\x02binary", name="photo.jpg")
    with pytest.raises(CommandError, match=r"photo\.jpg: The file is binary"):
        call_command("import_story", str(path))
    assert not Story.objects.exists()


def test_command_speaks_russian_by_default(tmp_path, section):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    with translation.override("ru"), pytest.raises(CommandError, match="Файл пуст"):
        call_command("import_story", str(path))
