"""Russian word forms: words brought to their dictionary form with pymorphy3.

Search indexes stories and reads queries as normal forms, the importer brings inflected names and
roles to the nominative, and the writing hints find tags and newsmakers a text mentions in any
grammatical case. All of them go through here, so one word reads the same way everywhere.

The analyser knows Russian; a word it does not know (Kazakh, Latin, a rare surname) is guessed
by its ending, and :func:`is_known` tells the two apart.
"""

import functools
import re
from dataclasses import dataclass

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


# --- People's names and roles ---------------------------------------------------------------------

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
GENDERS = ("masc", "femn")
# The analyser's tag for each part of a person's name.
_NAME_PART_TAGS = {"first": "Name", "patronymic": "Patr", "surname": "Surn"}
# Surnames the dictionary knows, one per way Russian-style surnames decline. An unknown surname
# of the same shape («Сейтказиевой», «Карина», «Жумагалиевского») declines by analogy with its
# model: the model's forms tell which endings stand for which case and gender.
_SURNAME_MODELS = (
    ("иванов", ("ов", "ев", "ёв")),
    ("пушкин", ("ин", "ын")),
    ("достоевский", ("ск", "цк")),
)


@dataclass(frozen=True)
class NameReading:
    """One way to read a word of a person's name: the nominative, and the case and gender it has.

    ``case`` and ``gender`` are None when the word says nothing about them: an indeclinable or
    unknown name («Айгерим», «Нуртлеу») may stand in any case, for anyone.
    """

    nominative: str
    case: str | None = None
    gender: str | None = None


def name_readings(word, part):
    """The ways ``word`` may read as the ``part`` ("first", "patronymic", "surname") of a name.

    Readings come from the analyser's dictionary and its guesses for unknown names; a surname
    it cannot analyse declines like a dictionary surname of the same shape. A word nothing fits
    stays as written, in any case: a Kazakh name is not forced into a Russian paradigm.
    """
    return _name_readings(word.lower(), part)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _name_readings(word, part):
    tag = _NAME_PART_TAGS[part]
    readings = []
    for parse in parses(word):
        if tag not in parse.tag or parse.tag.number == "plur" or parse.tag.case not in CASES:
            continue
        gender = str(parse.tag.gender) if parse.tag.gender in GENDERS else None
        if "Fixd" in parse.tag:
            readings.append(NameReading(word, None, gender))
            continue
        nominative = parse.inflect({"nomn", "sing"})
        if nominative is not None:
            case = str(parse.tag.case)
            readings.append(NameReading(_as_spelt(word, nominative.word), case, gender))
    if not readings and part == "surname":
        readings = _surname_by_analogy(word)
    return tuple(dict.fromkeys(readings)) or (NameReading(word),)


@functools.cache
def _surname_paradigms():
    """For each model surname: its stem endings, and ``{ending: [(case, gender, nominative
    ending)]}`` read off the dictionary's forms of the model."""
    paradigms = []
    for model, stems in _SURNAME_MODELS:
        parse = next(p for p in parses(model) if "Surn" in p.tag)
        base = model[: len(model) - 2] if model.endswith("ий") else model
        forms = [f for f in parse.lexeme if f.tag.number == "sing" and f.tag.gender in GENDERS]
        nominative = {str(f.tag.gender): f.word[len(base) :] for f in forms if f.tag.case == "nomn"}
        endings = {}
        for form in forms:
            gender = str(form.tag.gender)
            endings.setdefault(form.word[len(base) :], []).append(
                (str(form.tag.case), gender, nominative[gender])
            )
        paradigms.append((stems, endings))
    return paradigms


def _surname_by_analogy(word):
    readings = []
    for stems, endings in _surname_paradigms():
        for ending, forms in endings.items():
            base = word[: len(word) - len(ending)] if ending else word
            if word.endswith(ending) and len(base) > 3 and base.endswith(stems):
                readings += [NameReading(base + nom, case, gender) for case, gender, nom in forms]
    return readings


def is_place_or_organisation(word):
    """Whether the dictionary knows ``word`` as a place or an organisation («Астана», «МИД»)
    rather than a surname («Бекетова» is both: a surname)."""
    known = [p for p in parses(word.lower().replace("ё", "е")) if _from_dictionary(p)]
    return any("Geox" in p.tag or "Orgn" in p.tag for p in known) and not any(
        "Surn" in p.tag or "Patr" in p.tag for p in known
    )


