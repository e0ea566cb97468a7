"""Quotation paragraphs of wire copy, and the attribution that goes with them.

The shapes read here:

* quotation first: «"…", - сказал X», «"…?" — спросил X», «"…" – уточнил он», also with the
  closing mark missing («"…, — заявил X»), or broken by the attribution («"…, — сказал X. — …"»);
* attribution first: «X заявил: "…"», «Как отметил X, "…"», «По словам X, "…"»;
* a quotation over several paragraphs: each paragraph opens with a mark, only the last closes.

Marks of any style nest in any other («…„…“…», "…«…»…"); a quoted name in the attribution
(«директор компании „Алтын Су“») stays part of it. Anything else stays body text, indirect
speech included («Министр сообщил, что…»).
"""

import re
from dataclasses import dataclass

from .. import morphology
from .attributions import SPEECH_VERB
from .names import GENITIVE_LEAD
from .typography import DASH, LOW, MARKS, UP, closing_of, depths, mark_kinds, opens_at

_CQ = re.escape(MARKS)
# After the closing mark: «», — сказал», «" - уточнил», «». — добавил» (the attribution starts
# in lower case).
_AFTER_CLOSE = re.compile(rf"\s*[,.]?\s*{DASH}\s*(?=[{LOW}a-z])")
# Inside a quotation whose closing mark is missing: «…, — заявил», «…? — спросил», «… — сказал».
_SEPARATOR = re.compile(rf"(?:,\s*|(?P<mark>\.\.\.|[?!…])\s*|\s+){DASH}\s*(?=[{LOW}a-z])")
# «"Мы готовы, — сказал он. — Это важно"»: the attribution inside the quotation.
_INTERRUPTION = re.compile(
    rf"(?P<before>[,.!?…])\s*{DASH}\s+(?P<attribution>[{LOW}][^{_CQ}]*?)(?P<after>[.,])\s*{DASH}\s+"
)
_SENTENCE_END = re.compile(rf"(?:(?<=[^\W\d_]{{3}})|(?<=[{_CQ})]))[.!?…]\s+(?=[{UP}A-Z«\"„“])")
_ALONE = re.compile(r"\s*[.!?…]?\s*")


@dataclass(frozen=True)
class QuoteParse:
    """What a quotation paragraph holds."""

    text: str
    attribution: str | None  # None: nobody is named in this paragraph
    rest: str = ""  # a sentence after the quotation that stays body text
    lead: str = ""  # sentences before the attribution that stay body text
    open: bool = False  # the quotation goes on in the next paragraph


def quote_first(paragraph, *, continuing=False):
    """A paragraph that opens with a quotation mark, or None when it is body text.

    ``continuing``: the paragraph carries on a quotation from the paragraph before, so it may
    end without an attribution.
    """
    if not opens_at(paragraph, 0):
        return None
    close = closing_of(paragraph, 0)
    if close is None:
        inner = paragraph[1:]
        separator = _separator(paragraph)
        if separator is None:
            return QuoteParse(_clean(inner, last=False), None, open=True)
        text = paragraph[1 : separator.start()] + (separator["mark"] or "")
        return _with_attribution(text, paragraph[separator.end() :])
    inner, after = paragraph[1:close], paragraph[close + 1 :]
    if match := _AFTER_CLOSE.match(after):
        return _with_attribution(inner, after[match.end() :])
    if _ALONE.fullmatch(after):
        if broken := _interrupted(paragraph, inner):
            return broken
        if continuing:
            return QuoteParse(_clean(inner), None)
    return None


def attribution_first(paragraph):
    """«X заявил: "…"» or «Как отметил X, "…"», or None."""
    level = depths(paragraph)
    for index, kind in mark_kinds(paragraph):
        if kind != 1 or level[index] or index == 0:
            continue
        at = index - 1
        while at >= 0 and paragraph[at].isspace():
            at -= 1
        if at < 0 or paragraph[at] not in ":,":
            continue
        lead, punctuation = paragraph[:at], paragraph[at]
        close = closing_of(paragraph, index)
        rest = ""
        if close is None:
            inner = paragraph[index + 1 :]
        else:
            inner, after = paragraph[index + 1 : close], paragraph[close + 1 :]
            if not _ALONE.fullmatch(after):
                end = re.match(rf"\s*[.!?…]\s+(?=[{UP}A-Z«\"„“])", after)
                if not end:
                    return None  # the quotation is part of a sentence: body text
                rest = after[end.end() :].strip()
        before, attribution = _last_sentence(lead.strip())
        if not _introduces(attribution, punctuation):
            return None
        text = _clean(inner, last=close is not None)
        return QuoteParse(
            text[:1].upper() + text[1:], attribution, rest, before, open=close is None
        )
    return None


