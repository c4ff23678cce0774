"""The escaping door: hostile text stays text in HTML, in scripts and in Markdown."""

from __future__ import annotations

import json

import pytest

from geo.escape import (
    html_text,
    inline_script,
    inline_style,
    js_json,
    link_host,
    markdown_link,
    markdown_text,
    safe_href,
    source_markdown,
    template_value,
)
from geo.site.data import source
from geo.site.render import part

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "\"'><svg onload=alert(1)>",
    "${alert(1)}",
    "`${document.title='x'}`",
    "</script><script>alert(1)</script>",
    "line\u2028separator",
    "Ünïcödé 東京 🙂",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_js_json_round_trips_and_cannot_end_a_script_or_template(text):
    encoded = js_json({"label": text})
    for forbidden in ("<", ">", "`", "$", "'", "\u2028"):
        assert forbidden not in encoded
    assert json.loads(encoded) == {"label": text}


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<b>", "&lt;b&gt;"),
        ("\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#x27;single&#x27;"),
        ("plain", "plain"),
    ],
)
def test_html_text(raw, escaped):
    assert html_text(raw) == escaped


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" https://example.org", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("https://exa\tmple.org", None),
    ],
)
def test_safe_href(url, expected):
    assert safe_href(url) == expected


def test_markdown_text_escapes_markdown_and_html_syntax():
    escaped = markdown_text("**b** [x](j:a) <b>$x$</b> # h")
    assert escaped == r"\*\*b\*\* \[x\]\(j\:a\) \<b\>\$x\$\<\/b\> \# h"


def test_markdown_link_only_links_http():
    assert markdown_link("Source", "https://example.org/a_(b)") == (
        "[Source](https://example.org/a_%28b%29)"
    )
    assert markdown_link("Bad", "javascript:alert(1)") == "Bad"
    assert "](" not in markdown_link("x](javascript:alert(1)", "javascript:alert(1)")


# --- issue 23: hosts shown to readers in ASCII ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://www.example.org/a", "example.org"),
        ("https://news.example.org:8443/a", "news.example.org"),
        ("https://\u0430pple.com/a", "xn--pple-43d.com"),  # Cyrillic a: a look-alike
        ("https://www.b\u00fccher.example/x", "xn--bcher-kva.example"),
        ("https://\u4eba\u8138.example/", "xn--gmqw44j.example"),
    ],
)
def test_link_host_is_ascii_punycode_when_not_plain_ascii(url: str, shown: str) -> None:
    assert link_host(url) == shown
    assert link_host(url).isascii()


def test_read_via_shows_a_look_alike_host_in_punycode() -> None:
    url = "https://\u0430pple.com/copy"
    text = source_markdown("Original", "https://example.org/a", url)
    assert "(read via [xn\\-\\-pple\\-43d\\.com](" in text
    html = part("source", source("Original", "https://example.org/a", url))
    assert ">xn--pple-43d.com</a>" in html


@pytest.mark.parametrize("text", HOSTILE)
def test_the_static_pages_source_is_escaped_text_and_http_links_only(text: str) -> None:
    html = part("source", source(text, "javascript:alert(1)", "https://example.org/copy"))
    assert html.startswith(html_text(text) + " (read via <a href=")
    assert "javascript:" not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_template_values_are_escaped_as_html_text(text: str) -> None:
    assert str(template_value(text)) == html_text(text)
    assert template_value(7) == 7
    assert template_value(template_value(text)) == template_value(text)  # never twice


@pytest.mark.parametrize(
    ("element", "text"),
    [
        (inline_script, "a</script>b"),
        (inline_script, "a</SCRIPT >b"),
        (inline_script, "x<script>y"),
        (inline_script, "<!-- x"),
        (inline_style, "a</Style>b"),
        (inline_style, "<!--"),
    ],
)
def test_inline_elements_refuse_text_that_could_end_them(element, text: str) -> None:
    with pytest.raises(ValueError, match="inline"):
        element(text)


def test_inline_elements_pass_plain_code_as_it_is() -> None:
    code = 'var a = 1 < 2 && "x" > "y";'
    assert str(inline_script(code)) == code
    assert str(inline_style("a > b { color: red }")) == "a > b { color: red }"
