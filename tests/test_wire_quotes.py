"""Quotation shapes wire copy uses, each in a fixture written for it (``quotes-*.txt``)."""

from pathlib import Path

import pytest

from articles.wire import import_story, read_wire

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"


def read(name):
    return read_wire((FIXTURES / name).read_bytes())


def shapes(story):
    """Body paragraphs as ``"p"``, quotes as ``(text, attribution)``, in order."""
    return [
        item if isinstance(item, str) else (item.text, item.attribution) for item in story.items
    ]


def wire(*paragraphs):
    return "\n\n".join(paragraphs)


# --- Attribution first -------------------------------------------------------------------------


def test_attribution_with_a_colon_before_the_quotation():
    quote = read("quotes-attribution-first.txt").quotes[0]

    assert quote.text == "Мы заменим бетонные лотки на тысяче километров каналов"
    assert quote.attribution == "Министр водных ресурсов Нуржан Ногаев заявил"


def test_as_someone_said_comma_quotation_starts_with_a_capital():
    quote = read("quotes-attribution-first.txt").quotes[1]

    assert quote.text == "Фермеры получат субсидии на капельное орошение"
    assert quote.attribution == "Как отметила председатель комитета по воде Гульмира Сагатова"


def test_according_to_someone_in_the_genitive_names_the_speaker(section):
    story = import_story(
        (FIXTURES / "quotes-attribution-first.txt").read_bytes(), section=section
    ).story

    quote = story.quotes.all()[2]
    assert (quote.speaker.name, quote.role) == ("Ерлан Бекетов", "вице-министр водных ресурсов")


def test_attribution_first_speakers_and_titles(section):
    story = import_story(
        (FIXTURES / "quotes-attribution-first.txt").read_bytes(), section=section
    ).story

    assert [(q.speaker.name, q.role) for q in story.quotes.all()][:2] == [
        ("Нуржан Ногаев", "министр водных ресурсов"),
        ("Гульмира Сагатова", "председатель комитета по воде"),
    ]


def test_colon_without_a_speech_verb_leaves_the_paragraph_as_body():
    story = read("quotes-attribution-first.txt")

    assert story.body_paragraphs[-1].startswith("Заседание продолжалось три часа.")
    assert len(story.quotes) == 3


def test_sentences_before_the_attribution_stay_body_before_the_quote():
    story = read_wire(
        wire(
            "Заголовок новости",
            "Лид новости.",
            "Брифинг прошёл в Астане. Министр Ерлан Карин заявил: «Мы готовы». Встреча "
            "продолжится завтра.",
        )
    )

    assert shapes(story) == [
        "Брифинг прошёл в Астане.",
        ("Мы готовы", "Министр Ерлан Карин заявил"),
        "Встреча продолжится завтра.",
    ]


# --- Long quotations ---------------------------------------------------------------------------


def test_quotation_over_three_paragraphs_is_one_quote():
    quote = read("quotes-multi-paragraph.txt").quotes[0]

    assert quote.text == (
        "Весна в этом году будет ранней. Снега в степи выпало вдвое больше нормы.\n\n"
        "Мы уже завезли в районы мотопомпы и мешки с песком, построили временные дамбы.\n\n"
        "Эвакуация, если она понадобится, начнётся по первому сигналу"
    )
    assert quote.attribution == "сказал министр по чрезвычайным ситуациям Чингис Аринов"


def test_quotation_over_two_paragraphs_after_its_attribution_is_one_quote():
    story = read("quotes-multi-paragraph.txt")

    assert shapes(story)[2:] == [
        (
            "Горячая линия работает круглосуточно.\n\n"
            "Звонки принимаются на казахском и русском языках",
            "Вице-министр Асель Жумабаева добавила",
        ),
        "Следующий брифинг пройдёт через неделю.",
    ]


def test_long_quotation_reads_as_paragraphs_on_the_page(client, section):
    story = import_story(
        (FIXTURES / "quotes-multi-paragraph.txt").read_bytes(), section=section, publish=True
    ).story

    html = client.get(story.get_absolute_url()).content.decode()

    assert (
        "<blockquote><p>Весна в этом году будет ранней. Снега в степи выпало вдвое больше "
        "нормы.</p>\n\n<p>Мы уже завезли" in html
    )


# --- Missing marks -----------------------------------------------------------------------------


def test_quotation_missing_its_closing_mark_ends_at_the_dash():
    quote = read("quotes-missing-marks.txt").quotes[0]

    assert quote.text == "Закон защищает не только домашних, но и диких животных"
    assert quote.attribution == "сказал сенатор Нурлан Бекмурзаев"


def test_attribution_first_quotation_missing_its_closing_mark_is_kept():
    quote = read("quotes-missing-marks.txt").quotes[1]

    assert quote.text == "Мы будем следить за исполнением закона"
    assert quote.attribution == "Сенатор Айгуль Мусина заявила"


def test_next_quotation_with_its_own_attribution_is_not_a_continuation():
    quote = read("quotes-missing-marks.txt").quotes[2]

    assert quote.text == "Тот, кто не закрывает кавычки, пишет как на телетайпе"


