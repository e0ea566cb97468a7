"""Names in wire text: who a text names, in which grammatical case.

Nothing here touches the database. ``mentions_in(text)`` finds the people a text names, each
with the readings of the name in the nominative («Бауыржана Сейтказиева» reads as Бауыржан
Сейтказиев, in the genitive); a name inside quotation marks («Алтын Су») is never a person.
"""

import itertools
import re
from dataclasses import dataclass

from .. import morphology
from ..morphology import NameReading, name_readings
from .typography import LOW, UP, mask_quoted

_NAME_WORD = rf"[{UP}][{LOW}]+(?:-[{UP}]?[{LOW}]+)*"
_TOKEN = re.compile(rf"(?<![\w-])(?:(?P<initial>[{UP}])\.|(?P<word>{_NAME_WORD})(?![\w-]))")
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична|улы|ұлы|кызы|қызы)$")
# Titles, which the dictionary may also know as first names («Аким»), open no name; only case
# endings follow them, so that «Директоров» stays a surname.
_ENDING = r"(?:а|я|у|ю|ом|ем|ём|ой|е|и|ы|ь|ей|ям|ями|ях|ам|ами|ах)?"
TITLE = re.compile(
    rf"""^(?:(?:глав|президент|министр|аким|председател|спикер|депутат|сенатор|генсек|директор
    |руководител|заместител|пресс-секретар|советник|мэр|губернатор|канцлер|госсекретар
    |генпрокурор|прокурор|судь|мажилисмен|эксперт|политолог|омбудсмен|тренер|начальник|ректор
    |посл|посол){_ENDING}|премьер-\S+|вице-\S+|экс-\S+|елбасы)$""",
    re.VERBOSE,
)
# Capitalised at the start of a sentence, never part of a name.
_STOPWORDS = {
    "ранее", "напомним", "также", "кроме", "однако", "позже", "позднее", "сегодня", "вчера",
    "завтра", "теперь", "тогда", "как", "так", "это", "этот", "эта", "эти", "он", "она", "они",
    "мы", "вы", "об", "по", "во", "на", "при", "для", "из", "со", "ко", "но", "между", "после",
    "перед", "уже", "еще", "ещё", "впрочем", "итак", "всего", "лидеры", "главы", "стороны",
}  # fmt: skip
# A name right after one of these («на встрече с Путиным») is a partner, not the speaker.
PREPOSITIONS = {
    "с", "со", "к", "ко", "у", "о", "об", "обо", "для", "от", "при", "без", "про", "перед", "за",
    "между", "над", "под", "против", "вместо", "кроме", "через", "среди", "в", "во", "на", "по",
    "из", "до", "после", "из-за", "благодаря", "согласно", "вслед",
}  # fmt: skip
# «По словам министра, …»: the speaker stands in the genitive.
GENITIVE_LEAD = re.compile(
    r"^(?:как\s+)?(?:по\s+(?:словам|мнению|оценке|данным|информации|убеждению|признанию)|со\s+слов)"
    r"(?!\w)",
    re.IGNORECASE,
)
# The parts of speech a title is made of: «первый заместитель акима Алматинской области», «ТОО».
_TITLE_POS = {"NOUN", "ADJF", "PRTF", "NUMR", None}
PRONOUN = re.compile(r"(?<![\w-])(?P<pronoun>он|она)(?![\w-])")


@dataclass(frozen=True)
class PersonName:
    """A person's name in the nominative; ``initials`` stand in for a first name not given."""

    surname: str
    first: str = ""
    patronymic: str = ""
    initials: str = ""
    gender: str | None = None
    case: str | None = None  # the case the name stood in, when its endings tell

    def __str__(self):
        return " ".join(
            p for p in (self.first or self.initials, self.patronymic, self.surname) if p
        )

    @property
    def is_full(self):
        return bool(self.first)

    @property
    def key(self):
        """The name folded for comparison: case, ``ё`` and the reading's case left out."""
        return tuple(fold(p) for p in (self.first, self.patronymic, self.initials, self.surname))


