"""Word-level differences between two texts, for revisions and edit conflicts.

Story bodies are HTML; they are compared as the text a reader reads (one line per paragraph,
heading or list item), so a diff stays readable whatever editor produced the markup.
"""

import difflib
import re
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .richtext import split_blocks

WORD = re.compile(r"\s+|\w+|[^\w\s]")
LINE_BREAKS = re.compile(r"<br\s*/?>|</(?:li|tr|th|td|h[1-6]|figcaption|blockquote|p)>", re.I)


def html_to_text(html):
    """The text of HTML: blocks apart by a blank line, list items on lines of their own."""
    blocks = []
    for block in split_blocks(html or ""):
        text = unescape(strip_tags(LINE_BREAKS.sub("\n", block)))
        lines = (" ".join(line.split()) for line in text.splitlines())
        blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(block for block in blocks if block)


def _runs(old, new):
    """``[old_text, new_text, equal]`` runs that turn ``old`` into ``new``, word by word."""
    a, b = WORD.findall(old), WORD.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs = [
        ["".join(a[i1:i2]), "".join(b[j1:j2]), tag == "equal"]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    # A space between two changes belongs to them: one <del>a b</del><ins>c d</ins>, not four.
    for before, run, after in zip(runs, runs[1:], runs[2:], strict=False):
        if run[2] and not run[0].strip() and not before[2] and not after[2]:
            run[2] = False
    merged = []
    for run in runs:
        if merged and not run[2] and not merged[-1][2]:
            merged[-1][0] += run[0]
            merged[-1][1] += run[1]
        else:
            merged.append(run)
    return merged


def _marked(tag, text):
    """``text`` in ``<tag>``, with the spaces around it left outside so words stay apart."""
    core = text.strip()
    if not core:
        return escape(text) if tag == "ins" else ""
    start = text.index(core[0])
    return f"{escape(text[:start])}<{tag}>{escape(core)}</{tag}>{escape(text[start + len(core) :])}"


def word_diff(old, new):
    """``old`` turned into ``new`` as safe HTML: removals in ``<del>``, additions in ``<ins>``."""
    out = []
    for old_part, new_part, equal in _runs(old or "", new or ""):
        if equal:
            out.append(escape(new_part))
        elif old_part and new_part:
            out.append(f"<del>{escape(old_part)}</del><ins>{escape(new_part)}</ins>")
        else:
            out.append(_marked("del", old_part) if old_part else _marked("ins", new_part))
    return mark_safe("".join(out))
