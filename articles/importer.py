"""Import plain-text wire stories: drop site chrome, find headline, lede, quotes and sources.

``parse_wire`` reads bytes or text into a ``WireStory`` without touching the database;
``import_story`` saves one as a Story with its quotes, speakers and sources, once per text.
"""

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Newsmaker, Quote, Section, Source, Story
from .richtext import text_to_html

HEADLINE_MAX_LENGTH = Story._meta.get_field("headline").max_length
CONTEXT_MAX_LENGTH = Quote._meta.get_field("context").max_length
NAME_MAX_LENGTH = Newsmaker._meta.get_field("name").max_length
SOURCE_MAX_LENGTH = Source._meta.get_field("name").max_length
# Share buttons and captions are short; a longer line is prose even if it starts alike.
CHROME_MAX_LENGTH = 150
NAV_MAX_LENGTH = 300
# How many paragraphs back a quote attributed only to a role ("said the head of state") looks.
LOOKBACK = 3

UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOW = "а-яёәғқңөұүһі"
OPEN_QUOTES = '"«„“”'
CLOSE_QUOTES = '"»“”'
DASH = r"(?:--?|[‒–—―])"


class WireParseError(ValueError):
    """The input is not a wire story the importer can read; the message says why."""


@dataclass
class WireQuote:
    text: str
    attribution: str
    position: int  # body paragraphs before the quote

    @property
    def context(self):
        context = re.sub(r"\s*\.$", "", self.attribution).strip()
        if len(context) > CONTEXT_MAX_LENGTH:
            context = context[: CONTEXT_MAX_LENGTH - 1].rstrip() + "…"
        return context


@dataclass
class WireStory:
    headline: str
    lede: str
    # Body paragraphs (str) and quotes (WireQuote) in reading order.
    items: list
    source_names: list
    import_ref: str

    @property
    def body_paragraphs(self):
        return [item for item in self.items if isinstance(item, str)]

    @property
    def quotes(self):
        return [item for item in self.items if isinstance(item, WireQuote)]


@dataclass
class ImportResult:
    story: Story
    created: bool
    new_newsmakers: list = field(default_factory=list)


# --- Reading bytes -----------------------------------------------------------------------------


def decode(data):
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251 bytes."""
    if isinstance(data, str):
        text = data
    else:
        data = bytes(data)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError as error:
                raise WireParseError(_("The file is not readable text.")) from error
        elif b"\x00" in data:
            raise WireParseError(_("The file is binary, not text."))
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                text = _decode_cp1251(data, error)
    text = text.replace("\ufeff", "")
    if not text.strip():
        raise WireParseError(_("The file is empty."))
    if "\x00" in text or _control_share(text) > 0.01:
        raise WireParseError(_("The file is binary, not text."))
    return text


def _decode_cp1251(data, utf8_error):
    # UTF-8 Russian with a damaged byte also decodes as Windows-1251, into mojibake ("РџСЂ…"),
    # so a text that is nearly all valid UTF-8 is reported rather than guessed at.
    as_utf8 = data.decode("utf-8", errors="replace")
    if as_utf8.count("\ufffd") <= max(3, len(as_utf8) / 100) and _mostly_cyrillic(as_utf8):
        raise WireParseError(
            _("The file is UTF-8 text with invalid bytes, the first at byte %(offset)d.")
            % {"offset": utf8_error.start}
        ) from None
    text = data.decode("cp1251", errors="replace")
    if not _mostly_cyrillic(text):
        raise WireParseError(_("The file is neither UTF-8 nor Windows-1251 text.")) from None
    return text


def _mostly_cyrillic(text):
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return bool(letters) and cyrillic >= len(letters) / 2


def _control_share(text):
    controls = sum(
        1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"
    ) + text.count("\ufffd")
    return controls / len(text)


_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060]")


def normalise_lines(text):
    """Lines of ``text`` with one kind of line break and space, trimmed; blank lines kept."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\r\n?|[\f\v\u2028\u2029\x85]", "\n", text)
    text = _INVISIBLE.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


# --- Site chrome -------------------------------------------------------------------------------

