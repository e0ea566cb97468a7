"""Demo content for a fresh installation, and the demo editor's and reporter's accounts.

``load_demo()`` fills the site with a small newsroom: five sections, reporters, newsmakers,
sources and a few days of stories with quotes, tags and «Напомним» links, one of them a draft
and one scheduled for later. The stories are fictional wire texts in ``demo_stories/``, with
a few lines of front matter each, and go through the importer like any other wire copy: the
demo shows editors what input looks like, and exercises the importer. Their images are drawn
here, at load time, so the repository holds no binary files.

Every object has a key (a slug, a username or ``Story.import_ref``), and loading again only adds
what is missing: objects already there, edited or not, are left as they are. An image is drawn
again only when its file has gone from the media storage.
"""

import io
import math
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from . import roles
from .models import Newsmaker, Section, Source, Story
from .slugs import ascii_slugify
from .wire import import_story, read_wire

IMPORT_PREFIX = "demo:"
IMAGE_SIZE = (1200, 675)
IMAGE_CREDIT = "Иллюстрация: Newsroom"
PORTRAIT_SIZE = 400

EDITORS_GROUP = roles.EDITORS
REPORTERS_GROUP = roles.REPORTERS

# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------

SECTIONS = [
    {
        "slug": "kazakhstan",
        "name": "Казахстан",
        "position": 1,
        "description": "Жизнь городов и сёл страны: погода, транспорт, сельское хозяйство.",
    },
    {
        "slug": "politika",
        "name": "Политика",
        "position": 2,
        "description": "Решения Президента, Правительства и Парламента и то, как они меняют жизнь.",
    },
    {
        "slug": "mir",
        "name": "Мир",
        "position": 3,
        "description": "Международные события и отношения Казахстана с соседями и партнёрами.",
    },
    {
        "slug": "ekonomika",
        "name": "Экономика",
        "position": 4,
        "description": "Бизнес, финансы, торговля и цифры, которые важны для каждого кошелька.",
    },
    {
        "slug": "sport",
        "name": "Спорт",
        "position": 5,
        "description": "Матчи, турниры и результаты казахстанских спортсменов дома и за рубежом.",
    },
]

REPORTERS = [
    {"username": "a.nurlanova", "first_name": "Айгерим", "last_name": "Нурланова"},
    {"username": "d.akhmetov", "first_name": "Данияр", "last_name": "Ахметов"},
    {"username": "o.kim", "first_name": "Ольга", "last_name": "Ким"},
]

# Invented people in ordinary public roles.
NEWSMAKERS = [
    {
        "slug": "bauyrzhan-seitkaziev",
        "name": "Бауыржан Сейтказиев",
        "role": "Вице-министр сельского хозяйства Казахстана",
    },
    {
        "slug": "aigul-sarsenova",
        "name": "Айгуль Сарсенова",
        "role": "Начальник управления прогнозов РГП «Казгидромет»",
    },
    {
        "slug": "dana-kasymova",
        "name": "Дана Касымова",
        "role": "Заместитель акима Алматы",
    },
    {
        "slug": "ruslan-erzhanov",
        "name": "Руслан Ержанов",
        "role": "Главный тренер молодёжной сборной Казахстана по футболу",
    },
]

SOURCES = [
    {"slug": "akorda", "name": "Пресс-служба Акорды", "url": "https://www.akorda.kz/"},
    {"slug": "pravitelstvo", "name": "Пресс-служба Правительства РК", "url": ""},
    {"slug": "kazgidromet", "name": "РГП «Казгидромет»", "url": ""},
    {"slug": "minselkhoz", "name": "Министерство сельского хозяйства РК", "url": ""},
    {"slug": "mintrans", "name": "Министерство транспорта РК", "url": ""},
    {"slug": "mid", "name": "МИД Казахстана", "url": ""},
    {"slug": "mazhilis", "name": "Пресс-служба Мажилиса", "url": ""},
    {"slug": "stat", "name": "Бюро национальной статистики", "url": "https://stat.gov.kz/"},
    {"slug": "natsbank", "name": "Национальный банк Казахстана", "url": ""},
    {"slug": "akimat-almaty", "name": "Акимат Алматы", "url": ""},
    {"slug": "akimat-karaganda", "name": "Акимат Карагандинской области", "url": ""},
    {"slug": "akimat-shymkent", "name": "Акимат Шымкента", "url": ""},
    {"slug": "kff", "name": "Казахстанская федерация футбола", "url": ""},
    {"slug": "boxing", "name": "Федерация бокса Казахстана", "url": ""},
]

