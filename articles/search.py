"""Search: stories indexed under the dictionary forms of their words, queries read the same way.

A story's headline, lede, body and quotes (their words and speakers' names) are brought to
dictionary forms (``morphology.search_forms``) when it is saved, so «сделок» finds «сделки»
whatever the database. PostgreSQL keeps them in a ``tsvector`` with a GIN index (headline
weighted A, lede B, body C, quotes D) and ranks matches with ``ts_rank``; SQLite keeps the same
lexemes as text, matched with regular expressions, and ranks headline matches first. Both sides
see the same words, so both find the same stories. Quotes are indexed the same way on their own
(text A, context B), for searching a newsmaker's quotes.

The case-insensitive ``matching_all_words`` below serves the admin's search boxes.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal

from . import morphology

# Longer strings are not words a reader types; they are left out of the index and of queries.
MAX_WORD_LENGTH = 60
# More terms than this in one query are dropped: the query stays cheap whatever is typed.
MAX_TERMS = 12
# PostgreSQL keeps word positions up to 16383 and at most 256 of them per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
FIELD_WEIGHTS = "ABCD"  # headline, lede, body, quotes
QUOTES = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"'})


def search_words(search_term):
    """The words of a search, quoted phrases kept whole, the way Django's admin splits them."""
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            yield bit


def letter_case_forms(word):
    """``word`` as typed and in lower, upper and capitalised case."""
    return dict.fromkeys([word, word.lower(), word.upper(), word.capitalize()])


def matching_all_words(search_term, fields):
    """A ``Q`` true where every word of ``search_term`` is in one of ``fields``, in any case.

    ``icontains`` folds only ASCII letters on SQLite (and on PostgreSQL databases created with
    the C locale), so each word is also looked up in its lower, upper and capitalised forms.
    """
    condition = Q()
    for word in search_words(search_term):
        matches = Q()
        for field in fields:
            for form in letter_case_forms(word):
                matches |= Q(**{f"{field}__icontains": form})
        condition &= matches
    return condition


# ---------------------------------------------------------------------------------------------
# Reading a query
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One word of a query: the lexemes it matches, and a beginning for words not in the
    dictionary."""

    forms: frozenset
    prefix: str = ""

    @classmethod
    def for_word(cls, word):
        prefix = word if morphology.matches_as_prefix(word) else ""
        return cls(morphology.search_forms(word, parts=False), prefix)

    def matches(self, word):
        """Whether ``word`` of a text (lower case) is a form of this query word."""
        return bool(self.forms & morphology.search_forms(word)) or bool(
            self.prefix and word.startswith(self.prefix)
        )


@dataclass(frozen=True)
class Term:
    """A word, or a quoted phrase whose words must follow one another."""

    slots: tuple

    @property
    def is_phrase(self):
        return len(self.slots) > 1


def parse_query(text):
    """The terms of a reader's query: each word, each «quoted phrase»; at most ``MAX_TERMS``."""
    terms = []
    for bit in smart_split((text or "").translate(QUOTES)):
        quoted = len(bit) > 1 and bit[0] in "\"'" and bit[0] == bit[-1]
        if quoted:
            bit = unescape_string_literal(bit)
        words = [w for w in morphology.words(bit) if len(w) <= MAX_WORD_LENGTH]
        if quoted and len(words) > 1:
            terms.append(Term(tuple(Slot.for_word(w) for w in words)))
        else:
            terms.extend(Term((Slot.for_word(w),)) for w in words)
    return list(dict.fromkeys(terms))[:MAX_TERMS]


# ---------------------------------------------------------------------------------------------
# The index of a story
# ---------------------------------------------------------------------------------------------


def _indexed_words(fields):
    """``(position, weight, forms)`` of every word of ``fields``; a position is skipped between
    fields so that no phrase runs from the headline into the lede."""
    position = 0
    for weight, text in zip(FIELD_WEIGHTS, fields, strict=False):
        for word in morphology.words(text):
            position += 1
            if len(word) <= MAX_WORD_LENGTH:
                yield position, weight, morphology.search_forms(word)
        position += 1


def _lexeme(form):
    return "'" + form.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(headline, lede, body_text="", quotes_text=""):
    """PostgreSQL ``tsvector`` input for a story: every lexeme with its positions and weights.

    Written out here rather than made by ``to_tsvector``, because PostgreSQL's parser would
    split and normalise the dictionary forms again. Without ``body_text`` and ``quotes_text``
    it is the small vector of the headline and lede that ranking reads (see
    ``StoryQuerySet.search``); a quote's vector is ``tsvector(text, context)``.
    """
    positions = defaultdict(list)
    if body_text or quotes_text:
        fields = [headline, lede, body_text, quotes_text]
    else:
        fields = [headline, lede]
    for position, weight, forms in _indexed_words(fields):
        for form in forms:
            positions[form].append(f"{min(position, MAX_POSITION)}{weight}")
    return " ".join(
        f"{_lexeme(form)}:{','.join(dict.fromkeys(places[:MAX_POSITIONS_PER_LEXEME]))}"
        for form, places in positions.items()
    )


def text_document(headline, lede, body_text, quotes_text=""):
    """The same lexemes as plain text, for databases without full-text search (SQLite).

    One line per field, one ``|form|form|`` token per word, tokens separated by spaces.
    """
    lines = [[] for _weight in FIELD_WEIGHTS]
    for _position, weight, forms in _indexed_words([headline, lede, body_text, quotes_text]):
        lines[FIELD_WEIGHTS.index(weight)].append("|" + "|".join(sorted(forms)) + "|")
    return "\n".join(" ".join(line) for line in lines)


