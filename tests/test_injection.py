"""Hostile text stays text: the hostile fixture is valid and is shown literally by every page;
what the rules forbid is refused with file, line and column. (The same fixture in a real
browser: tests/browser/test_injection_browser.py.)"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from branca.element import Element
from streamlit.testing.v1 import AppTest

from geo.config import PROJECT_ROOT
from geo.escape import html_text, markdown_link, markdown_text
from geo.links import correction_url
from geo.present import place_label
from geo.records import DATA_FILES, load_dataset
from tests.support import hostile as hs
from tests.support.data import hostile_fixture
from tests.support.run import run_validate

# Corpus strings that Markdown would interpret if they reached it unescaped.
MARKDOWN_ACTIVE = [s for s in hs.VISIBLE if re.search(r"[<>\[\]`$*_#&:\\|{}]", s)]
TEXT_ELEMENTS = ("markdown", "caption", "subheader", "header", "title", "warning", "info",
                 "error", "success")  # fmt: skip


# --- the fixture -------------------------------------------------------------------------------


def test_the_committed_fixture_is_the_corpus() -> None:
    """tests/fixtures/hostile/ is written by `python -m tests.support.hostile`."""
    for name, text in hs.fixture_texts().items():
        assert (hs.FIXTURE / name).read_text(encoding="utf-8") == text, name


def test_every_free_text_field_holds_hostile_text_and_optional_ones_are_also_empty() -> None:
    structured = {"id", "jurisdiction_id", "date", "status", "level", "state", "geoid", "lat",
                  "lon", "stance", "confidence", "source_url", "read_url", "proposal",
                  "count", "compare_statuses", "bound", "members", "excludes", "role", "scope",
                  "proposal_kind", "start", "end", "caveat"}  # fmt: skip
    for spec in hs.SPECS:
        rows = hs.ROWS[spec.name]
        for field in set(spec.columns) - structured:
            values = [row[field] for row in rows]
            assert any("<" in v or "$" in v or "[" in v for v in values), (spec.name, field)
            if field in spec.optional:
                assert "" in values, (spec.name, field)
    urls = {row["source_url"] for rows in hs.ROWS.values() for row in rows if "source_url" in row}
    assert {hs.URL_BREAKOUT, hs.URL_MARKDOWN, hs.URL_NEXT, hs.URL_CLOSER} <= urls


def test_the_validator_accepts_the_hostile_fixture() -> None:
    result = run_validate(str(hs.FIXTURE.relative_to(PROJECT_ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "ok: 12 jurisdictions, 16 events, 8 quotes\n"
    dataset = load_dataset(hs.FIXTURE)
    by_id = {j.id: j for j in dataset.jurisdictions}
    assert by_id["ca-oakland"].name == hs.SCRIPT  # stored as written, never escaped
    assert by_id["ma-state"].name == f"{hs.HEBREW} {hs.LOOKALIKE_SPACES}"


def test_the_validator_refuses_every_forbidden_value_with_its_position(tmp_path: Path) -> None:
    folder = tmp_path / "forbidden"
    expected = hs.write_forbidden(folder)
    assert len(expected) == len(hs.forbidden_cases())
    result = run_validate(str(folder))
    assert result.returncode == 1
    shown = [line.replace(f"{folder}{os.sep}", "") for line in result.stdout.splitlines()]
    assert sorted(shown) == sorted(expected)


# --- Markdown escaping, against Streamlit 1.67's own detectors --------------------------------

# From Streamlit's StreamlitMarkdown bundle: the source is rewritten (`:material/`) and
# scanned for emoji shortcodes and math before parsing, so escapes must defeat these too.
ST_EMOJI = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")
ST_ESCAPES = re.compile(
    r"(?m)^ {0,3}(`{3,}|~{3,})[\s\S]*?(?:\n[ \t]*\1|$)"  # fenced code
    r"|(?<!`)(`+)[^`\n]+\2(?!`)"  # inline code
    r"|\\[\\$`]"  # escaped backslash, dollar or backtick
)
ST_BLOCK_MATH = re.compile(r"(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$")
ST_INLINE_MATH = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)")
ST_DIRECTIVE = re.compile(r"(?<!\\):[a-z-]+\\?\[")  # `:red[x]`, even `:red\[x\]`


@pytest.mark.parametrize("text", [*hs.VISIBLE, hs.LONG_QUOTE, hs.URL_MARKDOWN])
def test_markdown_text_leaves_nothing_for_markdown_or_streamlit_to_interpret(text: str) -> None:
    escaped = markdown_text(text)
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # nothing lost, nothing added
    assert ":material/" not in escaped
    assert not ST_EMOJI.search(escaped)
    assert not ST_DIRECTIVE.search(escaped)
    masked = ST_ESCAPES.sub("_", escaped)
    assert not ST_BLOCK_MATH.search(masked) and not ST_INLINE_MATH.search(masked)
    assert not re.search(r"(?<!\\)[<>\[\]`$*_&]", escaped.replace("\\\\", ""))


def test_the_markdown_check_would_catch_the_old_escaping() -> None:
    """Before `&`, `:` and `/` were escaped, `:material/home:` reached Streamlit as an icon."""
    old = "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|~$" else c for c in hs.STREAMLIT_MD)
    assert ":material/" in old
    assert ST_EMOJI.search(old)
    assert ST_DIRECTIVE.search(old)


def test_html_text_keeps_template_syntax_away_from_branca() -> None:
    """branca's Element (used by the standalone export) compiles its HTML as a Jinja template,
    so `{{ ... }}` in data would run on the server; html_text turns braces into references."""
    assert Element("<p>{{ 7 * 7 }}</p>").render() == "<p>49</p>"  # the trap itself
    for text in (hs.JINJA, "{{ self.__init__.__globals__ }}", "{# x #}{%- if 1 %}"):
        html = f"<p>{html_text(text)}</p>"
        assert "{" not in html and "}" not in html
        assert Element(html).render() == html


# --- every page, on the hostile data (AppTest) -------------------------------------------------


@pytest.fixture
def hostile_env(app_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    app_env.setenv("FRT_DATA_DIR", str(hs.FIXTURE))
    return app_env


def open_app(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_values(at: AppTest) -> list[str]:
    return [e.value for kind in TEXT_ELEMENTS for e in getattr(at, kind)]


def assert_escaped(at: AppTest) -> None:
    """No corpus string reaches a Markdown element raw, and none of them may allow HTML."""
    for kind in TEXT_ELEMENTS:
        for element in getattr(at, kind):
            assert not getattr(element.proto, "allow_html", False), element.value
    for value in markdown_values(at):
        for text in MARKDOWN_ACTIVE:
            assert text not in value, f"unescaped {text!r} in {value!r}"


@pytest.mark.parametrize(
    "page", [None, "pages/timeline.py", "pages/places.py", "pages/quotes.py", "pages/about.py"]
)
def test_every_page_shows_hostile_text_escaped(hostile_env, page: str | None) -> None:
    at = open_app(page, {"year": "2021"})
    assert_escaped(at)
    for component in at.get("component_instance"):  # the map: its script and HTML
        sent = "".join(str(v) for v in json.loads(component.proto.json_args).values())
        for raw in (hs.SCRIPT, hs.IMG, hs.SVG, "${alert(1)}"):
            assert raw not in sent
    shown = "\n".join(markdown_values(at))
    if page == "pages/quotes.py":
        for quote in hostile_fixture().quotes:
            assert markdown_text(quote.text) in shown
            assert markdown_text(quote.speaker) in shown
            assert markdown_text(quote.source_name) in shown


FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"


def test_the_place_panel_of_every_hostile_place_is_escaped(hostile_env) -> None:
    """Every place's panel, its correction link (issue 22) with the hostile name encoded into
    the address and escaped in the words, and its link to this view."""
    hostile_env.setenv("FRT_CORRECTION_URL", FORM)
    at = open_app(None, {"year": "2021"})
    for place in hostile_fixture().jurisdictions:
        at.selectbox(key="place").set_value(place.id).run()
        assert not at.exception, [e.value for e in at.exception]
        label = place_label(place)
        assert markdown_text(label) in [s.value for s in at.subheader], place.id
        if place.note:
            assert markdown_text(place.note) in [c.value for c in at.caption]
        assert_escaped(at)
        url = correction_url(FORM, place.id, label)
        assert url and url.isascii() and "<" not in url and ")" not in url
        link = markdown_link(f"Suggest a correction to {label}", url)
        assert link.startswith("[") and link.endswith(f"]({url})")
        shown = [m.value for m in at.markdown]
        assert f"Something wrong or missing? {link}" in shown, place.id
        view = f"?year=2021&place={place.id}"
        assert f"Link to this view: [{markdown_text(f'{label} in 2021')}]({view})" in shown


@pytest.mark.parametrize(
    "query",
    [
        {"place": "![t](https://evil.example/t.png) :red[hi] <b>x</b>"},
        {"year": "[x](https://evil.example) $x$ :material/home:"},
    ],
    ids=["place", "year"],
)
def test_a_crafted_link_is_shown_as_text(hostile_env, query: dict[str, str]) -> None:
    """URL parameters are reader-controlled: a warning quotes them, as text."""
    at = open_app(None, query)
    (raw,) = query.values()
    warnings = [w.value for w in at.warning]
    assert any(markdown_text(repr(raw)) in w for w in warnings), warnings
    assert not any(raw in w for w in warnings)


def test_the_downloads_carry_the_hostile_strings_exactly(hostile_env, served_files) -> None:
    open_app("pages/about.py", {"year": "2021"})
    for spec in (s for s in hs.SPECS if s in DATA_FILES):
        stem = spec.name.removesuffix(".csv")
        (data,) = [v for k, v in served_files.items() if k.startswith(f"frt-{stem}-")]
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows == [dict(row) for row in hs.ROWS[spec.name]], spec.name
    (geojson,) = [v for k, v in served_files.items() if k.endswith(".geojson")]
    features = json.loads(geojson.decode("utf-8"))["features"]
    names = {f["properties"]["id"]: f["properties"]["name"] for f in features}
    assert names == {j.id: j.name for j in hostile_fixture().jurisdictions}
    urls = {f["properties"]["source_url"] for f in features} - {None}
    assert hs.URL_BREAKOUT in urls


def test_the_standalone_export_escapes_every_hostile_string() -> None:
    """geo.site.export.standalone_html on the hostile data (Chromium opens it in
    tests/browser/test_injection_browser.py): it builds, and nothing arrives raw."""
    from geo.site import export

    empty = b'{"type": "FeatureCollection", "features": []}'
    document = export.standalone_html(
        hostile_fixture(), empty, frozenset(), date(2021, 12, 31), data_date=hs.JINJA,
        sources_url=hs.URL_BREAKOUT,
    )  # fmt: skip
    for raw in (hs.SCRIPT, hs.IMG, hs.SVG, "${alert(1)}", hs.JINJA, hs.QUOTE_BREAK, hs.CLOSERS):
        assert raw not in document, raw
    assert html_text(hs.JINJA) in document
    assert f'href="{html_text(hs.URL_BREAKOUT)}"' in document
