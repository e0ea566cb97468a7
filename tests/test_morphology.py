"""Word forms: every grammatical case of a Russian word reads as its dictionary form."""

import pytest

from articles.morphology import (
    NameReading,
    is_known,
    lemmatize,
    matches_as_prefix,
    name_readings,
    normal_form,
    normal_forms,
    past_verb_gender,
    role_to_nominative,
    search_forms,
)


@pytest.mark.parametrize(
    ("typed", "dictionary_form"),
    [
        ("коалиции", "коалиция"),
        ("Казахстана", "казахстан"),
        ("сделок", "сделка"),  # a fleeting vowel, where stemmers fail
        ("бойцами", "боец"),
        ("Сейтказиеву", "сейтказиев"),
        ("пресс-службы", "пресс-служба"),
        ("ёлки", "елка"),
    ],
)
def test_inflected_words_read_as_their_dictionary_form(typed, dictionary_form):
    assert normal_form(typed) == dictionary_form


def test_ambiguous_word_offers_every_dictionary_form():
    assert {"акорд", "акорда"} <= normal_forms("Акорды")


def test_latin_and_digits_stay_as_written():
    assert lemmatize("ИГИЛ и COVID-19 в 2024 году") == ["игил", "и", "covid-19", "в", "2024", "год"]


def test_unknown_words_are_told_apart_from_dictionary_words():
    assert is_known("коалиция")
    assert not is_known("Сейтказиев")


# --- Names and titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "part", "nominative", "case", "gender"),
    [
        ("Бауыржана", "first", "бауыржан", "gent", "masc"),
        ("Сейтказиеву", "surname", "сейтказиев", "datv", "masc"),
        ("Омаровой", "surname", "омарова", "gent", "femn"),
        ("Омарову", "surname", "омарова", "accs", "femn"),
        ("Кариным", "surname", "карин", "ablt", "masc"),
        ("Жумагалиевского", "surname", "жумагалиевский", "gent", "masc"),
        ("Ивановны", "patronymic", "ивановна", "gent", "femn"),
    ],
)
def test_name_words_read_as_their_nominative_in_their_case(word, part, nominative, case, gender):
    assert NameReading(nominative, case, gender) in name_readings(word, part)


@pytest.mark.parametrize(
    ("word", "case"),
    [
        ("Сарсенова", "nomn"),
        ("Сарсеновой", "gent"),
        ("Сарсеновой", "datv"),
        ("Сарсенову", "accs"),
        ("Сарсеновой", "ablt"),
        ("Сарсеновой", "loct"),
    ],
)
def test_female_surname_unknown_to_the_dictionary_reads_in_every_case(word, case):
    assert NameReading("сарсенова", case, "femn") in name_readings(word, "surname")


def test_ambiguous_surname_keeps_both_readings():
    # «Омарова»: a woman in the nominative, or a man in the genitive.
    assert {(r.nominative, r.case, r.gender) for r in name_readings("Омарова", "surname")} >= {
        ("омарова", "nomn", "femn"),
        ("омаров", "gent", "masc"),
    }


@pytest.mark.parametrize("word", ["Нуртлеу", "Жумабекулы", "Асели"])
def test_names_the_analyser_does_not_know_stay_as_written(word):
    assert name_readings(word, "surname") == (NameReading(word.lower()),)


@pytest.mark.parametrize(
    ("written", "case", "nominative"),
    [
        ("заместителя акима области", "gent", "заместитель акима области"),
        ("главного тренера молодёжной сборной", "gent", "главный тренер молодёжной сборной"),
        (
            "первому вице-министру сельского хозяйства",
            "datv",
            "первый вице-министр сельского хозяйства",
        ),
        ("Главы государства", "gent", "Глава государства"),
        ("директора компании «Алтын Су»", "gent", "директор компании «Алтын Су»"),
        ("министр иностранных дел", "nomn", "министр иностранных дел"),
    ],
)
def test_titles_are_brought_to_the_nominative_dependents_left_alone(written, case, nominative):
    assert role_to_nominative(written, case) == nominative


@pytest.mark.parametrize(("written", "case"), [("брифинге", "loct"), ("в понедельник", "nomn")])
def test_words_that_are_no_title_are_not_taken_for_one(written, case):
    assert role_to_nominative(written, case) is None


def test_past_verbs_tell_the_speakers_gender():
    assert [past_verb_gender(w) for w in ("сказала", "заявил", "отметили", "словам")] == [
        "femn",
        "masc",
        "plur",
        None,
    ]


def test_search_forms_cover_dictionary_forms_unknown_words_and_hyphenated_parts():
    assert search_forms("сделок") == {"сделка", "сделок"}
    assert "токаев" in search_forms("Токаев") & search_forms("Токаеву")
    assert "қазақстанның" in search_forms("Қазақстанның")
    assert {"пресс-служба", "пресс", "служба"} <= search_forms("пресс-службы")


def test_only_unknown_words_of_three_letters_or_more_match_as_prefixes():
    assert matches_as_prefix("Қазақстан")
    assert not matches_as_prefix("коалиция")
    assert not matches_as_prefix("2024")
    assert not matches_as_prefix("ққ")