def is_common_word(word):
    """Whether the dictionary knows ``word``, and only as something else than a person's name
    («Напомним», «Глава»; not «Дана», which is also a name)."""
    lower = word.lower().replace("ё", "е")
    return is_known(lower) and not any(
        {"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in parses(lower)
    )


def past_verb_gender(word):
    """ "masc", "femn" or "plur" for a verb in the past tense («сказала»: femn), else None."""
    for parse in parses(word.lower().replace("ё", "е")):
        if parse.tag.POS == "VERB" and parse.tag.tense == "past":
            return "plur" if parse.tag.number == "plur" else str(parse.tag.gender)
    return None


def cases_of(word, pos=("NOUN",)):
    """The cases ``word`` may stand in as one of the parts of speech ``pos``."""
    return {
        str(p.tag.case)
        for p in parses(word.lower().replace("ё", "е"))
        if p.tag.POS in pos and p.tag.case
    }


def role_to_nominative(text, case):
    """A job title from the ``case`` it stands in to the nominative, dependents left alone.

    «заместителя акима области» (gent) → «заместитель акима области»; «главного тренера
    молодёжной сборной» → «главный тренер молодёжной сборной». None when ``text`` does not start
    with a title in that case.
    """
    tokens = re.split(r"(\s+)", text.strip())
    if case == "nomn":
        return text.strip() if _head_index(tokens[::2], "nomn") is not None else None
    head = _head_index(tokens[::2], case)
    if head is None:
        return None
    noun = _parse_as(tokens[2 * head], "NOUN", case)
    gender = str(noun.tag.gender) if noun.tag.gender in GENDERS else "masc"
    for index in range(head + 1):
        word = tokens[2 * index]
        if index == head:
            form = noun.inflect({"nomn", "sing"})
        else:
            form = _parse_as(word, "ADJF", case).inflect({"nomn", "sing", gender})
        if form is None:
            return None
        tokens[2 * index] = _same_capitals(word, _as_spelt(word.lower(), form.word))
    return "".join(tokens)


def _head_index(words, case):
    """The index of the title's noun in ``words``: adjectives in ``case`` may come before it."""
    for index, word in enumerate(words):
        if _parse_as(word, "NOUN", case, animate=True):
            return index
        if not _parse_as(word, "ADJF", case):
            return None
    return None


def _parse_as(word, pos, case, animate=False):
    lower = word.lower().replace("ё", "е")
    # The dictionary knows «аким», the Kazakh title, only as a first name.
    proper = {"Surn", "Patr", "Geox"} | (set() if lower in _TITLES_KNOWN_AS_NAMES else {"Name"})
    for parse in parses(lower):
        tag = parse.tag
        if (
            pos == tag.POS
            and tag.case == case
            and tag.number != "plur"
            and not (proper & set(tag.grammemes))
            and not (animate and tag.animacy != "anim")
        ):
            return parse
    return None


_TITLES_KNOWN_AS_NAMES = {"аким", "акима", "акиму", "акимом", "акиме"}


def _same_capitals(original, word):
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _from_dictionary(parse):
    """Whether the analyser read ``parse`` in its dictionary, rather than guessed it."""
    stack = parse.methods_stack
    return len(stack) == 1 and type(stack[0][0]).__name__ == "DictionaryAnalyzer"


def _as_spelt(written, word):
    """``word`` with ``ё`` only where the writer used it: the dictionary spells «Сарсёнов»."""
    return word if "ё" in written else word.replace("ё", "е")


@functools.lru_cache(maxsize=CACHE_SIZE)
def search_forms(word, parts=True):
    """The lexemes search files ``word`` under and looks it up by, lower case.

    Its dictionary forms; the word as written too, because names are often read as some other
    dictionary word (the analyser takes «Токаев» for a plural of «токай», while «Токаеву» reads
    as «Токаев») and words it does not know are only guessed from their ending («Қазақстанның»);
    and, unless ``parts`` is false, the parts of a hyphenated word, so that an index has
    «служба» for «пресс-служба» and «Жомарт» for «Касым-Жомарт» (a query for «пресс-служба»
    itself looks for the whole word only).
    """
    word = word.lower().replace("ё", "е")
    forms = {*normal_forms(word), word}
    if parts and "-" in word:
        for part in word.split("-"):
            if part:
                forms |= search_forms(part)
    return frozenset(forms)


def matches_as_prefix(word):
    """Whether search should also take ``word`` as the start of longer words.

    Words the analyser does not know (Kazakh, new names) cannot be brought to a dictionary form,
    so «Қазақстан» has to find «Қазақстанның» by its beginning. Short beginnings match too much.
    """
    return len(word) >= 3 and any(ch.isalpha() for ch in word) and not is_known(word)
