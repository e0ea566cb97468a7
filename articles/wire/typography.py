"""Letters, dashes and quotation marks as wire copy types them.

Quotation marks come in every style (« », „ “, “ ”, " ") and nest in any combination; a mark
that can open or close (" “ ”) is told apart by what stands around it.
"""

UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOW = "а-яёәғқңөұүһі"
# Hyphen-minus, double hyphen, and the figure, en, em and horizontal-bar dashes and the minus
# sign that wire copy puts between a quotation and its attribution.
DASH = r"(?:--?|[‐‑‒–—―−])"
OPENING_ONLY = "«„‹"
CLOSING_ONLY = "»›"
EITHER_WAY = '"“”'
MARKS = OPENING_ONLY + CLOSING_ONLY + EITHER_WAY
# What may stand right before an opening mark: nothing, a space, a bracket, a dash, another mark.
_BEFORE_OPENING = set(" \t([{/—–‒―−-") | set(OPENING_ONLY)


def mark_kinds(text):
    """``(index, +1)`` for each opening and ``(index, -1)`` for each closing quotation mark."""
    kinds, depth = [], 0
    for index, char in enumerate(text):
        if char in OPENING_ONLY:
            kind = 1
        elif char in CLOSING_ONLY:
            kind = -1
        elif char in EITHER_WAY:
            kind = _either_way_kind(text, index, kinds)
        else:
            continue
        if kind == -1 and depth == 0:
            continue  # a stray closing mark
        depth += kind
        kinds.append((index, kind))
    return kinds


def _either_way_kind(text, index, kinds):
    # Marks side by side do the same («""Нурлы жол" - шаг"» opens twice, «…жол""» closes twice).
    if kinds and kinds[-1][0] == index - 1:
        return kinds[-1][1]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return 1 if before in _BEFORE_OPENING and not after.isspace() else -1


def depths(text):
    """The nesting depth of quotation marks before each character of ``text`` (0: outside)."""
    result, depth, kinds = [], 0, dict(mark_kinds(text))
    for index in range(len(text)):
        kind = kinds.get(index, 0)
        if kind == -1:
            depth -= 1
        result.append(depth)
        if kind == 1:
            depth += 1
    return result


def closing_of(text, start):
    """The index of the mark that closes the one opening at ``start``, or None if none does."""
    depth = 0
    for index, kind in mark_kinds(text):
        if index < start:
            continue
        depth += kind
        if depth == 0:
            return index
    return None


def opens_at(text, index):
    """Whether a quotation mark opens at ``index``."""
    return (index, 1) in mark_kinds(text)


def mask_quoted(text):
    """``text`` with what stands inside quotation marks, and the marks, blanked out.

    Indexes stay the same, so names and roles found in the result point into ``text``; a
    company called «Алтын Су» is not taken for a person.
    """
    level = depths(text)
    kinds = dict(mark_kinds(text))
    return "".join(" " if level[i] or i in kinds else char for i, char in enumerate(text))
