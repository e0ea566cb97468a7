"""Word-level differences between two texts, for revisions and edit conflicts.

Story bodies are HTML; they are compared as the text a reader reads (one line per paragraph,
heading or list item), so a diff stays readable whatever editor produced the markup. An embedded
quote reads as its text and speaker, at its place: moving one shows in the diff.
"""

import difflib
import re
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .richtext import embed_refs, split_blocks

WORD = re.compile(r"\s+|\w+|[^\w\s]")
LINE_BREAKS = re.compile(r"<br\s*/?>|</(?:li|tr|th|td|h[1-6]|figcaption|blockquote|p)>", re.I)


def html_to_text(html, embeds=None):
    """The text of HTML: blocks apart by a blank line, list items on lines of their own.

    An embed reference is the text ``embeds`` has for its ``(kind, id)``, else a mark saying
    what it was, so that no reference reads as nothing."""
    blocks = []
    for block in split_blocks(html or ""):
        if ref := embed_refs(block):
            kind, pk = ref[0]
            text = (embeds or {}).get(ref[0])
            blocks.append(text or gettext("[%(kind)s %(id)s]") % {"kind": kind, "id": pk})
            continue
        text = unescape(strip_tags(LINE_BREAKS.sub("\n", block)))
        lines = (" ".join(line.split()) for line in text.splitlines())
        blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(block for block in blocks if block)


def quote_texts(quotes, speakers=None):
    """``{("quote", id): "«text» — speaker"}`` for ``html_to_text``; ``speakers`` maps speaker
    ids to names when the quotes' speakers are not loaded."""
    texts = {}
    for quote in quotes:
        text = " ".join(quote.text.split())
        name = speakers.get(quote.speaker_id) if speakers is not None else None
        if speakers is None and quote.speaker_id:
            name = quote.speaker.name
        texts[("quote", quote.pk)] = f"«{text}» — {name}" if name else f"«{text}»"
    return texts


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
