"""Wire text as paragraphs: bytes decoded, lines normalised, the page's chrome dropped.

Everything here works on plain strings, without the database.
"""

import codecs
import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import WireParseError

# A wire story is a few kilobytes; a file of megabytes is something else.
MAX_BYTES = 2_000_000
# Share buttons and captions are short; a longer line is prose even if it starts alike.
CHROME_MAX_LENGTH = 150
NAV_MAX_LENGTH = 300


# --- Reading bytes -----------------------------------------------------------------------------


def decode(data):
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251 bytes."""
    if len(data) > MAX_BYTES:
        raise WireParseError(
            _("The file is %(size)d bytes long: too long for a story (at most %(max)d).")
            % {"size": len(data), "max": MAX_BYTES}
        )
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