# What each section's generated illustration shows: the photo's description.
IMAGE_ALT = {
    "kazakhstan": "Иллюстрация: солнце над степными холмами в бирюзовых и золотых тонах",
    "politika": "Иллюстрация: колоннада под фронтоном на тёмно-синем фоне",
    "mir": "Иллюстрация: глобус с меридианами и орбитами на сине-зелёном фоне",
    "ekonomika": "Иллюстрация: столбчатая диаграмма и линия роста на зелёном фоне",
    "sport": "Иллюстрация: дорожки стадиона на оранжевом фоне",
}

# The demo stories, oldest first: later ones name earlier ones as related.
STORIES_DIR = Path(__file__).resolve().parent / "demo_stories"

# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

# Two gradient colours and an accent per section.
PALETTES = {
    "kazakhstan": ((0, 104, 138), (86, 190, 210), (255, 200, 60)),
    "politika": ((22, 32, 72), (104, 40, 82), (238, 222, 190)),
    "mir": ((30, 56, 128), (40, 148, 128), (228, 240, 246)),
    "ekonomika": ((16, 72, 88), (104, 174, 120), (246, 210, 100)),
    "sport": ((214, 72, 48), (246, 170, 64), (255, 246, 232)),
}


def _gradient(size, start, end):
    """A diagonal gradient from ``start`` (top left) to ``end`` (bottom right)."""
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").rotate(90)
    mask = ImageChops.add(vertical, horizontal.resize(size), scale=2)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _with_alpha(colour, alpha):
    return (*colour, alpha)


def _draw_steppe(draw, rng, size, accent, light):
    width, height = size
    cx, cy, r = int(width * rng.uniform(0.58, 0.72)), int(height * 0.42), 105
    for i in range(32):  # rays of the sun
        angle = 2 * math.pi * i / 32
        inner, outer = r + 18, r + (70 if i % 2 else 45)
        x1, y1 = cx + inner * math.cos(angle), cy + inner * math.sin(angle)
        x2, y2 = cx + outer * math.cos(angle), cy + outer * math.sin(angle)
        draw.line([(x1, y1), (x2, y2)], fill=_with_alpha(accent, 150), width=6)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_with_alpha(accent, 235))
    for layer in range(3):  # rolling hills, nearer ones darker
        base = height * (0.62 + 0.12 * layer)
        phase, amplitude = rng.uniform(0, math.tau), 26 - 6 * layer
        points = [
            (x, base + amplitude * math.sin(x / (170 + 40 * layer) + phase))
            for x in range(0, width + 20, 20)
        ]
        shade = tuple(int(c * (0.55 - 0.12 * layer)) for c in light)
        draw.polygon([*points, (width, height), (0, height)], fill=_with_alpha(shade, 200))


