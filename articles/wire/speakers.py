"""Who said it: the speaker of each quote, matched against the newsmakers on the site.

A quotation credited to the wrong person is the worst error a news site can publish, so a
newsmaker is matched only when the name identifies them:

* the full name, in any grammatical case («Бауыржана Сейтказиева» is Бауыржан Сейтказиев);
* the surname alone, when a paragraph above names that person in full, or when exactly one
  newsmaker has that surname;
* initials («А. Омарова»), when they fit exactly one person named above or one newsmaker.

A different first name, initial or patronymic is a different person; two people who could be
meant make the speaker uncertain. Then the quote gets a new newsmaker (a full name) or no
speaker at all, and the editor is told why.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .. import morphology
from ..models import Newsmaker, Quote
from .attributions import read_attribution, title_before
from .names import PersonName, fold, mentions_in
from .read import WireQuote

NAME_MAX_LENGTH = Newsmaker._meta.get_field("name").max_length
CONTEXT_MAX_LENGTH = Quote._meta.get_field("context").max_length
ROLE_MAX_LENGTH = Quote._meta.get_field("role").max_length
# How many items back a quote credited to «он» or to a bare title looks for its speaker.
LOOKBACK = 3
# Titles one person holds at a time, so that a story may use them instead of a name it gave
# before; «добавил министр» instead needs the story to have said who the minister is.
SINGLE_HOLDER_TITLES = {"глава", "президент", "премьер-министр", "елбасы"}
_VOWEL_END = re.compile(r"[аяеёиоуыэюйь]$")
# The letters a folded name may stand for: «е» for «ё», Russian letters for Kazakh ones.
_LETTER_CLASSES = {"е": "[её]", "а": "[аә]", "г": "[гғ]", "к": "[кқ]", "н": "[нң]", "о": "[оө]"}
_LETTER_CLASSES |= {"у": "[уұү]", "х": "[хһ]", "и": "[иі]"}


@dataclass
class Speaker:
    """The speaker of one quote: an existing newsmaker, a new one, or nobody (with why)."""

    attribution: str
    newsmaker: Newsmaker | None = None  # an existing newsmaker
    new_name: str = ""  # a newsmaker to create
    new_role: str = ""
    role: str = ""  # the speaker's title when the quote was said
    context: str = ""
    written: str = ""  # the name as the attribution gives it
    note: str = ""  # why there is no speaker
    readings: tuple = ()
    gender: str | None = None

    @property
    def found(self):
        return self.newsmaker is not None or bool(self.new_name)

    @property
    def key(self):
        return ("id", self.newsmaker.pk) if self.newsmaker else ("new", fold(self.new_name))


@dataclass
class _Person:
    """Someone the story names in full: every way their name was read, the best first."""

    readings: list
    role: str = ""
    speaker: Speaker | None = field(default=None, repr=False)


def parse_name(name):
    """A newsmaker's name («Асель Кайратовна Омарова», «А. Омарова») as a ``PersonName``."""
    words = name.split()
    if not words:
        return PersonName("")
    initials = [w for w in words[:-1] if re.fullmatch(r"\w\.(?:\w\.)*", w)]
    if initials:
        return PersonName(words[-1], initials=" ".join(initials))
    if len(words) == 1:
        return PersonName(words[0])
    return PersonName(words[-1], first=words[0], patronymic=" ".join(words[1:-1]))


def gender_of(name):
    """ "masc" or "femn" when a nominative name tells, else None."""
    for word, part in ((name.surname, "surname"), (name.first, "first")):
        if not word:
            continue
        genders = {
            r.gender for r in morphology.name_readings(word, part) if r.case == "nomn" and r.gender
        }
        if len(genders) == 1:
            return genders.pop()
    return name.gender


def same_person(mention, known, lenient=False):
    """Whether the name read from a text and a known name may be the same person.

    ``lenient``: the mention stands in an oblique case, where a first name the analyser does not
    know keeps its ending («Асели» for Асель); first names then only need the same stem.
    """
    if fold(mention.surname) != fold(known.surname):
        return False
    if mention.first and known.first:
        if not _same_word(mention.first, known.first, lenient):
            return False
    elif (mention.initials or known.initials) and not _initials_fit(mention, known):
        return False
    if mention.patronymic and known.patronymic:
        return _same_word(mention.patronymic, known.patronymic, lenient)
    return True


def _same_word(a, b, lenient):
    a, b = fold(a), fold(b)
    return a == b or (lenient and _stem(a) == _stem(b) and min(len(a), len(b)) > 3)


def _stem(word):
    return _VOWEL_END.sub("", word) if len(word) > 3 else word


def _initials_fit(mention, known):
    letters = [fold(i[0]) for i in (mention.initials or "").split()]
    known_letters = [fold(i[0]) for i in (known.initials or "").split()]
    if mention.first or known.first:
        first = mention.first or known.first
        patronymic = mention.patronymic or known.patronymic
        given = letters or known_letters
        full = [fold(first[0])] + ([fold(patronymic[0])] if patronymic else [])
        return given[: len(full)] == full[: len(given)] and given[0] == full[0]
    return letters == known_letters