# Menu items, section names, languages and share targets: a line made only of these (and dates,
# times, counters and separators) is navigation, wherever it stands.
NAV_PHRASES = """
прямой эфир | онлайн | главная | главная страница | новости | новости дня | новости спорта
| новости казахстана | новости мира | лента | лента новостей | все новости | последние новости
| главные новости | горячие новости | эксклюзив | реклама | на правах рекламы | политика
| экономика | общество | спорт | в мире | мир | казахстан | происшествия | криминал | культура
| наука | технологии | здоровье | образование | авто | бизнес | финансы | аналитика | мнения
| интервью | видео | фото | фоторепортаж | инфографика | спецпроекты | регионы | погода
| курсы валют | курс валют | поиск | меню | войти | вход | регистрация | контакты | о нас
| подписка | шоу-бизнес | кино | lifestyle | рус | каз | қаз | eng | ru | kz | en | home | news
| live | menu | search | advertisement | вконтакте | вк | vk | facebook | twitter | x | telegram
| whatsapp | instagram | youtube | tiktok | одноклассники | ok | сегодня | вчера | обновлено
| просмотров | просмотры | комментариев | нет комментариев
"""
_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_NAV_TOKEN = "|".join(
    sorted(
        (re.escape(p.strip()).replace(r"\ ", r"\s+") for p in NAV_PHRASES.split("|")),
        key=len,
        reverse=True,
    )
)
_CHROME_LINE = re.compile(
    rf"""^(?:
        (?:{_NAV_TOKEN})(?!\w)
        | \d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?(?:\s*(?:г\.|года))?
        | \d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}
        | \d{{1,2}}:\d{{2}}
        | \d+
        | [|/\\•·»›>→*\-–—,:;()\[\]]
        | \s
    )+$""",
    re.IGNORECASE | re.VERBOSE,
)
# What follows the story on a page: share buttons, related links, partner news, tags, comments.
_TRAILING_CHROME = re.compile(
    r"""^(?:
        поделит(?:ься|есь)(?:\s+(?:в|с)\s+[\w\s-]{0,40})?\s*(?::|!|$)
        | (?:новости|материалы|статьи|публикации)\s+партн[её]ров
        | (?:читайте|читать|смотрите|см\.)\s+(?:также|ещё|еще|по\s+теме|нас)
        | (?:материалы|новости|статьи)\s+по\s+теме
        | по\s+теме\s*:
        | (?:похожие|другие|последние|популярные|главные)\s+(?:новости|материалы|статьи)\s*:?\s*$
        | самое\s+(?:читаемое|популярное|обсуждаемое)
        | комментари(?:и|ев)\s*(?:\(\d+\)|\d+)?\s*:?\s*$
        | (?:теги|тэги|метки|ключевые\s+слова)\s*:
        | подпис(?:ывайтесь|ывайся|аться|ьтесь)\b
        | (?:если\s+вы\s+)?нашли\s+ошибку
        | share\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION = re.compile(
    r"^(?:фото|видео|скриншот|кадр|иллюстрация|иллюстративное\s+фото)(?:\s+[^\s:]+){0,4}\s*:",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    r"^(?:источник|по\s+материалам)\s*:?\s+(?P<name>.{2,100}?)\.?$", re.IGNORECASE
)


def _is_chrome(line):
    return len(line) <= NAV_MAX_LENGTH and bool(_CHROME_LINE.match(line))


def _is_short(line):
    return len(line) <= CHROME_MAX_LENGTH


def strip_chrome(lines):
    """The story's lines without the page's navigation, captions and what follows the story."""
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if line
            and not _is_chrome(line)
            # A share bar above the headline is chrome too, not the end of the story.
            and not (_is_short(line) and _TRAILING_CHROME.match(line))
        ),
        None,
    )
    if start is None:
        return []
    kept, content = [], 0
    for line in lines[start:]:
        if line and _is_short(line) and _TRAILING_CHROME.match(line):
            if content >= 2:
                break
            continue  # share buttons between the headline and the lede
        if line and (_is_chrome(line) or (_is_short(line) and _CAPTION.match(line))):
            continue
        kept.append(line)
        content += bool(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def split_paragraphs(lines):
    """Paragraphs separated by blank lines, hard-wrapped lines rejoined; with no blank line at
    all, one paragraph per line."""
    if "" not in lines:
        return list(lines)
    paragraphs, joinable = [], False
    for line in lines:
        if not line:
            joinable = False
        elif joinable and _continues(paragraphs[-1], line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
            joinable = True
    return paragraphs


def _continues(text, line):
    """Whether ``line`` carries on a hard-wrapped sentence rather than starting a paragraph."""
    if text[-1] in ",;(-–—":
        return True
    if text[-1] in '.!?…:»"“”)':
        return False
    # Only a lower-case start: a lede opening with a date must not join the headline.
    return line[0].islower()


# --- Quotes ------------------------------------------------------------------------------------

_CQ = re.escape(CLOSE_QUOTES)
# `"Quote", - said…` / `"Quote, - said…` / `"Who?" - asked…`: a comma or ?! before the dash.
_STRONG_SEPARATOR = re.compile(
    rf"(?:[{_CQ}]\s*,|,\s*[{_CQ}]?|(?P<mark>\.\.\.|[?!…])\s*[{_CQ}]?)\s*{DASH}\s*(?=[{LOW}a-z])"
)
# `"Quote" - said…`: a closing quote and a dash, without the comma.
_WEAK_SEPARATOR = re.compile(rf"[{_CQ}]\s*{DASH}\s*(?=[{LOW}a-z])")
_SPEECH_VERB = re.compile(
    r"""(?:сказа|отмет|заяв|подчерк|добав|поясн|сообщ|рассказ|уточн|написа|говор|отмеча|счита
    |увер|призна|выраз|констатир|резюмир|ответ|спрос|переда|пиш|цитир|заключ|призв|напомн|убежд
    |полага|указ|объясн|прокоммент|высказ|завер|подыто|пообеща|обеща|предупред|акцентир|обрат
    |продолж|посетов|сету|пожалов|поделил|отреагир|возраз|парир|воскликн|произн|информир
    |по\s+словам|по\s+мнению)""",
    re.VERBOSE,
)
_CONTINUATION = re.compile(rf"(?P<punct>[.,])\s*{DASH}\s*(?P<rest>\S.*)$")
_SENTENCE_END = re.compile(rf"(?:(?<=[^\W\d_]{{3}})|(?<=[{_CQ})]))\.\s+(?=[{UP}A-Z«\"„“])")


def parse_quote(paragraph):
    """``(text, attribution, rest)`` for a quotation paragraph, else None.

    ``rest`` is any further sentence after the attribution, which stays a body paragraph.
    """
    if paragraph[0] not in OPEN_QUOTES:
        return None
    inner = paragraph[1:]
    separator = _pick_separator(_STRONG_SEPARATOR.finditer(inner), inner) or _pick_separator(
        _WEAK_SEPARATOR.finditer(inner), inner
    )
    if separator is None:
        return None
    text = inner[: separator.start()] + (separator.groupdict().get("mark") or "")
    attribution, rest = inner[separator.end() :].strip(), ""

    cont = _CONTINUATION.search(attribution)
    if cont and (tail := cont["rest"].rstrip(" .")) and tail[-1] in CLOSE_QUOTES:
        # «Мы готовы, — сказал он. — Это важно»: the quote goes on after the attribution.
        more = cont["rest"].rstrip()
        more = more[:-1] if more.endswith(".") and more[-2:-1] in CLOSE_QUOTES else more
        more = more[:-1].rstrip() if more[-1:] in CLOSE_QUOTES else more
        text = text.rstrip(" ,")
        if cont["punct"] == "." and text[-1:] not in "?!….":
            text += "."
        text = f"{text} {more}"
        attribution = attribution[: cont.start()].strip()
    elif end := _SENTENCE_END.search(attribution):
        attribution, rest = attribution[: end.start() + 1], attribution[end.end() :].strip()

    text = _strip_quote_text(text)
    if not re.search(r"\w", text) or not re.search(r"[^\W\d_]", attribution):
        return None
    return text, attribution, rest


def _pick_separator(matches, inner):
    """The first separator followed by a speech verb, else simply the first one."""
    matches = list(matches)
    for match in matches:
        if _SPEECH_VERB.match(inner, match.end()):
            return match
    return matches[0] if matches else None


def _strip_quote_text(text):
    text = text.strip().rstrip(",").rstrip()
    if text.endswith('"') and text.count('"') % 2 == 1:
        text = text[:-1].rstrip()  # the closing mark of `"Quote." - said…`
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()


# --- Sources -----------------------------------------------------------------------------------

_SOURCE_VERB = (
    r"(?:сообща(?:ет|ют)|сообщил[аио]|переда[её]т|передают|передал[аио]|информиру(?:ет|ют)"
    r"|пиш(?:ет|ут))"
)
_SOURCE_PHRASE = re.compile(
    rf"(?:(?:^|(?<=[\s(]))(?:[Оо]б\s+этом|[Оо]\s+(?:ч[её]м|том)|[Кк]ак)\s+|,\s*|\s{DASH}\s*)"
    rf"{_SOURCE_VERB}\s+(?P<name>[^\s,.;:!?].*?)(?=\s*(?:[,;:!?()]|\.(?:\s|$)|$))"
)
_QUOTE_SOURCE = re.compile(rf"^{_SOURCE_VERB}\s+(?P<name>.+?)\.?$")
_SOURCE_CUT = re.compile(
    rf"\s+(?:со\s+ссылкой|в|во|на|о|об|что|при|после|{DASH})(?:\s|$).*$", re.IGNORECASE
)
_PREPOSITION = re.compile(r"^(?:в|во|на|с|со|о|об|по|из|у|к|от|для|что)\s", re.IGNORECASE)


def _source_name(raw):
    """A source's name from what follows "сообщает", or None when it is not one."""
    name = _SOURCE_CUT.sub("", raw.strip())
    name = re.sub(r"^(?:собственн\w+\s+)?корр(?:еспондент\w*|\.)\s+", "", name, flags=re.I)
    name = name.strip(" ,.;:-–—")
    if (
        not name
        or _PREPOSITION.match(name + " ")
        or len(name.split()) > 8
        or len(name) > SOURCE_MAX_LENGTH
        or not re.search(r"[^\W\d_]", name)
        or _is_personal_name(name)
    ):
        return None
    return name


def _sources_in(text):
    return [n for m in _SOURCE_PHRASE.finditer(text) if (n := _source_name(m["name"]))]


# --- People ------------------------------------------------------------------------------------

_NAME_WORD = rf"[{UP}][{LOW}]+(?:-[{UP}]?[{LOW}]+)*"
_NAME_WORD_RE = re.compile(rf"(?<![\w-]){_NAME_WORD}(?![\w-])")
_NAME_RUN = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+{_NAME_WORD})*(?![\w-])")
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|ова|ева|ёва|ина|ына|ская|цкая|енко|ук|юк|ян|янц|дзе|швили"
    r"|улы|ұлы|уулу|кызы|қызы|бек|ич)$"
)
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична|улы|ұлы|кызы|қызы)$")
_ROLE = re.compile(
    r"""^(?:глав(?:а|ы|е|у|ой|ный|ного)|президент\w*|премьер\S*|вице-\S+|экс-\S+|министр\w*
    |аким(?:а|у|ом|е|ы|ов)?|председател\w*|спикер\w*|депутат\w*|посол|посла|послом|сенатор\w*
    |генсек\w*|генеральн\w*|директор\w*|руководител\w*|заместител\w*|пресс-секретар\w*
    |советник\w*|мэр(?:а|у|ом|е)?|губернатор\w*|канцлер\w*|корол\w*|принц\w*|патриарх\w*
    |госсекретар\w*|генпрокурор\w*|прокурор\w*|судь\w*|лидер\w*|елбасы|перв\w+|мажилисмен\w*
    |эксперт\w*|политолог\w*|верховн\w*|главнокомандующ\w*|омбудсмен\w*)$""",
    re.VERBOSE,
)
# Capitalised at the start of a sentence, never part of a name.
_STOPWORDS = {
    "ранее", "напомним", "также", "кроме", "однако", "позже", "позднее", "сегодня", "вчера",
    "завтра", "теперь", "тогда", "как", "так", "это", "этот", "эта", "эти", "он", "она", "они",
    "мы", "вы", "об", "по", "во", "на", "при", "для", "из", "со", "ко", "но", "между", "после",
    "перед", "уже", "еще", "ещё", "впрочем", "итак", "всего", "лидеры", "главы", "стороны",
}  # fmt: skip
# Case endings a declined name may take after its stem (Назарбаев-у, Путин-ым, Касым-Жомарт-а).
_ENDINGS = (
    r"(?:а|я|у|ю|ом|ем|ём|ым|им|е|ой|ей|ою|ею|ого|его|ому|ему|ую|юю|ая|яя|ий|ый|и|ы|ых|их"
    r"|ими|ыми|ами|ах)?"
)
# Attributions with no one behind them: "отмечается на сайте…", "говорилось в заявлении…";
# not "признаётся он", where a person follows the verb.
_IMPERSONAL = re.compile(
    rf"^(?:[{LOW}]+(?:ется|ётся|ится|ются|ятся|лось)|сказано|отмечено|указано|заявлено"
    rf"|подчеркнуто|подчёркнуто|сообщено)(?:\s+(?:в|во|на|из|по|что|также|тоже)(?!\w)|\s*[,.]|$)"
)
# A name right after one of these ("на встрече с Путиным") is a partner, not the speaker.
_PREPOSITIONS = {
    "с", "со", "к", "ко", "у", "о", "об", "обо", "для", "от", "при", "без", "про", "перед", "за",
    "между", "над", "под", "против", "вместо", "кроме", "через", "среди",
}  # fmt: skip
# "отметили в акимате": a plural verb and a place, no person.
_PLURAL_PLACE = re.compile(rf"^[{LOW}]+ли\s+(?:в|во|на|из)\s")