def _draw_columns(draw, rng, size, accent, light):
    width, height = size
    left, right, count = int(width * 0.16), int(width * 0.84), 6
    step = (right - left) / (count - 1)
    top, bottom, half = int(height * 0.38), int(height * 0.86), 26
    for _ in range(3):  # beams of light, behind the building
        x = rng.randint(0, width)
        draw.polygon(
            [(x, 0), (x + 90, 0), (x - 260, height), (x - 420, height)],
            fill=_with_alpha(light, 18),
        )
    draw.polygon(
        [(left - 70, top - 20), (width // 2, int(height * 0.14)), (right + 70, top - 20)],
        fill=_with_alpha(accent, 90),
    )
    draw.rectangle([left - 70, top - 20, right + 70, top], fill=_with_alpha(accent, 120))
    for i in range(count):
        x = int(left + i * step)
        draw.rectangle([x - half, top + 10, x + half, bottom], fill=_with_alpha(accent, 70))
        draw.rectangle([x - half - 10, top, x + half + 10, top + 14], fill=_with_alpha(accent, 110))
    draw.rectangle([left - 90, bottom, right + 90, bottom + 22], fill=_with_alpha(accent, 120))


def _draw_globe(draw, rng, size, accent, light):
    width, height = size
    cx, cy, r = int(width * rng.uniform(0.38, 0.62)), height // 2, 230
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_with_alpha(accent, 40))
    for k in range(1, 6):  # meridians
        half = int(r * k / 6)
        draw.ellipse(
            [cx - half, cy - r, cx + half, cy + r], outline=_with_alpha(accent, 120), width=3
        )
    for k in range(-4, 5):  # parallels
        y = cy + r * k / 5
        half = math.sqrt(max(r * r - (y - cy) ** 2, 0))
        draw.line([(cx - half, y), (cx + half, y)], fill=_with_alpha(accent, 110), width=3)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=_with_alpha(accent, 220), width=5)
    for scale in (1.45, 1.8):  # orbits
        rx, ry = r * scale, r * scale * 0.32
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=_with_alpha(light, 90), width=3)
    for _ in range(4):  # satellites
        angle = rng.uniform(0, math.tau)
        x, y = cx + r * 1.45 * math.cos(angle), cy + r * 1.45 * 0.32 * math.sin(angle)
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=_with_alpha(light, 220))


def _draw_chart(draw, rng, size, accent, light):
    width, height = size
    for y in range(int(height * 0.2), height, 70):  # grid
        draw.line([(0, y), (width, y)], fill=_with_alpha(light, 35), width=2)
    count, left, bottom = 9, int(width * 0.1), int(height * 0.88)
    step = (width * 0.8) / count
    level, tops = height * 0.25, []
    for i in range(count):
        level += rng.uniform(-0.02, 0.06) * height
        bar_height = min(level, height * 0.7)
        x = left + i * step
        top = bottom - bar_height
        draw.rectangle([x + 10, top, x + step - 10, bottom], fill=_with_alpha(light, 70))
        tops.append((x + step / 2, top - 30))
    draw.line(tops, fill=_with_alpha(accent, 230), width=8, joint="curve")
    for x, y in tops:
        draw.ellipse([x - 11, y - 11, x + 11, y + 11], fill=_with_alpha(accent, 255))


def _draw_track(draw, rng, size, accent, light):
    width, height = size
    cx, cy = width // 2, int(height * rng.uniform(0.55, 0.7))
    for lane in range(8):  # lanes of a running track
        rx, ry = 380 + lane * 38, 150 + lane * 38
        draw.rounded_rectangle(
            [cx - rx, cy - ry, cx + rx, cy + ry],
            radius=ry,
            outline=_with_alpha(light, 150),
            width=4,
        )
    for i in range(6):  # speed stripes
        y = int(height * 0.1) + i * 26
        x = rng.randint(40, 400)
        draw.line([(x, y), (x + rng.randint(160, 420), y)], fill=_with_alpha(accent, 120), width=8)


MOTIFS = {
    "kazakhstan": _draw_steppe,
    "politika": _draw_columns,
    "mir": _draw_globe,
    "ekonomika": _draw_chart,
    "sport": _draw_track,
}


