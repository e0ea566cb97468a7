"""Story body HTML: sanitising what editors and importers write, splitting it into blocks, and
expanding the embeds it refers to.

Bodies are stored already cleaned, so templates can mark them safe. Things that live outside the
text (a quote, a photo) sit in it as an empty reference block,
``<figure data-embed="quote" data-id="12"></figure>``, where the editor put them; on a page each
is expanded into its own template by the loader registered for its kind (``register_embed``),
which reads all the references of a kind in one query.
"""

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "q", "cite",
    "strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark", "abbr",
    "a", "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "figure": {"data-embed", "data-id"},
}
VOID_TAGS = {"br", "hr", "img", "wbr"}

# The kinds of thing a body may embed; shared with the photo library.
EMBED_KINDS = ("quote", "photo")
_DIGITS = re.compile(r"[0-9]{1,18}")
_EMBED_ATTRS = re.compile(r'\s(?:data-embed|data-id)="[^"]*"')
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>")
_EMBED_BLOCK = re.compile(
    r'<figure(?=[^>]*\sdata-embed="(?P<kind>[a-z]+)")(?=[^>]*\sdata-id="(?P<id>[0-9]+)")[^>]*>'
)


def _embed_attribute(element, attribute, value):
    if element == "figure" and attribute == "data-embed":
        return value if value in EMBED_KINDS else None
    if element == "figure" and attribute == "data-id":
        return value if _DIGITS.fullmatch(value) else None
    return value


def embed_html(kind, pk):
    """The reference block a body stores for an embedded ``kind`` with id ``pk``."""
    return f'<figure data-embed="{kind}" data-id="{int(pk)}"></figure>'


def _embed_of(block):
    """``(kind, id)`` when the top-level ``block`` is an embed reference, else None."""
    match = _EMBED_BLOCK.match(block)
    return (match["kind"], int(match["id"])) if match else None


def sanitize_html(html, *, embeds=True):
    """Keep the tags and attributes a news story needs; drop scripts, styles and event handlers.

    Embed references (``embeds=True``) keep exactly ``data-embed`` (a known kind) and
    ``data-id`` (digits) and lose whatever they held; an embed inside another block, or
    without both attributes, is an ordinary figure. With ``embeds=False`` none is kept.
    """
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_embed_attribute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    if "data-embed" not in cleaned and "data-id" not in cleaned:
        return cleaned
    blocks = []
    for block in split_blocks(cleaned):
        ref = _embed_of(block) if embeds else None
        if ref is not None:
            blocks.append(embed_html(*ref))
        else:
            # What is left of a broken reference is an empty figure: nothing to keep.
            block = _EMPTY_FIGURE.sub("", _EMBED_ATTRS.sub("", block))
            if block.strip():
                blocks.append(block)
    return "\n".join(blocks)


def embed_refs(html, kind=None):
    """The ``(kind, id)`` of each embed reference of sanitised ``html``, in reading order."""
    refs = (_embed_of(block) for block in split_blocks(html))
    return [ref for ref in refs if ref is not None and (kind is None or ref[0] == kind)]


def drop_embeds(html, kind, keep):
    """``html`` without the ``kind`` references whose id is not in ``keep``."""
    blocks = []
    for block in split_blocks(html):
        ref = _embed_of(block)
        if ref is None or ref[0] != kind or ref[1] in keep:
            blocks.append(block)
    return "\n".join(blocks)


def replace_embed_id(html, kind, old, new):
    """``html`` with the reference to ``kind`` ``old`` pointing at ``new`` instead."""
    blocks = [
        embed_html(kind, new) if _embed_of(block) == (kind, old) else block
        for block in split_blocks(html)
    ]
    return "\n".join(blocks)


def insert_embeds(html, placements):
    """``html`` with a reference block for each ``(blocks_before, kind, id)`` of
    ``placements``: after that many of its blocks (after the last one if there are fewer),
    several at one place in the order given."""
    blocks = split_blocks(html)
    after = {}
    for before, kind, pk in placements:
        after.setdefault(min(max(before, 0), len(blocks)), []).append(embed_html(kind, pk))
    out = [*after.get(0, [])]
    for index, block in enumerate(blocks, start=1):
        out.append(block)
        out.extend(after.get(index, []))
    return "\n".join(out)