def _introduces(attribution, punctuation):
    """Whether ``attribution`` introduces a quotation: «X заявил:», «Как отметил X,»."""
    words = attribution.split()
    if not words:
        return False
    if punctuation == ",":
        return bool(
            GENITIVE_LEAD.match(attribution)
            or (words[0].lower() == "как" and len(words) > 1 and _speech_verb_in(words[1:]))
        )
    return bool(GENITIVE_LEAD.match(attribution)) or _speech_verb_in(words)


def _speech_verb_in(words):
    return any(
        SPEECH_VERB.match(word.lower())
        and any(p.tag.POS in {"VERB", "INFN", "GRND", "PRTS"} for p in morphology.parses(word))
        for word in (w.strip(",.;:").lower() for w in words)
    )


def _last_sentence(text):
    ends = list(_SENTENCE_END.finditer(text))
    if not ends:
        return "", text
    return text[: ends[-1].start() + 1].strip(), text[ends[-1].end() :].strip()


def _separator(paragraph):
    """Where an unclosed quotation gives way to its attribution: a dash at the outer level
    followed by a speech verb; None when there is none (the quotation goes on)."""
    level = depths(paragraph)
    for match in _SEPARATOR.finditer(paragraph, 1):
        if level[match.start()] == 1 and SPEECH_VERB.match(paragraph, match.end()):
            return match
    return None


def _interrupted(paragraph, inner):
    """«"Мы готовы, — сказал он. — Это важно"»: one quotation around its attribution."""
    level = depths(paragraph)
    for match in _INTERRUPTION.finditer(inner):
        if level[match.start() + 1] != 1 or not SPEECH_VERB.match(match["attribution"]):
            continue
        first = inner[: match.start()].rstrip()
        if match["before"] in "!?…":
            first += match["before"]
        elif match["after"] == ".":
            first += "."
        text = f"{first} {inner[match.end() :]}"
        return QuoteParse(_clean(text), match["attribution"].strip())
    return None


def _with_attribution(text, attribution):
    attribution = attribution.strip()
    if broken := _interrupted_after(text, attribution):
        return broken
    rest = ""
    if end := _SENTENCE_END.search(attribution):
        attribution, rest = attribution[: end.start() + 1], attribution[end.end() :].strip()
    text = _clean(text)
    if not re.search(r"\w", text) or not re.search(r"[^\W\d_]", attribution):
        return None
    return QuoteParse(text, attribution.rstrip(" ."), rest)


_CONTINUATION = re.compile(rf"(?P<punct>[.,])\s*{DASH}\s*(?P<rest>\S.*)$")


def _interrupted_after(text, attribution):
    """«"Мы готовы, — сказал он. — Это важно"» with the closing mark at the very end, read
    after the first separator: the quotation goes on after the attribution."""
    cont = _CONTINUATION.search(attribution)
    if not cont:
        return None
    more = cont["rest"].rstrip(" .")
    if not more or more[-1] not in MARKS:
        return None
    more = more[:-1].rstrip()
    text = text.rstrip(" ,")
    if cont["punct"] == "." and text[-1:] not in "?!….":
        text += "."
    return QuoteParse(_clean(f"{text} {more}"), attribution[: cont.start()].strip())


def _clean(text, last=True):
    """The quotation without what surrounds it; ``last``: its final full stop dropped too, as
    the page closes the quotation itself (earlier paragraphs of a long one keep theirs)."""
    text = text.strip().rstrip(",").rstrip()
    if text.endswith('"') and text.count('"') % 2 == 1:
        text = text[:-1].rstrip()  # the closing mark of `"Quote." - said…`
    if last and text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()
