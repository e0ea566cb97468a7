"""Text search that ignores letter case for Cyrillic on every database.

``icontains`` folds only ASCII letters on SQLite (and on PostgreSQL databases created with the C
locale), so «астана» would not find «Астана». Each word is therefore also looked up in its lower,
upper and capitalised forms.
"""

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal


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
    """A ``Q`` true where every word of ``search_term`` is in one of ``fields``, in any case."""
    condition = Q()
    for word in search_words(search_term):
        matches = Q()
        for field in fields:
            for form in letter_case_forms(word):
                matches |= Q(**{f"{field}__icontains": form})
        condition &= matches
    return condition
