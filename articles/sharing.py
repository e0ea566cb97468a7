"""How a story travels: short links, share cards for link previews, tagged share links.

A short link is the story's id in base 36 (``/s/2n9/``): ASCII, a few characters, and stable
whatever happens to the headline, slug or section. A share card is the picture a story without
a photo unfurls with in messengers: its headline, section and the site's name, drawn once with
Pillow and drawn again when any of them changes (the card's address carries a key made from
them, so link previews never show a stale headline).
"""

import hashlib
import io
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

SHORT_CODE_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
SHORT_CODE_MAX_LENGTH = 12

CARD_SIZE = (1200, 630)
CARD_FOLDER = "cards"
FONTS = Path(__file__).resolve().parent / "fonts"
HEADLINE_FONT = FONTS / "PTSerif-Bold.ttf"
LABEL_FONT = FONTS / "PTSans-Bold.ttf"
CARD_BACKGROUND = "#0f2a4a"
CARD_ACCENT = "#4da3ff"
CARD_TEXT = "#ffffff"
CARD_MUTED = "#c9d6e8"
MARGIN = 72

# The channels of the share row and the ``utm_source`` each link carries.
UTM_MEDIUM = "social"


def short_code(pk):
    """``pk`` in base 36: 1 → ``1``, 100000 → ``255s``."""
    code = ""
    while True:
        pk, digit = divmod(pk, 36)
        code = SHORT_CODE_DIGITS[digit] + code
        if not pk:
            return code


def pk_from_short_code(code):
    """The id a short code stands for, or None when ``code`` is not one."""
    code = code.lower()
    if not code or len(code) > SHORT_CODE_MAX_LENGTH or code.strip(SHORT_CODE_DIGITS):
        return None
    return int(code, 36)


def with_utm(url, source):
    """``url`` with ``utm_source=source&utm_medium=social`` for one share channel."""
    parts = urlsplit(url)
    query = urlencode({"utm_source": source, "utm_medium": UTM_MEDIUM})
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))


# ---------------------------------------------------------------------------------------------
# Share cards
# ---------------------------------------------------------------------------------------------


def card_key(headline, section, site_name):
    """A short fingerprint of what the card shows; a new one means a new card."""
    text = "\n".join([headline, section, site_name, CARD_BACKGROUND])
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _font(path, size):
    return ImageFont.truetype(str(path), size)


def _wrap(draw, text, font, width):
    """``text`` broken into lines no wider than ``width`` pixels (long words are cut)."""
    lines = []
    for word in text.split():
        while draw.textlength(word, font=font) > width:  # a word wider than the card
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit_headline(draw, headline, width, height):
    """The largest headline size whose lines fit; the last line ends with … if even the
    smallest does not."""
    for size in (76, 68, 60, 54, 48, 44):
        font = _font(HEADLINE_FONT, size)
        lines = _wrap(draw, headline, font, width)
        line_height = int(size * 1.18)
        if len(lines) * line_height <= height:
            return font, lines, line_height
    lines = lines[: max(1, height // line_height)]
    last = lines[-1]
    while " " in last and draw.textlength(last + " …", font=font) > width:
        last = last.rsplit(" ", 1)[0]
    lines[-1] = last.rstrip(",:;—-") + " …"
    return font, lines, line_height


def draw_card(headline, section, site_name):
    """PNG bytes of a 1200×630 card: the section, the headline, the site's name."""
    image = Image.new("RGB", CARD_SIZE, CARD_BACKGROUND)
    draw = ImageDraw.Draw(image)
    width, height = CARD_SIZE
    draw.rectangle([0, 0, width, 12], fill=CARD_ACCENT)
    label = _font(LABEL_FONT, 34)
    draw.text((MARGIN, MARGIN), section.upper(), font=label, fill=CARD_ACCENT)
    top, bottom = MARGIN + 70, height - MARGIN - 70
    font, lines, line_height = _fit_headline(
        draw, " ".join(headline.split()), width - 2 * MARGIN, bottom - top
    )
    for i, line in enumerate(lines):
        draw.text((MARGIN, top + i * line_height), line, font=font, fill=CARD_TEXT)
    draw.line([MARGIN, height - MARGIN - 40, width - MARGIN, height - MARGIN - 40], CARD_MUTED, 2)
    draw.text((MARGIN, height - MARGIN), site_name, font=label, fill=CARD_MUTED, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def card_file(story_pk, key):
    """The storage name of a story's card with ``key``: ``cards/<pk>/<key>.png``."""
    return f"{CARD_FOLDER}/{story_pk}/{key}.png"


def share_card(story):
    """The story's current card from storage, drawn (and older ones removed) when missing.

    Returns the storage name. Drawing takes a few tens of milliseconds, once per headline.
    """
    section = story.section.name
    name = card_file(story.pk, card_key(story.headline, section, settings.SITE_NAME))
    if not default_storage.exists(name):
        png = draw_card(story.headline, section, settings.SITE_NAME)
        saved = default_storage.save(name, ContentFile(png))
        if saved != name:  # drawn meanwhile by another request: keep one
            default_storage.delete(saved)
        remove_old_cards(story.pk, keep=name)
    return name


def remove_old_cards(story_pk, keep=None):
    """Delete the story's cards other than ``keep`` (all of them when the story is deleted)."""
    folder = f"{CARD_FOLDER}/{story_pk}"
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if f"{folder}/{file}" != keep:
            default_storage.delete(f"{folder}/{file}")
