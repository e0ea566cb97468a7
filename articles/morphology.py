"""Russian word forms: words brought to their dictionary form with pymorphy3.

Search indexes stories and reads queries as normal forms, the importer brings inflected names and
roles to the nominative, and the writing hints find tags and newsmakers a text mentions in any
grammatical case. All of them go through here, so one word reads the same way everywhere.

The analyser knows Russian; a word it does not know (Kazakh, Latin, a rare surname) is guessed
by its ending, and :func:`is_known` tells the two apart.
"""

import functools
import re

import pymorphy3

# A word: letters and digits, hyphenated parts kept together («пресс-служба», «Касым-Жомарт»).
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
CACHE_SIZE = 200_000


@functools.cache
def analyzer():
    """The one MorphAnalyzer of the process (loading the dictionaries takes a moment)."""
    return pymorphy3.MorphAnalyzer(lang="ru")


def words(text):
    """The words of ``text`` in lower case, ``ё`` read as ``е``, in order."""
    return [w.lower().replace("ё", "е") for w in WORD.findall(text or "")]


@functools.lru_cache(maxsize=CACHE_SIZE)
def parses(word):
    """pymorphy3's analyses of ``word``, most likely first."""
    return tuple(analyzer().parse(word))


def normal_form(word):
    """The most likely dictionary form of ``word``, lower case; digits and Latin as written."""
    word = word.lower().replace("ё", "е")
    if not _cyrillic(word):
        return word
    return parses(word)[0].normal_form.replace("ё", "е")


@functools.lru_cache(maxsize=CACHE_SIZE)
def normal_forms(word):
    """Every dictionary form ``word`` may come from («Акорды»: акорд, акорда), lower case."""
    word = word.lower().replace("ё", "е")
    if not _cyrillic(word):
        return frozenset([word])
    return frozenset(p.normal_form.replace("ё", "е") for p in parses(word))


def is_known(word):
    """Whether the analyser's dictionary has ``word``, rather than guessing from its ending."""
    return analyzer().word_is_known(word.lower())


def lemmatize(text):
    """The normal form of every word of ``text``, in order."""
    return [normal_form(word) for word in words(text)]


def _cyrillic(word):
    return any("\u0400" <= ch <= "\u04ff" for ch in word)
