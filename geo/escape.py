"""The one door through which text from data reaches HTML or JavaScript.

Every other module hands data text to these functions, to Streamlit APIs that render text
(never HTML), or to the static edition's Jinja templates (geo/site/render.py), which escape
every value. Only this module marks text as markup (`Markup`, for the inline scripts and
styles of the single-file export). A test fails if HTML-producing APIs are used anywhere else.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from geo.records import check_url

# Characters that could end a <script> element, open a comment or a template
# substitution, or break a JavaScript string when JSON is placed inside a script.
_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "`": "\\u0060",
    "$": "\\u0024",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
# The same, as a translation table: one pass in C instead of a Python call per character (a
# status layer of 5,000 places is about a megabyte of JSON).
_JS_TABLE = str.maketrans(_JS_UNSAFE)


def html_text(value: str) -> str:
    """Text for HTML element content or a quoted attribute value.

    Braces become character references too: folium and branca compile the HTML they are given
    as a Jinja template, so `{{ ... }}` or `{% ... %}` in data would run on the server.
    """
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def js_json(value: Any) -> str:
    """A JSON literal that is safe inside a <script> and inside a JS template string."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_JS_TABLE)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def js_data(value: Any) -> str:
    """js_json, with braces inside strings escaped as well, for data files and data blocks.

    Template syntax from data (`{{ ... }}`, `{% ... %}`) then never appears in a page's source,
    whatever tool reads it later; JSON.parse and JavaScript read the same values.
    """
    return _JSON_STRING.sub(
        lambda m: m.group(0).replace("{", "\\u007b").replace("}", "\\u007d"), js_json(value)
    )


def safe_href(url: str) -> str | None:
    """The URL when it is an http(s) link the validator accepts, else None (no link)."""
    try:
        return check_url(url)
    except ValueError:
        return None


def markdown_text(value: str) -> str:
    """Text shown through st.markdown literally: Markdown and HTML syntax escaped.

    Beyond CommonMark: `&` (else `&amp;` shows as `&`), `:` and `/` (else Streamlit turns
    `:red[x]`, `:smile:` and `:material/home:` into colours, emoji and icons). Plain URLs and
    e-mail addresses in the text still become links to exactly what is shown (GFM autolinks).
    """
    specials = "\\`*_{}[]()<>#+-.!|~$&:/"
    escaped = "".join("\\" + ch if ch in specials else ch for ch in value)
    return escaped.replace("\n", "  \n")


def markdown_link(label: str, url: str) -> str:
    """A Markdown link with an escaped label; a URL that is not http(s) is shown as text."""
    href = safe_href(url)
    if href is None:
        return markdown_text(label)
    # Parentheses and spaces would end the link target early; percent-encode them.
    target = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{markdown_text(label)}]({target})"


# A link that stays on the page it is on: a query alone, as urlencode writes it.
_QUERY_ONLY = re.compile(r"\?[A-Za-z0-9._~%&=+-]*")


def markdown_app_link(label: str, url: str) -> str:
    """A Markdown link to a view of the app: an http(s) address, or a query alone
    (`?year=2024&place=ma-boston`, geo.site.share.app_place_url), which can only reopen the page
    it is on. Anything else is shown as text."""
    if _QUERY_ONLY.fullmatch(url):
        return f"[{markdown_text(label)}]({url})"
    return markdown_link(label, url)


def ascii_host(host: str) -> str:
    """A host name as ASCII: each label that is not plain ASCII in punycode (`xn--...`), so a
    look-alike ("apple.com" with a Cyrillic "a") reads as what it is (`xn--pple-43d.com`)."""
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in host.split(".")
    )


def link_host(url: str) -> str:
    """The part of a URL worth naming in a sentence: its host in ASCII, without "www."."""
    host = urlsplit(url).hostname
    return ascii_host(host).removeprefix("www.") if host else url


def source_markdown(name: str, url: str, read_url: str = "") -> str:
    """The original source as a link, then "(read via host)" when a copy was read."""
    text = markdown_link(name, url)
    if read_url:
        text += f" (read via {markdown_link(link_host(read_url), read_url)})"
    return text


def template_value(value: object) -> object:
    """The static edition's templates run every value through this (Jinja's `finalize`)
    before autoescaping: text is escaped as html_text does (quotes and braces too, so template
    syntax from data never reaches a page's source); markup made here passes as it is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return Markup(html_text(value))  # noqa: S704 (escaped on this line)
    return value


# What could end an inline element early, or start a comment or a script inside it.
_ELEMENT_BREAKERS = {"script": ("</script", "<!--", "<script"), "style": ("</style", "<!--")}


def _element_text(text: str, element: str) -> Markup:
    lowered = text.lower()
    for breaker in _ELEMENT_BREAKERS[element]:
        if breaker in lowered:
            raise ValueError(f"text for an inline <{element}> holds {breaker!r}")
    return Markup(text)  # noqa: S704 (checked above: nothing in it ends the element)


def inline_script(text: str) -> Markup:
    """A script file's text, inlined into a <script> element of a template as it is (the
    single-file export). Refused when it could end the element early: the files are the
    project's own scripts and js_data output (which escapes every `<`)."""
    return _element_text(text, "script")


def inline_style(text: str) -> Markup:
    """A stylesheet's text, inlined into a <style> element as it is; refused if it holds
    `</style` or a comment opener."""
    return _element_text(text, "style")