def test_unclosed_quotation_with_nobody_to_credit_stays_body_as_written():
    story = read("quotes-missing-marks.txt")

    assert "«Это черновая реплика без автора и без закрывающей кавычки" in story.body_paragraphs


# --- Nested marks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "text"),
    [
        (0, "Программа „Чистый воздух“ — это первый шаг, за ним последует „Зелёный город“"),
        (1, "Проект «Газ в каждый дом» мы завершим раньше срока"),
        (2, "Жители называют это „газовой революцией“, и мы с ними согласны"),
        (3, "Компания «КарагандаГаз» подключит первые дома летом"),
    ],
    ids=["low-in-guillemets", "guillemets-in-straight", "dash-inside", "guillemets-in-low"],
)
def test_nested_quotation_marks_stay_inside_the_quote(index, text):
    assert read("quotes-nested-marks.txt").quotes[index].text == text


@pytest.mark.parametrize(
    ("paragraph", "text"),
    [
        (
            '"Программа "Нурлы жол" - это шаг вперёд", - сказал Ерлан Карин.',
            'Программа "Нурлы жол" - это шаг вперёд',
        ),
        ('""Нурлы жол" - это шаг вперёд", - сказал Ерлан Карин.', '"Нурлы жол" - это шаг вперёд'),
        (
            "«Программа «Нурлы жол» - это шаг вперёд», - сказал Ерлан Карин.",
            "Программа «Нурлы жол» - это шаг вперёд",
        ),
        (
            "“Программа «Нурлы жол» - это шаг вперёд”, - сказал Ерлан Карин.",
            "Программа «Нурлы жол» - это шаг вперёд",
        ),
    ],
    ids=["straight-in-straight", "straight-opening-twice", "guillemets-twice", "english-outer"],
)
def test_same_or_mixed_marks_nested_end_at_the_outer_closing_mark(paragraph, text):
    story = read_wire(wire("Заголовок новости", "Лид новости.", paragraph))

    assert [(q.text, q.attribution) for q in story.quotes] == [(text, "сказал Ерлан Карин")]


# --- Dashes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "dash"),
    [(0, "-"), (1, "–"), (2, "—"), (3, "―"), (4, "−"), (5, "--")],
    ids=["hyphen", "en", "em", "horizontal-bar", "minus", "double-hyphen"],
)
def test_every_dash_separates_quotation_and_attribution(index, dash):
    lines = (FIXTURES / "quotes-dashes.txt").read_text().splitlines()
    assert f"», {dash} сказал" in [line for line in lines if line.startswith("«")][index]

    quote = read("quotes-dashes.txt").quotes[index]

    assert quote.attribution == "сказал аким города Габит Сыздыкбеков"
    assert not quote.text.endswith((",", dash))


def test_every_dash_credits_the_same_speaker(section):
    story = import_story((FIXTURES / "quotes-dashes.txt").read_bytes(), section=section).story

    assert {(q.speaker.name, q.role) for q in story.quotes.all()} == {
        ("Габит Сыздыкбеков", "аким города")
    }
    assert story.quotes.count() == 6


# --- What stays body text ----------------------------------------------------------------------


def test_indirect_speech_and_quoted_names_stay_body_text():
    story = read("quotes-indirect-speech.txt")

    assert story.quotes == []
    assert len(story.body_paragraphs) == 5


def test_partial_quotation_inside_a_sentence_stays_body_text():
    story = read("quotes-indirect-speech.txt")

    assert "Министр пообещала: «отчётность станет проще» уже в следующем году." in (
        story.body_paragraphs
    )


# --- Quoted names in attributions --------------------------------------------------------------


def test_company_name_in_quotation_marks_stays_in_the_title(section):
    story = import_story(
        (FIXTURES / "quotes-org-in-attribution.txt").read_bytes(), section=section
    ).story

    assert [(q.text, q.speaker.name, q.role) for q in story.quotes.all()] == [
        (
            "Мы будем разливать воду прямо у источника",
            "Ерлан Бекетов",
            "директор компании «Алтын Су»",
        ),
        ("Дорогу к заводу проложат к лету", "Айгуль Ибраимова", "директор ТОО «Тау Сервис»"),
        (
            "Первая партия уйдёт в Китай",
            "Ерлан Бекетов",
            "председатель совета директоров АО «Алтын Су»",
        ),
        (
            "Паводков в районе завода не было сорок лет",
            "Айгуль Сарсенова",
            "начальник управления РГП «Казгидромет»",
        ),
    ]


def test_title_after_the_name_leaves_the_context(section):
    story = import_story(
        (FIXTURES / "quotes-org-in-attribution.txt").read_bytes(), section=section
    ).story

    assert story.quotes.all()[2].context == "на встрече с инвесторами"


def test_company_in_quotation_marks_is_never_taken_for_a_quotation():
    story = read("quotes-org-in-attribution.txt")

    assert [q.text for q in story.quotes] == [
        "Мы будем разливать воду прямо у источника",
        "Дорогу к заводу проложат к лету",
        "Первая партия уйдёт в Китай",
        "Паводков в районе завода не было сорок лет",
    ]