def _exactly(mention, known):
    return mention.key == known.key


class SpeakerResolver:
    """Finds the speaker of every quote of one story, reading the newsmakers once."""

    def __init__(self, wire):
        self.sequence = [wire.headline, wire.lede, *wire.items]
        self.attributions = {
            index: read_attribution(item.attribution)
            for index, item in enumerate(self.sequence)
            if isinstance(item, WireQuote)
        }
        self.text_mentions = {
            index: mentions_in(item)
            for index, item in enumerate(self.sequence)
            if isinstance(item, str)
        }
        self.newsmakers = self._candidates()
        self.people = []
        self.speakers = {}

    def _candidates(self):
        """Newsmakers who may be among the people the story names: one query."""
        stems = set()
        mentions = [m for found in self.text_mentions.values() for m in found]
        mentions += [a.speaker for a in self.attributions.values() if a.speaker]
        for mention in mentions:
            for reading in mention.readings:
                if len(reading.surname) >= 2:
                    stems.add(fold(reading.surname)[:4])
        if not stems:
            return []
        # Case-insensitive on every database, and «к» also finds «қ».
        pattern = "|".join("".join(_LETTER_CLASSES.get(c, re.escape(c)) for c in s) for s in stems)
        return [(n, parse_name(n.name)) for n in Newsmaker.objects.filter(name__iregex=pattern)]

    def resolve(self):
        """A ``Speaker`` for each quote, in the order of the story."""
        for index, item in enumerate(self.sequence):
            if isinstance(item, WireQuote):
                speaker = self._speaker(index)
                self.speakers[index] = speaker
            else:
                seen = set()
                for mention in self.text_mentions[index]:
                    if mention.is_full and mention.readings not in seen:
                        seen.add(mention.readings)
                        role, _start = title_before(item, mention.start, "nomn")
                        self._remember(mention.readings, role)
        return [self.speakers[i] for i in sorted(self.speakers)]

    # -- one quote ---------------------------------------------------------------------------

    def _speaker(self, index):
        attribution = self.attributions[index]
        speaker = Speaker(attribution.text, context=attribution.context, gender=attribution.gender)
        mention = attribution.speaker
        if attribution.nobody:
            return self._nobody(speaker, "")
        if mention is None:
            if attribution.impersonal:
                return self._nobody(speaker, "")
            found = self._previous(index, attribution)
            if found is None:
                return self._nobody(speaker, _("the attribution names nobody the story names"))
            return self._copy(found, speaker, attribution.role, attribution.context)
        speaker.written = mention.written
        speaker.role = attribution.role
        readings = attribution.readings
        lenient = attribution.case != "nomn" or readings[0].case not in (None, "nomn")
        if any(r.is_full for r in readings):
            speaker = self._full(speaker, readings, lenient, create=not attribution.impersonal)
        else:
            speaker = self._partial(speaker, readings, lenient)
        if speaker.found:
            self._remember(speaker.readings, speaker.role, speaker)
        else:
            speaker.context, speaker.role = attribution.text, ""
        return speaker

    def _full(self, speaker, readings, lenient, create=True):
        readings = [r for r in readings if r.is_full]
        person = self._person_above(readings, lenient)
        title = speaker.role or (person.role if person else "")
        if person is not None:
            readings = person.readings + [r for r in readings if r not in person.readings]
            if person.speaker is not None:
                return self._copy(person.speaker, speaker, speaker.role, speaker.context)
        matches = self._matching(readings, lenient)
        if len(matches) == 1:
            speaker.newsmaker = matches[0]
        elif len(matches) > 1:
            return self._nobody(
                speaker,
                _("several newsmakers could be meant: %(names)s")
                % {"names": ", ".join(n.name for n in matches)},
            )
        elif create:
            name = str(self._best(readings))[:NAME_MAX_LENGTH]
            speaker.new_name = name
            speaker.new_role = (title[:1].upper() + title[1:])[:ROLE_MAX_LENGTH]
        else:
            return self._nobody(speaker, "")
        speaker.readings = tuple(readings)
        return speaker

    def _partial(self, speaker, readings, lenient):
        """A surname alone, or initials and a surname."""
        surnames = sorted({r.surname for r in readings})
        label = speaker.written
        above = self._people_named(readings, lenient)
        if len(above) == 1:
            person = above[0]
            if person.speaker is not None:
                return self._copy(person.speaker, speaker, speaker.role, speaker.context)
            return self._full(speaker, person.readings, lenient)
        if len(above) > 1:
            return self._nobody(
                speaker,
                _("the story names more than one person called %(name)s")
                % {"name": " / ".join(surnames)},
            )
        matches = self._matching(readings, lenient)
        if len(matches) == 1:
            speaker.newsmaker = matches[0]
            speaker.readings = tuple(readings)
            return speaker
        if len(matches) > 1:
            return self._nobody(
                speaker,
                _("%(name)s could be any of %(names)s")
                % {"name": label, "names": ", ".join(n.name for n in matches)},
            )
        return self._nobody(speaker, _("%(name)s alone does not say who it is") % {"name": label})

    def _previous(self, index, attribution):
        """«…, — добавил он»: the person quoted or named just before, if only one fits."""
        if attribution.gender == "plur" or attribution.unnamed:
            return None
        for back in range(index - 1, max(index - 1 - LOOKBACK, -1), -1):
            item = self.sequence[back]
            if isinstance(item, WireQuote):
                candidate = self.speakers[back]
                if not candidate.found:
                    if candidate.written or candidate.note:
                        return None  # «он» may be the person we could not tell
                    continue  # «говорится в сообщении»: nobody
            else:
                subjects = [
                    m for m in self.text_mentions[back] if not m.governed and m.in_case("nomn")
                ]
                if not subjects:
                    continue
                found = {}
                for mention in {m.readings: m for m in reversed(subjects)}.values():
                    speaker = self._resolve_mention(item, mention)
                    if not speaker.found:
                        return None  # someone we cannot tell, so not someone further back
                    found.setdefault(speaker.key, speaker)
                if len(found) > 1:
                    return None
                candidate = next(iter(found.values()))
            if not _gender_fits(attribution.gender, candidate):
                continue
            if not _title_fits(attribution.title, candidate.role or self._known_role(candidate)):
                return None
            return candidate
        return None

    def _resolve_mention(self, text, mention):
        readings = mention.in_case("nomn")
        role, _start = title_before(text, mention.start, "nomn")
        speaker = Speaker(mention.written, written=mention.written, role=role)
        if any(r.is_full for r in readings):
            return self._full(speaker, readings, lenient=False)
        return self._partial(speaker, readings, lenient=False)

    # -- the people of the story -------------------------------------------------------------

    def _remember(self, readings, role, speaker=None):
        readings = [r for r in readings if r.is_full]
        if not readings:
            return
        person = self._person_above(readings, lenient=True)
        if person is None:
            self.people.append(_Person(list(readings), role, speaker))
            return
        person.readings += [r for r in readings if r not in person.readings]
        person.role = person.role or role
        person.speaker = person.speaker or speaker

    def _known_role(self, speaker):
        """The title the story gave this person somewhere above."""
        for person in self._people_named(speaker.readings, lenient=True):
            if person.role:
                return person.role
        return ""

    def _person_above(self, readings, lenient):
        fitting = [
            p
            for p in self.people
            if any(same_person(r, k, lenient) for r in readings for k in p.readings)
        ]
        return fitting[0] if len(fitting) == 1 else None

    def _people_named(self, readings, lenient):
        return [
            p
            for p in self.people
            if any(same_person(r, k, lenient) for r in readings for k in p.readings)
        ]

    def _matching(self, readings, lenient):
        matches = {
            n.pk: n
            for n, name in self.newsmakers
            if any(same_person(r, name, lenient) for r in readings)
        }
        if len(matches) > 1:
            # «Асель Кайратовна Омарова» is the newsmaker of that very name, not «Асель Омарова».
            exact = {
                n.pk: n for n, name in self.newsmakers if any(_exactly(r, name) for r in readings)
            }
            if len(exact) == 1:
                return list(exact.values())
        return list(matches.values())

    @staticmethod
    def _best(readings):
        """The reading to name a new newsmaker by: one read in the nominative, if any."""
        nominative = [r for r in readings if r.case == "nomn"]
        return (nominative or readings)[0]

    @staticmethod
    def _copy(found, speaker, role, context):
        speaker.newsmaker, speaker.new_name = found.newsmaker, found.new_name
        speaker.new_role = found.new_role
        speaker.readings, speaker.role = found.readings, role
        speaker.context = context
        speaker.gender = speaker.gender or found.gender
        return speaker

    @staticmethod
    def _nobody(speaker, note):
        speaker.newsmaker, speaker.new_name, speaker.note = None, "", note
        speaker.context, speaker.role = speaker.attribution, ""
        return speaker


def _gender_fits(gender, candidate):
    if gender not in ("masc", "femn"):
        return True
    genders = {r.gender for r in candidate.readings if r.gender}
    if candidate.newsmaker is not None:
        genders |= {gender_of(parse_name(candidate.newsmaker.name))} - {None}
    return not genders or gender in genders


def _title_fits(title, known):
    """«добавил министр» is the minister named before, not the akim; «подчеркнул Глава
    государства» is the head of state quoted before, whose title the story need not repeat."""
    if not title:
        return True
    if not known:
        return morphology.normal_form(title.split()[0]) in SINGLE_HOLDER_TITLES
    a, b = morphology.lemmatize(title), morphology.lemmatize(known)
    return a[: len(b)] == b or b[: len(a)] == a