def story_image(section_slug, key, size=IMAGE_SIZE):
    """JPEG bytes of an illustration in the section's colours; ``key`` varies the composition."""
    start, end, accent = PALETTES.get(section_slug, PALETTES["kazakhstan"])
    rng = random.Random(f"{section_slug}:{key}")
    image = _gradient(size, start, end).convert("RGBA")

    glow = Image.new("RGBA", size, (0, 0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for _ in range(5):  # soft circles of light in the background
        r = rng.randint(60, 200)
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        glow_draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255, rng.randint(20, 50)))
    image = Image.alpha_composite(image, glow.filter(ImageFilter.GaussianBlur(30)))

    motif = Image.new("RGBA", size, (0, 0, 0, 0))
    light = tuple(min(255, c + 60) for c in end)
    MOTIFS.get(section_slug, _draw_steppe)(ImageDraw.Draw(motif), rng, size, accent, light)
    image = Image.alpha_composite(image, motif)

    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def _initials_font(size):
    """A font with Cyrillic letters, or None when the system has none of the usual ones."""
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return None


def portrait_image(name, size=PORTRAIT_SIZE):
    """JPEG bytes of a placeholder portrait: initials on a circle (a silhouette without fonts)."""
    palette = list(PALETTES.values())[sum(map(ord, name)) % len(PALETTES)]
    image = _gradient((size, size), palette[0], palette[1])
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.ellipse([margin, margin, size - margin, size - margin], fill=(250, 248, 242))
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = _initials_font(size // 3)
    if font is not None:
        draw.text((size / 2, size / 2), initials, font=font, fill=palette[0], anchor="mm")
    else:
        head = size // 7
        draw.ellipse(
            [size / 2 - head, size * 0.3, size / 2 + head, size * 0.3 + 2 * head], fill=palette[0]
        )
        draw.chord([size * 0.28, size * 0.58, size * 0.72, size * 0.98], 180, 360, fill=palette[0])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoCounts:
    """What ``load_demo()`` found and what it added."""

    stories: int = 0
    new_stories: int = 0
    new_sections: int = 0
    new_reporters: int = 0
    new_newsmakers: int = 0
    new_sources: int = 0
    new_quotes: int = 0
    new_images: int = 0

    @property
    def changed(self):
        return any(
            (
                self.new_stories,
                self.new_sections,
                self.new_reporters,
                self.new_newsmakers,
                self.new_sources,
                self.new_quotes,
                self.new_images,
            )
        )

    def summary(self):
        if not self.changed:
            return f"Demo content already loaded: nothing changed ({self.stories} stories)."
        parts = [f"Demo content: {self.stories} stories ({self.new_stories} new)"]
        for count, label in (
            (self.new_sections, "sections"),
            (self.new_reporters, "reporters"),
            (self.new_newsmakers, "newsmakers"),
            (self.new_sources, "sources"),
            (self.new_quotes, "quotes"),
            (self.new_images, "images"),
        ):
            if count:
                parts.append(f"{count} new {label}")
        return ", ".join(parts) + "."


def _file_missing(field_file):
    return bool(field_file) and not field_file.storage.exists(field_file.name)


def _find_or_create(model, data, counts_attr, counts):
    """The row with ``data['slug']``, else the one with ``data['name']``, else a new one."""
    obj = model.objects.filter(slug=data["slug"]).first()
    if obj is None:
        obj = model.objects.filter(name=data["name"]).first()
    if obj is None:
        obj = model.objects.create(**data)
        setattr(counts, counts_attr, getattr(counts, counts_attr) + 1)
    return obj


def _reporters(counts):
    User = get_user_model()
    users = {}
    for data in REPORTERS:
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            user = User(**data)
            user.set_unusable_password()
            user.save()
            counts.new_reporters += 1
        users[data["username"]] = user
    return users


def _save_portrait(newsmaker):
    name = f"{newsmaker.slug}.jpg"
    newsmaker.photo.save(name, ContentFile(portrait_image(newsmaker.name), name=name), save=False)


def _newsmakers(counts):
    newsmakers = {}
    for data in NEWSMAKERS:
        newsmaker = Newsmaker.objects.filter(slug=data["slug"]).first()
        if newsmaker is None:
            newsmaker = Newsmaker(**data)
            _save_portrait(newsmaker)
            newsmaker.save()
            counts.new_newsmakers += 1
            counts.new_images += 1
        elif _file_missing(newsmaker.photo):
            _save_portrait(newsmaker)
            newsmaker.save(update_fields=["photo"])
            counts.new_images += 1
        newsmakers[data["slug"]] = newsmaker
    return newsmakers


def _draw_story_photo_again(story, key):
    """A demo story's photo whose file has gone: drawn again, its renditions with it."""
    photo = story.photo
    # First: their files are deleted after the commit, before new ones are drawn.
    for rendition in photo.renditions.all():
        rendition.delete()
    name = f"{ascii_slugify(story.headline, max_length=60) or key}.jpg"
    photo.file = ContentFile(story_image(story.section.slug, key), name=name)
    photo.save()


def story_files():
    """The demo's wire texts, in the order they are loaded."""
    return sorted(STORIES_DIR.glob("*.txt"))


def _import_story(data, wire, now, counts):
    """Import one demo text, with its drawn illustration; quotes said on the day it ran."""
    key = wire.import_ref.removeprefix(IMPORT_PREFIX)
    section = wire.front.section
    published = wire.front.published
    when = now + published if isinstance(published, timedelta) else (published or now)
    image = ContentFile(story_image(section, key), name=f"{key}.jpg")
    result = import_story(
        data,
        now=now,
        image=image,
        image_alt=IMAGE_ALT[section],
        image_credit=IMAGE_CREDIT,
        said_on=timezone.localtime(when).date(),
    )
    counts.new_stories += 1
    counts.new_images += 1
    counts.new_quotes += result.story.quotes.count()
    counts.new_newsmakers += len(result.new_newsmakers)
    counts.new_sources += len(result.new_sources)
    return result.story


@transaction.atomic
def load_demo(now=None):
    """Add the demo content that is not there yet; return a :class:`DemoCounts`."""
    now = now or timezone.now()
    files = story_files()
    counts = DemoCounts(stories=len(files))
    for data in SECTIONS:
        _find_or_create(Section, data, "new_sections", counts)
    for data in SOURCES:
        _find_or_create(Source, data, "new_sources", counts)
    _reporters(counts)
    _newsmakers(counts)

    existing = {
        story.import_ref: story
        for story in Story.objects.filter(import_ref__startswith=IMPORT_PREFIX).select_related(
            "section", "photo"
        )
    }
    for path in files:
        data = path.read_bytes()
        wire = read_wire(data)
        story = existing.get(wire.import_ref)
        if story is None:
            _import_story(data, wire, now, counts)
        elif story.photo is not None and _file_missing(story.photo.file):
            _draw_story_photo_again(story, wire.import_ref.removeprefix(IMPORT_PREFIX))
            counts.new_images += 1
    return counts


# ---------------------------------------------------------------------------------------------
# The demo editor and reporter
# ---------------------------------------------------------------------------------------------


def editors_group():
    """The Editors group; made with its permissions if it is missing (e.g. after a flush)."""
    return roles.role_group(roles.EDITORS)


def reporters_group():
    """The Reporters group; made with its permissions if it is missing (e.g. after a flush)."""
    return roles.role_group(roles.REPORTERS)


class NotAnEditorAccount(ValueError):
    """The username belongs to a superuser, whose password the demo must not replace."""


@transaction.atomic
def _make_demo_account(username, group, first_name, last_name):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_superuser:
        raise NotAnEditorAccount(username)
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name)
    user.is_staff = True
    user.is_active = True
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save()
    # One role per demo account: a reporter made from an editor's name loses the editor's rights.
    roles_held = user.groups.filter(name__in=[roles.EDITORS, roles.REPORTERS])
    user.groups.remove(*roles_held.exclude(pk=group.pk))
    user.groups.add(group)
    return user, password


def make_demo_editor(username="editor"):
    """Create or update a staff editor with a new random password; return ``(user, password)``."""
    return _make_demo_account(username, editors_group(), "Демо", "Редактор")


def make_demo_reporter(username="reporter"):
    """Create or update a staff reporter with a new random password; return ``(user, password)``."""
    return _make_demo_account(username, reporters_group(), "Демо", "Корреспондент")
