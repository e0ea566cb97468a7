"""Hostile input for tests: the XSS payload corpus and a check that rendered markup carries none
of it as markup (scripts, event handlers, script addresses), parsed the way browsers parse."""

import json
import re
from pathlib import Path

import html5lib

PAYLOAD_FILE = Path(__file__).parent / "fixtures" / "xss_payloads.txt"


def payloads():
    """The corpus: one payload a line; comments and blank lines left out."""
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


# Elements the site's own pages never carry and that run or load code, or redirect the page.
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "bgsound",
    "xml", "import", "keygen",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "lowsrc", "dynsrc",
    "codebase", "cite", "longdesc", "usemap", "xlink:href", "srcset", "ping", "manifest", "icon",
}  # fmt: skip
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);", re.IGNORECASE)


def dangerous_url(value):
    """Whether a browser would run ``value`` (an attribute's value, entities already decoded)
    as script when followed or loaded: javascript:, vbscript:, or a data: address that is not
    a raster image. Browsers ignore spaces and control characters in the scheme."""
    scheme = _INVISIBLE.sub("", value).lower()
    if scheme.startswith(("javascript:", "vbscript:", "livescript:")):
        return True
    return scheme.startswith("data:") and not _SAFE_DATA.match(scheme)


def _local(name):
    return name.rsplit("}", 1)[-1].lower()


def problems(markup, *, nonce=None, fragment=False):
    """What in ``markup`` would run script or load what it should not: a list of descriptions,
    empty when the markup is clean. ``nonce`` is the response's CSP nonce: scripts carrying it
    are the page's own; so are external scripts from /static/ and JSON-LD data blocks (whose
    text must be JSON)."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    tree = parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    elements = tree.iter() if hasattr(tree, "iter") else ()
    for element in elements:
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = _local(element.tag)
        attrs = {_local(name): value for name, value in element.attrib.items()}
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())}>"[:200]
        if tag == "script":
            found.extend(_script_problems(element, attrs, nonce, where))
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"forbidden element {where}")
        elif tag == "meta" and "http-equiv" in attrs:
            found.append(f"meta http-equiv {where}")
        elif tag == "style" and (nonce is None or attrs.get("nonce") != nonce):
            found.append(f"style element without the nonce {where}")
        elif (
            tag == "link"
            and "stylesheet" in attrs.get("rel", "").lower()
            and not attrs.get("href", "").startswith("/static/")
        ):
            found.append(f"stylesheet from elsewhere {where}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name} {where}")
            elif name in ("style", "srcdoc"):
                found.append(f"{name} attribute {where}")
            elif name in URL_ATTRIBUTES and any(
                dangerous_url(part) for part in (value.split(",") if name == "srcset" else [value])
            ):
                found.append(f"script address in {name} {where}")
        if tag == "form" and attrs.get("action", "").startswith(("http:", "https:", "//")):
            found.append(f"form posting elsewhere {where}")
    return found


def _script_problems(element, attrs, nonce, where):
    if attrs.get("type", "").lower() == "application/ld+json" and "src" not in attrs:
        try:
            json.loads(element.text or "")
        except ValueError:
            return [f"JSON-LD that is not JSON (broken out of?) {(element.text or '')[:200]!r}"]
        return []
    if nonce is not None and attrs.get("nonce") == nonce:
        return []
    src = attrs.get("src", "")
    if src.startswith("/static/") and not element.text:
        return []
    return [f"script {where} {(element.text or '')[:100]!r}"]


def json_ld(markup):
    """The JSON-LD data blocks of a page, parsed."""
    tree = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    return [
        json.loads(script.text or "")
        for script in tree.iter("script")
        if script.get("type", "").lower() == "application/ld+json"
    ]


def meta_content(markup):
    """``{property or name: content}`` of a page's meta elements, as a browser reads them."""
    tree = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    return {
        (meta.get("property") or meta.get("name")): meta.get("content", "")
        for meta in tree.iter("meta")
        if meta.get("property") or meta.get("name")
    }