def _stem(word):
    """``word`` without the ending that changes when a name is declined."""
    head, _sep, last = word.rpartition("-")
    if len(last) > 4 and last.endswith(("ий", "ый", "ой", "ая", "яя")):
        last = last[:-2]
    elif len(last) > 3 and last.endswith(("а", "я", "й", "ь")):
        last = last[:-1]
    return f"{head}-{last}" if head else last


def _word_pattern(word):
    return rf"(?<![\w-]){re.escape(_stem(word))}{_ENDINGS}(?![\w-])"


def _is_name_part(word):
    return not (_ROLE.match(word.lower()) or word.lower() in _STOPWORDS)


def _names_in(text):
    """``(start, end, name)`` of names in ``text``: 2–3 capitalised words, a surname last."""
    for run in _NAME_RUN.finditer(text):
        group = []
        for word in [*_NAME_WORD_RE.finditer(run[0]), None]:
            if word is not None and _is_name_part(word[0]):
                group.append(word)
                continue
            if len(group) >= 2 and _SURNAME.search(group[-1][0]):
                size = 3 if len(group) >= 3 and _PATRONYMIC.search(group[-2][0]) else 2
                words = group[-size:]
                start, end = run.start() + words[0].start(), run.start() + words[-1].end()
                yield start, end, " ".join(w[0] for w in words)
            group = []


