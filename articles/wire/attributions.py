"""Attributions: whom «сказал заместитель акима области Бауыржан Сейтказиев на брифинге»
gives as the speaker, with which title, and the context left once the speech verb, the title
and the name are taken out. Read from the text alone.
"""

import re
from dataclasses import dataclass

from .. import morphology
from ..morphology import role_to_nominative
from .names import (
    GENITIVE_LEAD,
    LOOK_BEHIND,
    PREPOSITIONS,
    PRONOUN,
    TITLE,
    Mention,
    is_name_word,
    is_title_word,
    mentions_in,
)
from .typography import LOW, closing_of, depths, mark_kinds

# Speech verbs, by stem: «сказал», «отметила», «говорится», «по словам»...
SPEECH_VERB = re.compile(
    r"""(?:сказа|отмет|заяв|подчерк|добав|поясн|сообщ|рассказ|уточн|написа|говор|отмеча|счита
    |увер|призна|выраз|констатир|резюмир|ответ|спрос|переда|пиш|цитир|заключ|призв|напомн|убежд
    |полага|указ|объясн|прокоммент|высказ|завер|подыто|пообеща|обеща|предупред|акцентир|обрат
    |продолж|посетов|сету|пожалов|поделил|отреагир|возраз|парир|воскликн|произн|информир
    |по\s+словам|по\s+мнению)""",
    re.VERBOSE,
)
# Attributions with no one behind them: «отмечается на сайте…», «говорилось в заявлении…»;
# not «признаётся он», where a person follows the verb.
_IMPERSONAL = re.compile(
    rf"^(?:[{LOW}]+(?:ется|ётся|ится|ются|ятся|лось)|сказано|отмечено|указано|заявлено"
    rf"|подчеркнуто|подчёркнуто|сообщено)(?:\s+(?:в|во|на|из|по|что|также|тоже)(?!\w)|\s*[,.]|$)"
)
# «отметили в акимате»: a plural verb and a place, no person.
_PLURAL_PLACE = re.compile(rf"^[{LOW}]+ли\s+(?:в|во|на|из)\s")
_ADVERBS = r"(?:\s+(?:тогда|также|тоже|же|ещё|еще|позже|позднее|ранее|вновь|снова|дополнительно))*"
_VERB_PART = re.compile(
    rf"(?:(?<=^)|(?<=\s))(?:как\s+)?(?:{SPEECH_VERB.pattern}[{LOW}]*){_ADVERBS}(?![\w-])",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Attribution:
    """What an attribution says about the speaker; all of it read from the text alone."""

    text: str
    speaker: Mention | None = None
    readings: tuple = ()  # the speaker's readings in the case the attribution puts them in
    role: str = ""  # the title to show with the quote, in the nominative
    title: str = ""  # the title the attribution gives, shown or not («Глава государства»)
    context: str = ""  # where and when: the attribution without the verb, title and name
    gender: str | None = None  # of the verb or the pronoun: "masc", "femn", "plur"
    case: str = "nomn"  # the case the attribution puts the speaker in («по словам»: gent)
    pronoun: bool = False  # «добавил он»
    impersonal: bool = False  # «говорится в сообщении»
    nobody: bool = False  # «отметили в акимате»
    unnamed: bool = False  # someone the attribution does not name («сказала журналистка, но…»)


# --- Titles ------------------------------------------------------------------------------------


def _pieces(text):
    """Words of ``text`` as ``(start, end, quoted)``, a quoted name («Алтын Су») one piece."""
    level, marks = depths(text), dict(mark_kinds(text))
    pieces, index = [], 0
    while index < len(text):
        if marks.get(index) == 1 and not level[index]:
            close = closing_of(text, index)
            end = len(text) if close is None else close + 1
            pieces.append((index, end, True))
        elif text[index].isspace():
            end = index + 1
        else:
            end = index
            while end < len(text) and not text[end].isspace():
                if marks.get(end) == 1 and not level[end]:
                    break
                end += 1
            pieces.append((index, end, False))
        index = end
    return pieces


def title_before(text, start, case):
    """``(title in the nominative, where it starts)`` for the title right before ``start``.

    A title may hold prepositions («председатель комитета по воде», «посол Казахстана в
    России»), so the words back to the verb or the punctuation are tried from the longest.
    """
    offset = max(0, start - LOOK_BEHIND)
    window = text[offset:start]
    span = []
    for piece in reversed(_pieces(window)):
        word = window[piece[0] : piece[1]]
        if not (piece[2] or is_title_word(word) or word.lower() in PREPOSITIONS | {"и"}):
            break
        if not piece[2] and word[:1].isupper() and is_name_word(word):
            break  # someone else's name: their title is theirs
        span.insert(0, piece)
    for first in range(len(span)):
        if span[first][2]:
            continue
        if role := role_to_nominative(window[span[first][0] : span[-1][1]], case):
            return _sentence_case(role, text, offset + span[first][0]), offset + span[first][0]
    return "", start


def _sentence_case(role, text, start):
    """A title opening the sentence loses the capital the sentence gave it."""
    at = start - 1
    while at >= 0 and text[at].isspace():
        at -= 1
    if at < 0 or text[at] in ".!?":
        first = role.split()[0]
        if morphology.is_common_word(first) or TITLE.match(first.lower()):
            return role[:1].lower() + role[1:]
    return role


def title_after(text, end, case):
    """``(title, where it ends)`` for an apposition: «Ерлан Бекетов, директор ТОО «Алтын Су»»."""
    comma = re.match(r"\s*,\s*", text[end:])
    if not comma:
        return "", end
    begin, span = end + comma.end(), []
    for start, stop, quoted in _pieces(text):
        if start < begin:
            continue
        word = text[start:stop]
        bare = word if quoted else word.rstrip(",.;:!?")
        if not (quoted or (bare and is_title_word(bare))):
            break
        span.append((start, start + len(bare)))
        if bare != word:
            break
    if span and (role := role_to_nominative(text[span[0][0] : span[-1][1]], case)):
        return role, span[-1][1]
    return "", end


# --- Attributions ------------------------------------------------------------------------------


def read_attribution(text):
    """Who an attribution gives as the speaker, the title, and the context left over."""
    text = text.strip().rstrip(".").strip()
    plain = re.sub(r"^как\s+", "", text, flags=re.IGNORECASE)
    lowered = plain[:1].lower() + plain[1:]
    if _IMPERSONAL.match(lowered):
        speaker = next(iter(mentions_in(text)), None)
        return Attribution(
            text, speaker, speaker.readings if speaker else (), context=text, impersonal=True
        )
    if _PLURAL_PLACE.match(lowered):
        return Attribution(text, context=text, nobody=True)
    case = "gent" if GENITIVE_LEAD.match(text) else "nomn"
    verb = _VERB_PART.search(text)
    gender = _verb_gender(verb[0]) if verb else None
    for mention in mentions_in(text):
        if mention.governed:
            continue
        readings = mention.in_case(case)
        if not readings:
            continue
        if gender in ("masc", "femn"):
            readings = tuple(r for r in readings if r.gender in (gender, None)) or readings
        role, role_start = title_before(text, mention.start, case)
        appositive, after_end = title_after(text, mention.end, case)
        role = role or appositive
        context = _context(text, [verb.span() if verb else None, (role_start, after_end)])
        if context is None:
            context, role = text, ""  # the attribution reads best whole
        return Attribution(text, mention, readings, role, role, context, gender, case=case)
    if pronoun := PRONOUN.search(text):
        gender = "femn" if pronoun["pronoun"] == "она" else "masc"
        rest = _without(text, [verb.span() if verb else None, pronoun.span()])
        return Attribution(text, context=rest, gender=gender, pronoun=True, case=case)
    after_verb = text[verb.end() :].strip() if verb else text
    if verb and not after_verb:
        return Attribution(text, gender=gender, case=case)  # «…», — добавил.
    role = role_to_nominative(after_verb, case)
    if role and _only_title(after_verb):
        # «подчеркнул Глава государства»: a title alone, for the person named before.
        return Attribution(text, role=role, title=role, gender=gender, case=case)
    if title := _trailing_title(text, case):
        # «выразил тогда своё беспокойство Глава Казахстана»: best read whole.
        return Attribution(text, title=title, context=text, gender=gender, case=case)
    return Attribution(text, context=text, gender=gender, unnamed=True, case=case)


def _trailing_title(text, case):
    words = text.split()
    for start in range(len(words)):
        tail = " ".join(words[start:])
        if _only_title(tail) and (role := role_to_nominative(tail, case)):
            return role
    return ""


def _only_title(text):
    words = text.split()
    return bool(words) and all(is_title_word(w) for w in words)


def _verb_gender(words):
    for word in words.split():
        if gender := morphology.past_verb_gender(word):
            return gender
    return None


def _context(text, spans):
    """What is left of ``text`` without ``spans``, or None when words are left on both sides
    of them and the attribution reads better whole."""
    spans = sorted(s for s in spans if s)
    left, index = [], 0
    for start, end in spans:
        if text[index:start].strip(" ,;:—–-"):
            left.append(text[index:start])
        index = max(index, end)
    if text[index:].strip(" ,;:—–-"):
        left.append(text[index:])
    if len(left) > 1:
        return None
    return _without(text, spans)


def _without(text, spans):
    kept, index = [], 0
    for span in sorted(s for s in spans if s):
        if span[0] > index:
            kept.append(text[index : span[0]])
        index = max(index, span[1])
    kept.append(text[index:])
    rest = " ".join(" ".join(kept).split())
    rest = re.sub(r"\s+([,.;:])", r"\1", rest).strip(" ,;:—–-")
    if re.fullmatch(r"(?:как|он|она)?", rest, re.IGNORECASE):
        return ""
    first = rest.split()[0]
    if first[:1].isupper() and morphology.is_common_word(first):
        rest = rest[:1].lower() + rest[1:]  # «Выступая в Астане, X заявил» → «выступая в Астане»
    return rest
