"""What a story's text mentions among the site's tags and newsmakers, in any grammatical form:
«Назарбаеву» mentions the tag «Назарбаев» and the newsmaker «Нурсултан Назарбаев».

Read, then match: the text becomes the set of lexemes search files its words under
(``morphology.search_forms``); a tag is mentioned when each of its words shares a lexeme with
that set, a newsmaker when their surname (the last word of the name) does.
"""

from . import morphology
from .models import Newsmaker, Tag

LIMIT = 10


def lexemes(text):
    """Every lexeme the words of ``text`` may stand for."""
    found = set()
    for word in morphology.words(text):
        found |= morphology.search_forms(word)
    return found


def _mentioned(words, found):
    return bool(words) and all(morphology.search_forms(word) & found for word in words)


def mentioned_tags(text, *, exclude=(), limit=LIMIT):
    """Tags the text mentions, as ``Tag`` objects, by name; ``exclude``: names to leave out."""
    found, left_out = lexemes(text), {name.casefold() for name in exclude}
    tags = [
        tag
        for tag in Tag.objects.order_by("name")
        if tag.name.casefold() not in left_out and _mentioned(morphology.words(tag.name), found)
    ]
    return tags[:limit]


def mentioned_newsmakers(text, *, limit=LIMIT):
    """Newsmakers whose surname the text mentions, by name."""
    found = lexemes(text)
    people = [
        person
        for person in Newsmaker.objects.order_by("name")
        if _mentioned(morphology.words(person.name)[-1:], found)
    ]
    return people[:limit]
