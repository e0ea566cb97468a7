"""Template filters for link previews and the share row."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import sharing

register = template.Library()

# As Django's json_script escapes: nothing in the data can close the script element or open a
# comment, whatever an editor puts in a headline.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@register.filter
def json_ld(data):
    """``data`` as a ``<script type="application/ld+json">`` element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_ESCAPES))
    )


@register.filter
def utm(url, source):
    """``url`` tagged for one share channel: ``?utm_source=<source>&utm_medium=social``."""
    return sharing.with_utm(url, source)
