"""Front matter: a few ``key: value`` lines between ``---`` lines above a wire story.

They tell the importer what the text cannot: the section, the status and time of publication,
tags, authors, related stories, the image. Wire copy from agencies has none; editors add it to
their own files, and the demo stories use it.
"""

import re
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Photo, Section, Source, Story, Tag
from .errors import WireParseError

FENCE = "---"
STATUSES = ("draft", "review", "published")
_YES = {"yes", "true", "1", "да"}
_NO = {"no", "false", "0", "нет"}
_HOURS_AGO = re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)\s*(?:h|hours?)\s+ago$", re.IGNORECASE)
_IN_HOURS = re.compile(r"^in\s+(?P<n>\d+(?:[.,]\d+)?)\s*(?:h|hours?)$", re.IGNORECASE)
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z-]*)\s*:\s*(?P<value>.*)$")


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter says; None or empty where it says nothing."""

    section: str | None = None
    status: str | None = None
    # An aware datetime, or a timedelta from the time of import (negative: in the past).
    published: datetime | timedelta | None = None
    featured: bool | None = None
    authors: tuple = ()
    tags: tuple = ()
    sources: tuple = ()
    related: tuple = ()
    ref: str | None = None
    image: str | None = None
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    keys: tuple = field(default=(), compare=False)  # the keys the file gave, in order


KEYS = tuple(f.name.replace("_", "-") for f in fields(FrontMatter) if f.name != "keys")
_LISTS = {"authors", "tags", "sources", "related"}


def _max_length(model, name):
    return model._meta.get_field(name).max_length


# The longest value each key (or each item of a list) may have: what the site can store.
MAX_LENGTHS = {
    "section": _max_length(Section, "name"),
    "ref": _max_length(Story, "import_ref"),
    "tags": _max_length(Tag, "name"),
    "sources": _max_length(Source, "name"),
    "image-alt": _max_length(Photo, "alt"),
    "image-caption": _max_length(Photo, "caption"),
    "image-credit": _max_length(Photo, "credit"),
}


def split_front_matter(text):
    """``(FrontMatter, rest of the text)``; an empty FrontMatter when the text has none."""
    lines = text.lstrip("\ufeff").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != FENCE:
        return FrontMatter(), text
    opening = next((line.strip() for line in lines[first + 1 :] if line.strip()), "")
    if not _KEY_LINE.match(opening):
        return FrontMatter(), text  # a rule above the headline, not front matter
    try:
        end = next(i for i in range(first + 1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise WireParseError(
            _("The front matter opened by “---” on line %(line)d is never closed by another “---”.")
            % {"line": first + 1}
        ) from None
    values = {}
    for number in range(first + 1, end):
        line = lines[number].strip()
        if not line or line.startswith("#"):
            continue
        match = _KEY_LINE.match(line)
        if not match:
            raise WireParseError(
                _("Front matter line %(line)d is not “key: value”: %(text)s")
                % {"line": number + 1, "text": line[:80]}
            )
        key = match["key"].lower()
        if key not in KEYS:
            raise WireParseError(
                _("Unknown front matter key “%(key)s” on line %(line)d; known keys: %(keys)s.")
                % {"key": key, "line": number + 1, "keys": ", ".join(KEYS)}
            )
        if key in values:
            raise WireParseError(
                _("Front matter key “%(key)s” is given twice (line %(line)d).")
                % {"key": key, "line": number + 1}
            )
        values[key] = _value(key, match["value"].strip(), number + 1)
    rest = "\n".join(lines[end + 1 :])
    return FrontMatter(
        **{k.replace("-", "_"): v for k, v in values.items()}, keys=tuple(values)
    ), rest


def _value(key, raw, line):
    limit = MAX_LENGTHS.get(key)
    items = raw.split(",") if key in _LISTS else [raw]
    if limit and any(len(item.strip()) > limit for item in items):
        raise WireParseError(
            _("Front matter line %(line)d: each value of %(key)s has at most %(max)d characters.")
            % {"line": line, "key": key, "max": limit}
        )
    if key in _LISTS:
        return tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))
    if key == "status":
        if raw.lower() not in STATUSES:
            raise WireParseError(
                _("Front matter line %(line)d: status must be one of %(choices)s, not “%(value)s”.")
                % {"line": line, "choices": ", ".join(STATUSES), "value": raw}
            )
        return raw.lower()
    if key == "featured":
        if raw.lower() in _YES | _NO:
            return raw.lower() in _YES
        raise WireParseError(
            _("Front matter line %(line)d: featured must be yes or no, not “%(value)s”.")
            % {"line": line, "value": raw}
        )
    if key == "published":
        return _published(raw, line)
    if key in {"section", "ref", "image"}:
        return raw or None
    return raw


def _published(raw, line):
    """An aware datetime from ISO 8601 (local time when no offset is given), or a timedelta."""
    if match := _HOURS_AGO.match(raw):
        return -timedelta(hours=float(match["n"].replace(",", ".")))
    if match := _IN_HOURS.match(raw):
        return timedelta(hours=float(match["n"].replace(",", ".")))
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise WireParseError(
            _(
                "Front matter line %(line)d: published must be a date and time such as "
                "2024-03-15 10:42, “3 hours ago” or “in 2 hours”, not “%(value)s”."
            )
            % {"line": line, "value": raw}
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
