"""Story body HTML: sanitising what editors and importers write, and splitting it into blocks.

Bodies are stored already cleaned, so templates can mark them safe; the block split lets quotes
render between the paragraphs where the editor placed them.
"""

import re
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
}
VOID_TAGS = {"br", "hr", "img", "wbr"}


def sanitize_html(html):
    """Keep the tags and attributes a news story needs; drop scripts, styles and event handlers."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


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
