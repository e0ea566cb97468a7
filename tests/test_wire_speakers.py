"""Who said it: a quote's speaker is an existing newsmaker only when the name identifies them.

Each fixture under ``fixtures/wire/speakers-*.txt`` was written for one rule; the newsmakers
already on the site vary from test to test.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from articles.models import Newsmaker
from articles.wire import import_story

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wire"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def newsmakers(db):
    def make(*names):
        return [Newsmaker.objects.create(name=name) for name in names]

    return make


@pytest.fixture
def imported(section):
    def run(name):
        return import_story((FIXTURES / name).read_bytes(), section=section)

    return run


def speakers(result):
    return [q.speaker.name if q.speaker else None for q in result.story.quotes.all()]


# --- Full names --------------------------------------------------------------------------------


def test_full_name_in_the_genitive_is_the_existing_newsmaker(newsmakers, imported):
    (seitkaziev,) = newsmakers("Бауыржан Сейтказиев")

    result = imported("speakers-full-name-genitive.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [seitkaziev, seitkaziev]
    assert Newsmaker.objects.count() == 1


def test_title_in_the_genitive_is_kept_in_the_nominative(newsmakers, imported):
    newsmakers("Бауыржан Сейтказиев")

    quote = imported("speakers-full-name-genitive.txt").story.quotes.first()

    assert quote.role == "заместитель акима области"
    assert quote.context == ""


def test_new_speaker_is_named_in_the_nominative_with_the_title(imported):
    result = imported("speakers-full-name-genitive.txt")

    assert [(n.name, n.role) for n in result.new_newsmakers] == [
        ("Бауыржан Сейтказиев", "Заместитель акима области")
    ]
    assert speakers(result) == ["Бауыржан Сейтказиев", "Бауыржан Сейтказиев"]


def test_hyphenated_kazakh_name_in_the_genitive_is_the_existing_newsmaker(newsmakers, imported):
    (tokayev,) = newsmakers("Касым-Жомарт Токаев")

    result = imported("speakers-hyphenated-name.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [tokayev, tokayev]


def test_declined_kazakh_first_name_is_the_existing_newsmaker(newsmakers, imported):
    (nurlanova,) = newsmakers("Асель Нурланова")

    result = imported("speakers-declined-kazakh-name.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [nurlanova, nurlanova]
    assert result.new_newsmakers == []


def test_kazakh_letters_and_yo_spell_the_same_newsmaker(newsmakers, imported):
    tokayev, korolyov = newsmakers("Қасым-Жомарт Тоқаев", "Пётр Королёв")

    result = imported("speakers-spellings.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [tokayev, korolyov]
    assert result.new_newsmakers == []


def test_female_name_in_every_case_is_one_newsmaker(newsmakers, imported):
    dinara, _asel = newsmakers("Динара Омарова", "Асель Омарова")

    result = imported("speakers-female-cases.txt")

    assert [q.speaker for q in result.story.quotes.all()][:2] == [dinara, dinara]
    assert Newsmaker.objects.count() == 2


def test_name_in_the_dative_is_not_the_speaker(newsmakers, imported):
    newsmakers("Динара Омарова")

    result = imported("speakers-female-cases.txt")

    assert speakers(result)[2] is None
    assert result.story.quotes.all()[2].context.startswith("сказала Омаровой журналистка")


# --- Different people --------------------------------------------------------------------------


def test_different_first_name_is_a_new_newsmaker_not_the_existing_one(newsmakers, imported):
    (asel,) = newsmakers("Асель Омарова")

    result = imported("speakers-different-first-name.txt")

    assert speakers(result) == ["Динара Омарова", "Динара Омарова"]
    assert [n.name for n in result.new_newsmakers] == ["Динара Омарова"]
    assert not asel.quotes.exists()


def test_different_patronymic_is_a_different_person(newsmakers, imported):
    (existing,) = newsmakers("Асель Ержановна Омарова")

    result = imported("speakers-patronymic.txt")

    assert speakers(result) == ["Асель Кайратовна Омарова", "Асель Ержановна Омарова"]
    assert result.story.quotes.all()[1].speaker == existing


def test_masculine_and_feminine_forms_of_a_surname_are_different_people(newsmakers, imported):
    asel, yerlan, _dinara = newsmakers("Асель Омарова", "Ерлан Омаров", "Динара Омарова")

    result = imported("speakers-men-and-women.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [yerlan, asel]


# --- Surnames alone ----------------------------------------------------------------------------


def test_surname_of_exactly_one_newsmaker_is_them(newsmakers, imported):
    (asel,) = newsmakers("Асель Омарова")

    result = imported("speakers-shared-surname.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [asel]


def test_surname_shared_by_two_newsmakers_gets_no_speaker(newsmakers, imported):
    newsmakers("Асель Омарова", "Динара Омарова")

    result = imported("speakers-shared-surname.txt")

    assert speakers(result) == [None]
    assert result.story.quotes.get().context == "сказала Омарова"
    assert result.unidentified == [
        ("сказала Омарова", "Омарова could be any of Асель Омарова, Динара Омарова")
    ]


def test_unknown_surname_alone_creates_no_newsmaker(imported):
    result = imported("speakers-shared-surname.txt")

    assert speakers(result) == [None]
    assert not Newsmaker.objects.exists()


def test_surname_named_in_full_paragraphs_above_is_that_person(newsmakers, imported):
    asel, _dinara = newsmakers("Асель Омарова", "Динара Омарова")

    result = imported("speakers-named-two-paragraphs-up.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [asel]


def test_new_newsmaker_takes_the_title_the_story_gave_them_above(imported):
    result = imported("speakers-named-two-paragraphs-up.txt")

    assert [(n.name, n.role) for n in result.new_newsmakers] == [
        ("Асель Омарова", "Заместитель акима города")
    ]


# --- Initials ----------------------------------------------------------------------------------


def test_initials_of_one_newsmaker_each_are_them(newsmakers, imported):
    asel, dinara = newsmakers("Асель Омарова", "Динара Омарова")

    result = imported("speakers-initials.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [asel, dinara]


def test_initials_shared_by_two_newsmakers_get_no_speaker(newsmakers, imported):
    _asel, dinara, _aigul = newsmakers("Асель Омарова", "Динара Омарова", "Айгуль Омарова")

    result = imported("speakers-initials.txt")

    assert [q.speaker for q in result.story.quotes.all()] == [None, dinara]


def test_initials_of_nobody_known_create_no_newsmaker(imported):
    result = imported("speakers-initials.txt")

    assert speakers(result) == [None, None]
    assert not Newsmaker.objects.exists()


# --- Pronouns and titles -----------------------------------------------------------------------


def test_pronoun_of_the_other_gender_is_not_the_woman_named_before(imported):
    result = imported("speakers-pronoun-gender.txt")

    assert speakers(result)[0] is None


def test_title_alone_is_not_someone_the_story_gave_another_title(imported):
    result = imported("speakers-pronoun-gender.txt")

    assert speakers(result)[1] is None


def test_bare_title_goes_to_the_person_the_story_gave_that_title(imported):
    result = imported("quotes-nested-marks.txt")

    assert speakers(result) == ["Ермаганбет Булекбаев"] * 4


# --- What the editor is told -------------------------------------------------------------------


def test_command_says_which_speakers_were_matched_and_which_created(
    newsmakers, section, tmp_path, capsys
):
    newsmakers("Асель Омарова", "Динара Омарова", "Бауыржан Сейтказиев")
    story = tmp_path / "story.txt"
    story.write_text(
        (FIXTURES / "speakers-full-name-genitive.txt").read_text()
        + "\n\n«Каждый участок будет под контролем», — сказала Омарова.\n\n"
        + "«Работы закончим к осени», — сказал аким района Ерлан Жакыпов.\n"
    )

    call_command("import_story", str(story))

    out = capsys.readouterr().out
    assert "Speakers matched to newsmakers: Бауыржан Сейтказиев\n" in out
    assert "New newsmakers: Ерлан Жакыпов (Аким района)\n" in out
    assert (
        "No speaker for «сказала Омарова»: Омарова could be any of Асель Омарова, "
        "Динара Омарова." in out
    )


def test_pronoun_after_a_speaker_we_could_not_tell_is_not_someone_further_back(imported):
    result = imported("speakers-pronoun-after-unknown.txt")

    assert speakers(result) == ["Ерлан Карин", None, None]
