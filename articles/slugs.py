"""ASCII slugs for Russian and Kazakh text.

The scheme is a simplified BGN/PCGN-style romanisation, the one Russian and Kazakh news sites use
in their URLs. Russian: а a, б b, в v, г g, д d, е e, ё e, ж zh, з z, и i, й y, к k, л l, м m,
н n, о o, п p, р r, с s, т t, у u, ф f, х kh, ц ts, ч ch, ш sh, щ shch, ъ and ь dropped, ы y,
э e, ю yu, я ya. Kazakh letters follow the 2021 Kazakh Latin alphabet without its
diacritics: ә a, ғ g, қ q, ң n, ө o, ұ u, ү u, һ h, і i. Ukrainian and
Belarusian extras: є ye, ї yi, ґ g, ў u. Latin letters with diacritics lose them (é → e); anything
else becomes a hyphen, runs of hyphens collapse, and the result is lower case.
"""

import re
import unicodedata

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian and Belarusian
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}  # fmt: skip

_TABLE = str.maketrans(CYRILLIC)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text):
    """Romanise Cyrillic letters of ``text``; leave other characters as they are."""
    return text.lower().translate(_TABLE)


def ascii_slugify(text, max_length=None):
    """Return a lower-case ASCII slug for ``text``, possibly empty when it has no letters or digits.

    With ``max_length`` the slug is cut at a word boundary where one is near.
    """
    latin = unicodedata.normalize("NFKD", transliterate(str(text)))
    latin = latin.encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", latin).strip("-")
    if max_length and len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut[:max_length]
        slug = slug.strip("-")
    return slug