# ---------------------------------------------------------------------------------------------
# Matching on each database
# ---------------------------------------------------------------------------------------------


def steer_planner(using, *, walk):
    """Steer PostgreSQL's planner for the next search queries of this transaction: through
    the GIN indexes, and through the date index only when ``walk`` is true.

    The planner prices ``@@`` like any cheap operator, but on a story's vector it means
    reading and decompressing the vector. Left alone it reads the whole table for a word in
    one story of ten (over a second at 100,000 stories), or checks story after story in date
    order for a phrase found in no headline; the GIN indexes answer in milliseconds. Walking
    the date index is the fastest way to the newest of many matches, and only then.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise TransactionManagementError("Steering the planner needs a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', %s, true)",
            ["on" if walk else "off"],
        )


class LexemeQuery(SearchQuery):
    """A ``tsquery`` whose lexemes are taken as written: the query is in dictionary forms
    already. Built only by :func:`tsquery`, passed as a parameter."""

    template = "(%(expressions)s)::tsquery"


def _slot_tsquery(slot, weights):
    marks = f":{weights}" if weights else ""
    alternatives = [_lexeme(form) + marks for form in sorted(slot.forms)]
    if slot.prefix:
        alternatives.append(_lexeme(slot.prefix) + ":*" + weights)
    return "(" + " | ".join(alternatives) + ")"


def tsquery(terms, weights=""):
    """``tsquery`` input: every term required, a phrase's words adjacent, forms alternatives;
    with ``weights`` (``"A"``: the headline) only words of those fields count."""
    return " & ".join(
        "(" + " <-> ".join(_slot_tsquery(slot, weights) for slot in term.slots) + ")"
        for term in terms
    )


def _slot_regex(slot):
    alternatives = [re.escape(form) for form in sorted(slot.forms)]
    if slot.prefix:
        alternatives.append(re.escape(slot.prefix) + r"[^\s|]*")
    return "(?:" + "|".join(alternatives) + ")"


# A whole ``|form|form|`` token that has one of the slot's forms among its alternatives.
_TOKEN = r"\|(?:[^\s|]+\|)*{}\|(?:[^\s|]+\|)*"


# Where a regular expression may look in a text document: its first line, or first two.
_FIELDS = {None: "", 1: r"^[^\n]*", 2: r"^(?:[^\n]*\n)?[^\n]*"}


def term_regex(term, *, fields=None):
    """A regular expression finding ``term`` in a :func:`text_document`, anywhere or in its
    first ``fields`` fields (1: the headline, 2: headline and lede)."""
    if term.is_phrase:
        pattern = " ".join(_TOKEN.format(_slot_regex(slot)) for slot in term.slots)
    else:
        pattern = r"\|" + _slot_regex(term.slots[0]) + r"\|"
    return _FIELDS[fields] + pattern


# ---------------------------------------------------------------------------------------------
# Showing results
# ---------------------------------------------------------------------------------------------

# Counting stops here: counting every match of a common word would read every matching story.
RESULTS_LIMIT = 500


class RankedResults:
    """Search results for a paginator, read tier by tier (see ``StoryQuerySet.search_tiers``).

    Each tier is read newest first, so a page of a word found in every tenth story reads a few
    dozen rows instead of ranking thousands. ``count()`` stops at ``RESULTS_LIMIT``;
    ``capped`` then says there were more. Use it inside a transaction (``steer_planner``).
    """

    def __init__(self, tiers, everything):
        self.tiers = tiers
        self.everything = everything
        self.capped = False

    def count(self):
        steer_planner(self.everything.db, walk=False)
        counted = self.everything.order_by().values("pk")[: RESULTS_LIMIT + 1].count()
        self.capped = counted > RESULTS_LIMIT
        return min(counted, RESULTS_LIMIT)

    def __getitem__(self, window):
        skip, wanted = window.start or 0, window.stop - (window.start or 0)
        rows = []
        for number, tier in enumerate(self.tiers, start=1):
            if len(rows) == wanted:
                break
            if number == len(self.tiers) and self.capped:
                # Body matches of a common word: the newest are found within a few dozen stories.
                steer_planner(tier.db, walk=True)
            if skip:
                # Does the window start in this tier? Count its rows no further than needed.
                in_tier = tier.order_by().values("pk")[:skip].count()
                if in_tier < skip:
                    skip -= in_tier
                    continue
            rows.extend(tier[skip : skip + wanted - len(rows)])
            skip = 0
        return rows


_TEXT_WORD = re.compile(morphology.WORD.pattern)


def snippet(text, terms, *, words=30):
    """A passage of ``text`` around the first word the query found, those words in ``<mark>``.

    Done here for the twenty stories of a page rather than by ``ts_headline``, which compares
    the text's words as written and so would not mark «сделки» for «сделок».
    """
    text = " ".join((text or "").split())
    slots = [slot for term in terms for slot in term.slots]
    spans = [m.span() for m in _TEXT_WORD.finditer(text)]
    hits = [
        i
        for i, (start, end) in enumerate(spans)
        if any(slot.matches(text[start:end].lower().replace("ё", "е")) for slot in slots)
    ]
    if not spans:
        return ""
    first = max(0, (hits[0] if hits else 0) - words // 3)
    last = min(len(spans), first + words)
    start, end = spans[first][0], spans[last - 1][1]
    parts, cursor = [], start
    for i in hits:
        if first <= i < last:
            hit_start, hit_end = spans[i]
            parts.append((text[cursor:hit_start], text[hit_start:hit_end]))
            cursor = hit_end
    html = format_html_join("", "{}<mark>{}</mark>", parts) + escape(text[cursor:end])
    return mark_safe(("… " if first else "") + html + (" …" if last < len(spans) else ""))