@dataclass(frozen=True)
class Mention:
    """A person named in a text: where, as written, and the ways the name may read."""

    start: int
    end: int
    written: str
    readings: tuple  # PersonName, most likely first
    governed: bool  # after a preposition («на встрече с Путиным»): not the subject

    def in_case(self, case):
        """The readings of the name standing in ``case`` (names that do not decline always do)."""
        return tuple(r for r in self.readings if r.case in (case, None))

    @property
    def is_full(self):
        return any(r.is_full for r in self.readings)

    @property
    def surname_only(self):
        return all(not r.first and not r.initials for r in self.readings)


# How far before a name its preposition or title is looked for, in characters.
LOOK_BEHIND = 300
# Kazakh letters and the Russian ones the same names are often spelt with: «Тоқаев», «Токаев».
KAZAKH_LETTERS = str.maketrans("әғқңөұүһі", "агкноуухи")


def fold(text):
    """``text`` for comparing names: letter case, «ё» and Kazakh letters left out."""
    return text.casefold().replace("ё", "е").translate(KAZAKH_LETTERS)


def capitalise(word):
    """«касым-жомарт» → «Касым-Жомарт»."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


# --- Names -------------------------------------------------------------------------------------


def mentions_in(text):
    """The people ``text`` names, in order. Words inside quotation marks are never names."""
    masked = mask_quoted(text)
    found = []
    for group in _groups(masked):
        runs, run = [], []
        for token in group:
            if _is_name_token(token, masked):
                run.append(token)
            else:
                runs.append(run)
                run = []
        runs.append(run)
        for run in runs:
            if mention := _mention(text, run):
                found.append(mention)
    return found


def _groups(text):
    """Runs of capitalised words and initials standing next to each other."""
    group, last_end = [], None
    for match in _TOKEN.finditer(text):
        gap = text[last_end : match.start()] if last_end is not None else None
        joined = gap is not None and (
            gap == " " or (gap in ("", " ") and group and group[-1]["initial"])
        )
        if not joined and group:
            yield group
            group = []
        group.append(match)
        last_end = match.end()
    if group:
        yield group


def _is_name_token(token, text):
    if token["initial"]:
        return True
    word = token["word"]
    lower = word.lower()
    if lower in _STOPWORDS or TITLE.match(lower) or morphology.is_place_or_organisation(word):
        return False
    if not morphology.is_common_word(word):
        return True
    # A common word («Токаев» is also the genitive plural of «токай»): capitalised at the start
    # of a sentence it is that word; inside a sentence, a capital makes it a name, if it can be.
    at = token.start() - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    at_start = at < 0 or text[at] in ".!?…:"
    return not at_start and any(
        r.case for part in ("first", "surname") for r in name_readings(word, part)
    )


def _parts_of(run):
    """Which part of a name each token of ``run`` is, from the end: the surname comes last."""
    words = list(run)
    while words and words[-1]["initial"]:
        words.pop()  # «Омарова А.»: initials after the surname are not read
    if not words:
        return []
    initials = list(itertools.takewhile(lambda t: t["initial"], reversed(words[:-1])))
    if initials:
        return [(t, "initial") for t in reversed(initials)] + [(words[-1], "surname")]
    names = [t for t in words if not t["initial"]]
    if len(names) >= 3 and _is_patronymic(names[-2]["word"]):
        return [(names[-3], "first"), (names[-2], "patronymic"), (names[-1], "surname")]
    if (
        len(names) >= 2
        and _could_be(names[-2]["word"], "first")
        and _could_be(names[-1]["word"], "surname")
    ):
        return [(names[-2], "first"), (names[-1], "surname")]
    if _has_surname_reading(names[-1]["word"]):
        return [(names[-1], "surname")]
    return []


def _is_patronymic(word):
    return bool(_PATRONYMIC.search(word.lower())) or any(
        r.case for r in name_readings(word, "patronymic")
    )


def _could_be(word, part):
    """A name of that kind to the dictionary, or no word it knows otherwise (Kazakh names)."""
    return any(r.case or r.gender for r in name_readings(word, part)) or not (
        morphology.is_common_word(word)
    )


def _has_surname_reading(word):
    """A lone capitalised word is a surname only when it declines like one («Омаровой»).

    Adjective-like surnames need a first name: alone, «Наурызбайского» is a district.
    """
    lower = word.lower()
    return any(r.case for r in name_readings(word, "surname")) and not (
        not morphology.is_known(lower)
        and re.search(r"(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую)$", lower)
    )


def _mention(text, run):
    parts = _parts_of(run)
    if not parts:
        return None
    start, end = parts[0][0].start(), parts[-1][0].end()
    readings = _readings([(t["initial"] or t["word"], part) for t, part in parts])
    if not readings:
        return None
    return Mention(start, end, text[start:end], readings, _governed(text, start))


def _readings(parts, as_written=False):
    """The name read in every consistent case and gender, most likely first.

    When the dictionary's readings of the words disagree («Сауле» is only a masculine name in
    the locative to it), the first name and patronymic are taken as written.
    """
    options = []
    for written, part in parts:
        if part == "initial":
            options.append([(written + ".", None)])
        elif as_written and part != "surname":
            options.append([(written, NameReading(written.lower()))])
        else:
            options.append([(written, r) for r in name_readings(written, part)])
    scored = {}
    for order, combo in enumerate(itertools.product(*options)):
        readings = [r for _w, r in combo if r is not None]
        cases = {r.case for r in readings if r.case}
        genders = {r.gender for r in readings if r.gender}
        if len(cases) > 1 or len(genders) > 1:
            continue
        values = {"first": "", "patronymic": "", "initials": [], "surname": ""}
        for (written, reading), (_w, part) in zip(combo, parts, strict=True):
            if part == "initial":
                values["initials"].append(written)
            elif reading.case or reading.gender:
                values[part] = capitalise(reading.nominative)
            else:
                values[part] = written  # unknown to the analyser: as written
        name = PersonName(
            surname=values["surname"],
            first=values["first"],
            patronymic=values["patronymic"],
            initials=" ".join(values["initials"]),
            gender=next(iter(genders), None),
            case=next(iter(cases), None),
        )
        # Prefer readings that more of the words confirm, then the analyser's order.
        score = (len([r for r in readings if r.case]), len([r for r in readings if r.gender]))
        key = (name.key, name.case, name.gender)
        if key not in scored or scored[key][0] < score:
            scored[key] = (score, order, name)
    if not scored and not as_written:
        return _readings(parts, as_written=True)
    ranked = sorted(scored.values(), key=lambda item: (-item[0][0], -item[0][1], item[1]))
    return tuple(name for _score, _order, name in ranked)


def _governed(text, start):
    """Whether a preposition governs the name at ``start`` («на встрече с Путиным»).

    Places and titles may stand between them («с Президентом России Владимиром Путиным»);
    a prepositional phrase inside a title in the nominative does not count («посол
    Казахстана в России Даурен Абаев»).
    """
    governed, after = False, None
    # A preposition governs from a few words away at most; a long paragraph is not re-read.
    for token in reversed(text[max(0, start - LOOK_BEHIND) : start].split()):
        word = token.strip('«»"„“”()')
        lower = word.lower()
        if not word or token[-1] in ",.;:!?—–-":
            break
        if after and GENITIVE_LEAD.match(f"{lower} {after}"):
            return False  # «по словам министра»: the speaker, not a partner
        if lower in PREPOSITIONS:
            # «с Президентом России Путиным» governs the name; «на брифинге Умаров» does not.
            if after is None or after[0].isupper() or TITLE.match(after) or _is_title_noun(after):
                governed = True
        elif TITLE.match(lower) or _is_title_noun(word):
            if "nomn" in morphology.cases_of(word):
                return False
        elif word[0].isupper():
            if is_name_word(word):
                break  # another person: whatever governs is theirs
        elif not is_title_word(word):
            break  # the verb
        after = lower if not word[0].isupper() else word
    return governed


def _is_title_noun(word):
    return any(
        p.tag.POS == "NOUN" and p.tag.animacy == "anim" for p in morphology.parses(word.lower())
    )


def is_name_word(word):
    """Whether a capitalised ``word`` may be part of a person's name («РГП» may not)."""
    lower = word.lower()
    return not (
        (len(word) > 1 and word.isupper())
        or lower in _STOPWORDS
        or TITLE.match(lower)
        or morphology.is_place_or_organisation(word)
        or morphology.is_common_word(word)
    )


def is_title_word(word):
    """Whether ``word`` may be part of a job title: a noun, an adjective, an abbreviation."""
    if word[-1:] in ",.;:!?—–-" or word.lower() in PREPOSITIONS or PRONOUN.fullmatch(word):
        return False
    parses = morphology.parses(word.lower())
    return parses[0].tag.POS in _TITLE_POS if parses else False
