"""Word forms: every grammatical case of a Russian word reads as its dictionary form."""

import pytest

from articles.morphology import is_known, lemmatize, normal_form, normal_forms


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