@dataclass(frozen=True)
class EmbedKind:
    """How one kind of embed is shown: ``load(ids, owner)`` returns ``{id: object}`` for the
    ids that may be shown in ``owner`` (the story), in one query; ``template`` renders one,
    given it as ``object``; ``describe(object)`` is its text in a plain-text rendering of the
    body (revisions, comparisons)."""

    load: object
    template: str
    describe: object = str


_REGISTRY = {}


def register_embed(kind, *, load, template, describe=str):
    if kind not in EMBED_KINDS:
        raise ValueError(f"Unknown embed kind: {kind!r}")
    _REGISTRY[kind] = EmbedKind(load, template, describe)


@dataclass(frozen=True)
class Block:
    """One block of a body on a page: sanitised ``html``, or an embedded ``object`` of ``kind``
    shown with ``template``."""

    html: str = ""
    kind: str = ""
    object: object = None
    template: str = ""


def expand(html, owner):
    """The blocks of sanitised ``html`` in reading order, embeds replaced by what they refer to.

    Each kind's objects are loaded once for all its references; a reference the loader does
    not return (deleted, foreign, unknown kind) is left out: readers never see an empty block.
    """
    blocks = split_blocks(html)
    refs = [_embed_of(block) for block in blocks]
    wanted = {}
    for ref in refs:
        if ref is not None:
            wanted.setdefault(ref[0], set()).add(ref[1])
    loaded = {
        kind: _REGISTRY[kind].load(ids, owner) if kind in _REGISTRY else {}
        for kind, ids in wanted.items()
    }
    out = []
    for block, ref in zip(blocks, refs, strict=True):
        if ref is None:
            out.append(Block(html=block))
        elif (obj := loaded[ref[0]].get(ref[1])) is not None:
            out.append(Block(kind=ref[0], object=obj, template=_REGISTRY[ref[0]].template))
    return out


def describe_embed(kind, obj):
    """The plain text an embedded object stands for (revisions and comparisons)."""
    entry = _REGISTRY.get(kind)
    return entry.describe(obj) if entry else str(obj)


def text_to_html(text):
    """Turn plain text with blank-line separated paragraphs into ``<p>`` elements."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n".join("<p>{}</p>".format(escape(p).replace("\n", "<br>")) for p in paragraphs if p)


BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "figure", "table", "hr"}


class _BlockSplitter(HTMLParser):
    """Rebuilds sanitised HTML block by block; loose inline content is wrapped in a paragraph."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = []
        self.depth = 0
        self.loose = False  # the current block is loose inline content at the top level

    def _close_block(self):
        html = "".join(self.current).strip()
        if html and self.loose:
            html = f"<p>{html}</p>"
        if html:
            self.blocks.append(html)
        self.current = []
        self.loose = False

    def _at_top(self, block):
        if block or not self.loose:
            self._close_block()
        self.loose = not block

    def handle_starttag(self, tag, attrs):
        rendered = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs)
        if self.depth == 0:
            self._at_top(tag in BLOCK_TAGS)
        self.current.append(f"<{tag}{rendered}>")
        if tag not in VOID_TAGS:
            self.depth += 1
        elif self.depth == 0 and not self.loose:
            self._close_block()

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        self.current.append(f"</{tag}>")
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0 and not self.loose:
            self._close_block()

    def handle_data(self, data):
        if self.depth == 0:
            if not data.strip():
                return
            self._at_top(False)
        self.current.append(escape(data, quote=False))


def split_blocks(html):
    """Split sanitised HTML into its top-level blocks (paragraphs, headings, lists...)."""
    parser = _BlockSplitter()
    parser.feed(html or "")
    parser.close()
    parser._close_block()
    return parser.blocks


def plain_text(html):
    """The words of sanitised HTML as plain text; blocks and line breaks become spaces."""
    return unescape(re.sub(r"<[^>]*>", " ", html or ""))
