"""Reading a wire story: bytes or text in, a plain ``WireStory`` out, without the database.

The reader is what an editor's pasted text or a live entry could go through as well: it finds
the front matter, the headline, the lede, body paragraphs, quotations with their attributions
and the sources the text cites.
"""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Story
from .errors import WireParseError
from .frontmatter import FrontMatter, split_front_matter
from .quotes import attribution_first, quote_first
from .sources import source_line, sources_in, split_attribution_source
from .text import decode, normalise_lines, split_paragraphs, strip_chrome

HEADLINE_MAX_LENGTH = Story._meta.get_field("headline").max_length


@dataclass(frozen=True)
class WireQuote:
    text: str
    attribution: str  # as written, less any source it cites
    position: int  # body paragraphs before the quote
    source_name: str | None = None  # «…, сообщает акимат Алматы»


@dataclass(frozen=True)
class WireStory:
    headline: str
    lede: str
    items: tuple  # body paragraphs (str) and quotes (WireQuote) in reading order
    source_names: tuple
    import_ref: str
    front: FrontMatter = field(default_factory=FrontMatter)

    @property
    def body_paragraphs(self):
        return [item for item in self.items if isinstance(item, str)]

    @property
    def quotes(self):
        return [item for item in self.items if isinstance(item, WireQuote)]


def read_wire(data):
    """Read a wire story from bytes or text; raise ``WireParseError`` when it has no story shape."""
    front, text = split_front_matter(decode(data))
    paragraphs = split_paragraphs(strip_chrome(normalise_lines(text)))
    if not paragraphs:
        raise WireParseError(_("The text has nothing but site navigation."))
    headline = paragraphs[0]
    if headline.endswith(".") and not headline.endswith(".."):
        headline = headline[:-1].rstrip()
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise WireParseError(
            _(
                "The text is shapeless: its first paragraph is %(length)d characters long, "
                "too long for a headline (at most %(max)d)."
            )
            % {"length": len(headline), "max": HEADLINE_MAX_LENGTH}
        )
    if len(paragraphs) < 3:
        raise WireParseError(
            _("The text is shapeless: it needs a headline, a lede and at least one paragraph.")
        )
    lede = paragraphs[1]
    items, sources = _items(paragraphs[2:])
    digest = hashlib.sha256("\n\n".join(paragraphs).encode("utf-8")).hexdigest()
    return WireStory(
        headline=headline,
        lede=lede,
        items=tuple(items),
        source_names=tuple(_unique([*sources_in(lede), *sources, *front.sources])),
        import_ref=front.ref or f"sha256:{digest}",
        front=front,
    )


def _items(paragraphs):
    """Body paragraphs and quotes in reading order, and the sources cited."""
    items, sources, index = [], [], 0

    def body(text):
        if text:
            items.append(text)
            sources.extend(sources_in(text))

    def quote(text, attribution):
        attribution, source = split_attribution_source(attribution)
        position = sum(1 for item in items if isinstance(item, str))
        items.append(WireQuote(text, attribution, position, source))
        if source:
            sources.append(source)

    while index < len(paragraphs):
        paragraph = paragraphs[index]
        index += 1
        if (name := source_line(paragraph)) is not None:
            sources.append(name)
            continue
        parsed = quote_first(paragraph) or attribution_first(paragraph)
        if parsed is None:
            body(paragraph)
            continue
        texts, attribution, rest = [parsed.text], parsed.attribution, parsed.rest
        if parsed.open:
            # Wire copy opens each paragraph of a long quotation with a mark and closes the last.
            while index < len(paragraphs):
                more = quote_first(paragraphs[index], continuing=True)
                if more is None or (attribution and more.attribution):
                    break  # not a continuation, or one with a speaker of its own
                texts.append(more.text)
                index += 1
                if not more.open:
                    attribution = more.attribution or attribution
                    rest = more.rest
                    break
        if attribution is None:
            # An opening mark that never closes and nobody to credit: the text as written.
            for text in paragraphs[index - len(texts) : index]:
                body(text)
            continue
        body(parsed.lead)
        quote("\n\n".join(t for t in texts if t), attribution)
        body(rest)
    return items, sources


def _unique(names):
    seen = set()
    return [n for n in names if not (n.casefold() in seen or seen.add(n.casefold()))]
