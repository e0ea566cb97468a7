"""Sources a wire story cites: «сообщает пресс-служба Акорды», «Источник: Kazinform».

Read from the text alone; matching them with the sources already on the site comes later.
"""

import re

from ..models import Source
from ..morphology import role_to_nominative
from .names import mentions_in
from .typography import DASH

SOURCE_MAX_LENGTH = Source._meta.get_field("name").max_length

_SOURCE_VERB = (
    r"(?:сообща(?:ет|ют)|сообщил[аио]|переда[её]т|передают|передал[аио]|информиру(?:ет|ют)"
    r"|пиш(?:ет|ут))"
)
_SOURCE_PHRASE = re.compile(
    rf"(?:(?:^|(?<=[\s(]))(?:[Оо]б\s+этом|[Оо]\s+(?:ч[её]м|том)|[Кк]ак)\s+|,\s*|\s{DASH}\s*)"
    rf"{_SOURCE_VERB}\s+(?P<name>[^\s,.;:!?].*?)(?=\s*(?:[,;:!?()]|\.(?:\s|$)|$))"
)
# An attribution that is a source: «"…", - сообщает пресс-служба Акорды».
_QUOTE_SOURCE = re.compile(rf"^{_SOURCE_VERB}\s+(?P<name>.+?)\.?$")
# A source after the speaker: «"…", - сказала Дана Касымова, сообщает акимат Алматы».
_TRAILING_SOURCE = re.compile(rf",\s*{_SOURCE_VERB}\s+(?P<name>[^,]+?)\.?$")
SOURCE_LINE = re.compile(
    r"^(?:источник|по\s+материалам)\s*:?\s+(?P<name>.{2,100}?)\.?$", re.IGNORECASE
)
_SOURCE_CUT = re.compile(
    rf"\s+(?:со\s+ссылкой|в|во|на|о|об|что|при|после|{DASH})(?:\s|$).*$", re.IGNORECASE
)
_PREPOSITION = re.compile(r"^(?:в|во|на|с|со|о|об|по|из|у|к|от|для|что)\s", re.IGNORECASE)


def source_name(raw):
    """A source's name from what follows «сообщает», or None when it is not one."""
    name = _SOURCE_CUT.sub("", raw.strip())
    name = re.sub(r"^(?:собственн\w+\s+)?корр(?:еспондент\w*|\.)\s+", "", name, flags=re.I)
    name = name.strip(" ,.;:-–—")
    if (
        not name
        or _PREPOSITION.match(name + " ")
        or len(name.split()) > 8
        or len(name) > SOURCE_MAX_LENGTH
        or not re.search(r"[^\W\d_]", name)
        or _is_person(name)
    ):
        return None
    return name


def _is_person(name):
    """«сообщила заместитель акима Гульнар Сейтова»: a person said it, not a source."""
    return bool(mentions_in(name)) or role_to_nominative(name.split()[0], "nomn") is not None


def sources_in(text):
    """The sources a paragraph cites."""
    return [n for m in _SOURCE_PHRASE.finditer(text) if (n := source_name(m["name"]))]


def source_line(paragraph):
    """The source a «Источник: …» line gives, or None."""
    if match := SOURCE_LINE.match(paragraph):
        return source_name(match["name"])
    return None


def split_attribution_source(attribution):
    """``(attribution, source name)``: the source an attribution cites, taken out of it.

    «сообщает пресс-служба Акорды» is all source; «сказала Дана Касымова, сообщает акимат
    Алматы» names the speaker and then the source.
    """
    whole = _QUOTE_SOURCE.match(attribution)
    if whole and (name := source_name(whole["name"])):
        return attribution, name
    trailing = _TRAILING_SOURCE.search(attribution)
    if trailing and (name := source_name(trailing["name"])):
        return attribution[: trailing.start()].rstrip(), name
    return attribution, None