def _is_personal_name(text):
    return any(start == 0 and end == len(text) for start, end, _name in _names_in(text))


def _governed(text, start):
    """Whether a preposition stands before the name at ``start``, over roles and proper nouns."""
    for token in reversed(text[:start].split()):
        if token[-1] in ",.;:!?()—–-":
            return False
        if token[0].isupper() or _ROLE.match(token.lower()):
            continue
        return token.lower() in _PREPOSITIONS
    return False


def _at_sentence_start(text, start):
    return not text[:start].rstrip() or text[:start].rstrip()[-1] in '.!?…:"«'


def _mentions_of(name, text):
    """Spans where ``text`` names the person called ``name``, allowing Russian case endings.

    The surname alone counts unless another first name stands right before it (a relative).
    """
    words = name.split()
    patterns = [r"\s+".join(_word_pattern(w) for w in words)]
    if len(words) == 3:
        patterns.append(_word_pattern(words[0]) + r"\s+" + _word_pattern(words[-1]))
    spans = []
    for pattern in patterns:
        spans += [m.span() for m in re.finditer(pattern, text)]
    own = [re.compile(_word_pattern(w)) for w in words]
    for m in re.finditer(_word_pattern(words[-1]), text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        before = re.search(rf"({_NAME_WORD})\s+$", text[: m.start()])
        if (
            before
            and _is_name_part(before[1])
            and not _at_sentence_start(text, before.start(1))
            and not any(p.fullmatch(before[1]) for p in own)
        ):
            continue
        spans.append(m.span())
    return sorted(spans)


def _find_ci(model, name):
    """The ``model`` row whose name equals ``name`` ignoring case (SQLite folds only ASCII)."""
    same_length = model._default_manager.annotate(n=Length("name")).filter(n=len(name))
    return next((row for row in same_length if row.name.casefold() == name.casefold()), None)


class _Speakers:
    """Finds or creates the Newsmaker behind each quote of one story."""

    def __init__(self, wire):
        self.texts = [wire.headline, wire.lede] + [
            item if isinstance(item, str) else item.attribution for item in wire.items
        ]
        words = {
            word.rpartition("-")[2][:4]
            for word in _NAME_WORD_RE.findall(" ".join(self.texts))
            if len(word) >= 3 and _is_name_part(word)
        }
        query = Q()
        for word in words:
            query |= Q(name__contains=word)
        self.known = list(Newsmaker.objects.filter(query)) if words else []
        self.created = []

    def mentions(self, text):
        """``(start, person)`` for people named in ``text``: a Newsmaker or a new name."""
        found = []
        for newsmaker in self.known:
            found += [(span, newsmaker) for span in _mentions_of(newsmaker.name, text)]
        taken = [span for span, _person in found]

        def free(start, end):
            return not any(s < end and start < e for s, e in taken)

        for start, end, name in _names_in(text):
            if free(start, end):
                found.append(((start, end), name))
                taken.append((start, end))
        for word in _NAME_WORD_RE.finditer(text):
            full = _SURNAME.search(word[0]) and free(*word.span()) and self.full_name(word[0])
            if full:
                found.append((word.span(), full))
        return [
            (span[0], person)
            for span, person in sorted(found, key=lambda f: f[0])
            if not _governed(text, span[0])
        ]

    def full_name(self, surname):
        """A full name elsewhere in the story whose surname is ``surname``, declined or not."""
        pattern = re.compile(_word_pattern(surname))
        for text in self.texts:
            for _start, _end, name in _names_in(text):
                if pattern.fullmatch(name.split()[-1]) or re.fullmatch(
                    _word_pattern(name.split()[-1]), surname
                ):
                    return name
        return None

    def person(self, found):
        if isinstance(found, Newsmaker):
            return found
        name = found[:NAME_MAX_LENGTH]
        newsmaker = next(
            (n for n in self.known if n.name.casefold() == name.casefold()), None
        ) or _find_ci(Newsmaker, name)
        if newsmaker is None:
            newsmaker = Newsmaker.objects.create(name=name)
            self.created.append(newsmaker)
        if newsmaker not in self.known:
            self.known.append(newsmaker)
        return newsmaker

    def for_quotes(self, wire):
        """The speaker of each quote of ``wire``, None where the attribution names nobody."""
        sequence = [wire.headline, wire.lede, *wire.items]
        speakers = {}
        for index, item in enumerate(sequence):
            if isinstance(item, WireQuote):
                speakers[index] = self._speaker(index, item, sequence, speakers)
        return [speakers[i] for i in sorted(speakers)]

    def _speaker(self, index, quote, sequence, speakers):
        attribution = quote.attribution
        named = self.mentions(attribution)
        if _IMPERSONAL.match(attribution):
            # "говорится в заявлении Токаева": a known newsmaker, but no new one from a genitive.
            return next((p for _start, p in named if isinstance(p, Newsmaker)), None)
        if named:
            return self.person(named[0][1])
        if _PLURAL_PLACE.match(attribution) or _QUOTE_SOURCE.match(attribution):
            return None
        if any(_SURNAME.search(w) for w in _NAME_WORD_RE.findall(attribution)):
            return None  # a surname we cannot tell apart; better no speaker than a wrong one
        # "…, — добавил он" / "— подчеркнул Глава государства": the person named just before.
        for back in range(index - 1, max(index - 1 - LOOKBACK, -1), -1):
            item = sequence[back]
            if isinstance(item, WireQuote):
                if speakers.get(back):
                    return speakers[back]
            elif named := self.mentions(item):
                return self.person(named[-1][1])
        return None


# --- Parsing and importing ---------------------------------------------------------------------


def parse_wire(data):
    """Read a wire story from bytes or text; raise ``WireParseError`` when it has no story shape."""
    lines = strip_chrome(normalise_lines(decode(data)))
    paragraphs = split_paragraphs(lines)
    if not paragraphs:
        raise WireParseError(_("The text has nothing but site navigation."))
    headline = paragraphs[0]
    if headline.endswith(".") and not headline.endswith(".."):
        headline = headline[:-1].rstrip()
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise WireParseError(
            _(
                "The text is shapeless: its first paragraph is %(length)d characters long, "
                "too long for a headline (at most %(max)d)."
            )
            % {"length": len(headline), "max": HEADLINE_MAX_LENGTH}
        )
    if len(paragraphs) < 3:
        raise WireParseError(
            _("The text is shapeless: it needs a headline, a lede and at least one paragraph.")
        )

    lede, items, sources, body_count = paragraphs[1], [], _sources_in(paragraphs[1]), 0
    for paragraph in paragraphs[2:]:
        if (line := _SOURCE_LINE.match(paragraph)) and (name := _source_name(line["name"])):
            sources.append(name)
            continue
        if quote := parse_quote(paragraph):
            text, attribution, rest = quote
            items.append(WireQuote(text, attribution, body_count))
            if source := _QUOTE_SOURCE.match(attribution):
                sources += filter(None, [_source_name(source["name"])])
            if not rest:
                continue
            paragraph = rest
        items.append(paragraph)
        body_count += 1
        sources += _sources_in(paragraph)

    digest = hashlib.sha256("\n\n".join(paragraphs).encode("utf-8")).hexdigest()
    return WireStory(
        headline=headline,
        lede=lede,
        items=items,
        source_names=_unique(sources),
        import_ref=f"sha256:{digest}",
    )


def _unique(names):
    seen = set()
    return [n for n in names if not (n.casefold() in seen or seen.add(n.casefold()))]


def default_section():
    """The section stories go to when none is named: the first one in the navigation."""
    return Section.objects.order_by("position", "name").first()


def import_story(data, *, section, author=None, publish=False):
    """Save the wire story in ``data`` as a Story, or find the one already imported from it."""
    wire = parse_wire(data)
    if existing := Story.objects.filter(import_ref=wire.import_ref).first():
        return ImportResult(existing, created=False)
    try:
        with transaction.atomic():
            return _create(wire, section=section, author=author, publish=publish)
    except IntegrityError:
        # Imported by someone else in the meantime.
        if existing := Story.objects.filter(import_ref=wire.import_ref).first():
            return ImportResult(existing, created=False)
        raise


def _create(wire, *, section, author, publish):
    story = Story.objects.create(
        headline=wire.headline,
        lede=wire.lede,
        body=text_to_html("\n\n".join(wire.body_paragraphs)),
        section=section,
        status=Story.Status.PUBLISHED if publish else Story.Status.DRAFT,
        published_at=timezone.now() if publish else None,
        import_ref=wire.import_ref,
    )
    sources = {name.casefold(): _source(name) for name in wire.source_names}
    speakers = _Speakers(wire)
    for quote, speaker in zip(wire.quotes, speakers.for_quotes(wire), strict=True):
        said_by = _QUOTE_SOURCE.match(quote.attribution)
        name = _source_name(said_by["name"]) if said_by else None
        Quote.objects.create(
            story=story,
            text=quote.text,
            speaker=speaker,
            context=_context_without_speaker(quote.context, speaker),
            source=sources.get(name.casefold()) if name else None,
            position=quote.position,
        )
    story.sources.add(*sources.values())
    if author is not None:
        story.authors.add(author)
    return ImportResult(story, created=True, new_newsmakers=speakers.created)


def _source(name):
    return _find_ci(Source, name) or Source.objects.create(name=name)


_VERB_FIRST = re.compile(r"(\w+)(?:\s+(?:тогда|также|же|ещё|еще|позже|ранее|вновь))?(?:\s+(.*))?")


def _context_without_speaker(context, speaker):
    """The attribution less the speech verb and the speaker's name, which the page shows anyway.

    «отметил Нурсултан Назарбаев на встрече с бойцами» becomes «на встрече с бойцами»; an
    attribution that does not name the speaker («выразил беспокойство Глава Казахстана»), or
    has words on both sides of the name, stays whole.
    """
    if speaker is None:
        return context
    mentions = _mentions_of(speaker.name, context)
    if not mentions:
        return context
    start, end = mentions[0]
    before, after = context[:start].strip(" ,"), context[end:].strip(" ,")
    verb = _VERB_FIRST.fullmatch(before)
    if not (verb and _SPEECH_VERB.match(verb[1])):
        return context
    before = verb[2] or ""
    if before and after:
        # «рассказала директор фестиваля Айгерим Сапарова на пресс-конференции» reads best whole.
        return context
    return before or after


def public_url(story):
    """The story's address on the public site (drafts open there for staff)."""
    return settings.SITE_URL + story.get_absolute_url()


def admin_url(story):
    return settings.SITE_URL + reverse("admin:articles_story_change", args=[story.pk])
