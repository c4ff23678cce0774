"""One door for HTML: only geo/escape.py (and the few places listed below, each with its
reason) may hand HTML or JavaScript to the browser, and the server keeps XSRF and CORS
protection on.

The scan reads the syntax tree of app.py, pages/ and geo/ (not their text), resolves import
aliases (`st.html`, `components.html`, `from folium import Popup`), and reports every HTML door
outside its allowed place. Each rule is also run on a small bad sample, so a checker that
finds nothing can not pass by accident.

HTML pages (the static edition) come from Jinja templates: data reaches HTML only through a
template of an Environment that escapes every value (`autoescape=True`) and refuses a missing
one (`StrictUndefined`), or through geo/escape.py. HTML built by hand from values (an f-string,
`+`, `%` or `.format` around a tag) is a door; so is `Markup` or `|safe`, anywhere but
geo/escape.py (Python) and in no template at all.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"


def scanned_files() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in ("pages", "geo"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


# --- the rules -------------------------------------------------------------------------------

# Calls (by qualified name) that put an HTML string into the page.
HTML_CALLS = {
    "streamlit.html": "st.html renders an HTML string",
    "streamlit.iframe": "st.iframe renders an HTML string as srcdoc",
    "streamlit.components.v1.html": "components.html renders an HTML string",
    "streamlit.components.v1.iframe": "components.iframe embeds a page",
    "jinja2.Template": "a Jinja template renders values without escaping",
}
# Names that mark a string as safe HTML: any use of them, import included, is a door.
MARKUP_NAMES = {"markupsafe.Markup", "jinja2.Markup", "jinja2.utils.Markup"}
MARKUP_REASON = "Markup marks a string as safe HTML"
# An HTML tag in a string literal: `<a`, `</p`, `<!DOCTYPE`.
TAG = re.compile(r"<[A-Za-z!/]")
SAFE_FILTER = re.compile(r"\|\s*safe\b")
HAND_HTML = "HTML built by hand around a value: use a template (geo/site/templates) or geo/escape"
# Constructors (by their last name) that take HTML, from folium or branca.
HTML_CLASSES = {
    "Popup": "folium's Popup puts text in a JS template string (`${...}` runs)",
    "Tooltip": "folium's Tooltip puts text in a JS template string (`${...}` runs)",
    "GeoJsonPopup": "GeoJsonPopup puts property values into innerHTML",
    "GeoJsonTooltip": "GeoJsonTooltip puts property values into innerHTML",
    "DivIcon": "DivIcon takes raw HTML",
    "IFrame": "branca's IFrame takes raw HTML",
    "Html": "branca's Html takes raw HTML",
    "Element": "branca's Element takes raw HTML",
    "MacroElement": "a MacroElement renders a template without escaping",
}
# Altair's Tooltip is a chart encoding channel (Vega escapes what it shows), not HTML.
SAFE_MODULES = ("altair.",)
# JavaScript in string constants that parses text as HTML or runs it.
JS_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
            "new Function", "bindPopup(")  # fmt: skip

# Where a door is allowed, and why. Keys: (file, rule).
ALLOWED: dict[tuple[str, str], str] = {
    ("geo/escape.py", "*"): "the door itself",
    ("geo/mapview.py", "jinja2.Template"): (
        "_Script's templates are constants; every value rendered into them is js_json output "
        "(test_script_values_are_js_json)"
    ),
    ("geo/mapview.py", "MacroElement"): "the base class of _Script, as above",
    ("geo/ui/style.py", "streamlit.html"): (
        "a constant stylesheet (focus rings, WCAG 2.4.7) with no data in it: Streamlit's theme "
        "has no focus setting and removes the outline from several controls"
    ),
    ("geo/ui/style.py", "hand-html"): "the same stylesheet; its one value is a colour constant",
    ("geo/drawing.py", "hand-html"): (
        "SVG elements from the drawing constants (numbers, colours, pattern ids), never data; "
        "the static pages draw the same shapes through their templates (mark_shapes); and the "
        "app's legend image, whose words are vocabulary labels and counts, each through html_text"
    ),
}
# Parameters that carry text already encoded by js_json into a _Script (checked at call sites).
ENCODED_PARAMETERS = {("base_map", "inline")}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.reason}"


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, from the module's imports."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def qualified(node: ast.expr, aliases: dict[str, str]) -> str:
    """`st.components.v1.html` -> `streamlit.components.v1.html` (best effort)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(aliases.get(node.id, node.id))
    elif isinstance(node, ast.Call):
        parts.append(qualified(node.func, aliases) + "()")
    else:
        return ""
    return ".".join(reversed(parts))


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _class_rule(name: str) -> str | None:
    if _last(name) in HTML_CLASSES and not name.startswith(SAFE_MODULES):
        return _last(name)
    return None


def _raw_keyword(keyword: ast.keyword) -> str | None:
    """The rule a keyword argument breaks, if any."""
    if keyword.arg == "unsafe_allow_html":
        return "unsafe_allow_html"
    # Altair takes a list of channels; folium takes raw text or an HTML-building object.
    if keyword.arg in ("tooltip", "popup") and not isinstance(keyword.value, ast.List | ast.Tuple):
        return f"{keyword.arg}="
    if keyword.arg == "html" and not (
        isinstance(keyword.value, ast.Constant) and keyword.value.value in (False, None)
    ):
        return "html="
    return None


def _has_tag(node: ast.expr) -> bool:
    """A string literal (or an f-string's literal parts) holding an HTML tag."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(TAG.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_has_tag(v) for v in node.values)
    return False


def _hand_html(node: ast.AST) -> bool:
    """A value put into HTML by hand: `f"<b>{x}</b>"`, `"<b>" + x`, `"<b>%s" % x`,
    `"<b>{}".format(x)`."""
    if isinstance(node, ast.JoinedStr):
        has_value = any(isinstance(v, ast.FormattedValue) for v in node.values)
        return has_value and _has_tag(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _has_tag(node.left) or (isinstance(node.op, ast.Add) and _has_tag(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _has_tag(node.func.value)
    return False


def _environment_problem(node: ast.Call) -> str | None:
    """What a jinja2.Environment(...) lacks: escaping every value, refusing a missing one."""
    keywords = {k.arg: k.value for k in node.keywords}
    escape = keywords.get("autoescape")
    escapes = (isinstance(escape, ast.Constant) and escape.value is True) or (
        isinstance(escape, ast.Call) and _last(qualified(escape.func, {})) == "select_autoescape"
    )
    strict = keywords.get("undefined")
    if not escapes:
        return "a Jinja Environment without autoescape=True prints values unescaped"
    if not (strict is not None and _last(qualified(strict, {})) == "StrictUndefined"):
        return "a Jinja Environment without undefined=StrictUndefined prints a missing value as ''"
    return None


def check_source(source: str, path: str) -> list[Finding]:
    """Every HTML door in one file's source, except those allowed for `path`."""
    tree = ast.parse(source, filename=path)
    aliases = _aliases(tree)
    found: list[Finding] = []

    def report(node: ast.AST, rule: str, reason: str) -> None:
        if (path, "*") in ALLOWED or (path, rule) in ALLOWED:
            return
        found.append(Finding(path, getattr(node, "lineno", 0), rule, reason))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MARKUP_NAMES:
                    report(node, "Markup", MARKUP_REASON)
        elif isinstance(node, ast.Name | ast.Attribute) and (
            qualified(node, aliases) in MARKUP_NAMES
        ):
            report(node, "Markup", MARKUP_REASON)
        if _hand_html(node):
            report(node, "hand-html", HAND_HTML)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SAFE_FILTER.search(node.value)
        ):
            report(node, "|safe", "a template filter that prints a value unescaped")
        if isinstance(node, ast.Call) and qualified(node.func, aliases) == "jinja2.Environment":
            problem = _environment_problem(node)
            if problem:
                report(node, "jinja2.Environment", problem)
        if isinstance(node, ast.Call):
            name = qualified(node.func, aliases)
            if name in HTML_CALLS:
                report(node, name, HTML_CALLS[name])
            rule = _class_rule(name)
            if rule:
                report(node, rule, HTML_CLASSES[rule])
            for keyword in node.keywords:
                broken = _raw_keyword(keyword)
                if broken:
                    report(keyword.value, broken, "HTML or raw text handed to the page")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                rule = _class_rule(qualified(base, aliases))
                if rule:
                    report(node, rule, f"class {node.name} extends {HTML_CLASSES[rule]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for sink in JS_SINKS:
                if sink in node.value:
                    report(node, sink, "JavaScript that parses text as HTML or runs it")
    return found


def check_script(text: str, path: str) -> list[Finding]:
    """The JavaScript sinks in a .js file (the map scripts: geo/static, geo/site/static)."""
    return [
        Finding(path, n, sink, "JavaScript that parses text as HTML or runs it")
        for n, line in enumerate(text.splitlines(), 1)
        for sink in JS_SINKS
        if sink in line
    ]


def script_files() -> list[Path]:
    return sorted((ROOT / "geo").rglob("*.js"))


def check_file(path: Path) -> list[Finding]:
    return check_source(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


# --- templates: no way around the escaping -----------------------------------------------------

TEMPLATE_RULES = {
    "|safe": (SAFE_FILTER, "prints a value unescaped"),
    "autoescape false": (re.compile(r"autoescape\s+false", re.I), "turns escaping off"),
    "Markup": (re.compile(r"\bMarkup\b"), "marks text as safe HTML"),
}


def template_files() -> list[Path]:
    return sorted(p for p in (ROOT / "geo").rglob("templates/*") if p.is_file())


def check_template(text: str, path: str) -> list[Finding]:
    return [
        Finding(path, n, rule, reason)
        for n, line in enumerate(text.splitlines(), 1)
        for rule, (pattern, reason) in TEMPLATE_RULES.items()
        if pattern.search(line)
    ]


# --- _Script: every value rendered into a template is js_json output -------------------------


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def _is_js_json(node: ast.expr, function: ast.FunctionDef | None) -> bool:
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "js_json"
    if isinstance(node, ast.Name) and function is not None:
        if (function.name, node.id) in ENCODED_PARAMETERS:
            return True
        values = [
            n.value
            for n in ast.walk(function)
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
        ]
        return bool(values) and all(_is_js_json(v, None) for v in values)
    return False


def script_value_problems(source: str, path: str) -> list[Finding]:
    """`_Script(template, name=value)` and `base_map(inline=value)`: each value is js_json."""
    tree = ast.parse(source, filename=path)
    owner: dict[int, ast.FunctionDef] = {}
    for function in _functions(tree):  # outer functions first: inner ones overwrite
        for node in ast.walk(function):
            owner[id(node)] = function
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _last(qualified(node.func, {}))
        for keyword in node.keywords:
            watched = name == "_Script" or (name == "base_map" and keyword.arg == "inline")
            if watched and not _is_js_json(keyword.value, owner.get(id(node))):
                reason = "not js_json output"
                problems.append(Finding(path, node.lineno, f"{name}({keyword.arg}=)", reason))
    return problems


# --- the project -----------------------------------------------------------------------------


def test_the_scan_covers_the_app_pages_and_geo() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    assert {
        "app.py",
        "pages/map.py",
        "geo/ui/__init__.py",
        "geo/mapview.py",
        "geo/escape.py",
    } <= names


def test_no_html_door_outside_the_allowed_places() -> None:
    findings = [f for path in scanned_files() for f in check_file(path)]
    assert not findings, "\n".join(str(f) for f in findings)


def test_the_map_scripts_put_text_in_with_text_content_only() -> None:
    """The drawing script and the pages' wiring (.js files) have no HTML sink either."""
    names = {p.relative_to(ROOT).as_posix() for p in script_files()}
    assert {"geo/static/frt-map.js", "geo/static/frt-frame.js", "geo/site/static/map.js"} <= names
    findings = [
        f
        for path in script_files()
        for f in check_script(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert not findings, "\n".join(str(f) for f in findings)


def test_the_templates_never_print_a_value_unescaped() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in template_files()}
    assert {"geo/site/templates/base.html", "geo/site/templates/parts.html"} <= names
    findings = [
        f
        for path in template_files()
        for f in check_template(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert not findings, "\n".join(str(f) for f in findings)


@pytest.mark.parametrize(
    "line",
    ["<p>{{ text|safe }}</p>", "<p>{{ text | safe }}</p>", "{% autoescape false %}{{ x }}"],
)
def test_the_template_scan_catches(line: str) -> None:
    assert check_template("<div>\n" + line + "\n</div>", "geo/site/templates/bad.html")


def test_the_site_s_environment_escapes_every_value_and_refuses_a_missing_one() -> None:
    """The one Environment (geo.site.render), at work: not only configured so."""
    from jinja2 import UndefinedError

    from geo.escape import html_text
    from geo.site.render import ENVIRONMENT

    hostile = "<script>alert(1)</script> \"'{{7*7}}"
    shown = ENVIRONMENT.from_string('<p title="{{ x }}">{{ x }}</p>').render(x=hostile)
    assert shown == f'<p title="{html_text(hostile)}">{html_text(hostile)}</p>'
    with pytest.raises(UndefinedError):
        ENVIRONMENT.from_string("{{ missing }}").render()


@pytest.mark.parametrize("line", ["el.innerHTML = p.label;", "layer.bindPopup(p.label);"])
def test_the_script_scan_catches(line: str) -> None:
    assert check_script("var x;\n" + line + "\n", "geo/static/bad.js")


def test_every_allowed_place_is_still_needed() -> None:
    """An exception nobody uses any more is removed, so the list stays honest."""
    used = set()
    for path in scanned_files():
        rel = path.relative_to(ROOT).as_posix()
        saved = {key: ALLOWED.pop(key) for key in list(ALLOWED) if key[0] == rel}
        try:
            used |= {(f.path, f.rule) for f in check_file(path)}
        finally:
            ALLOWED.update(saved)
    unused = {key for key in ALLOWED if key[1] != "*"} - used
    assert not unused, unused


def test_script_values_are_js_json() -> None:
    problems = []
    for path in scanned_files():
        rel = path.relative_to(ROOT).as_posix()
        problems += script_value_problems(path.read_text(encoding="utf-8"), rel)
    assert not problems, "\n".join(str(p) for p in problems)


# --- the checker catches each kind of door (bad samples) ----------------------------------------

BAD_SAMPLES = {
    "st.markdown(x, unsafe_allow_html=True)": "unsafe_allow_html",
    "st.markdown(x, unsafe_allow_html=False)": "unsafe_allow_html",
    "st.html(x)": "streamlit.html",
    "from streamlit import html\nhtml(x)": "streamlit.html",
    "st.iframe(x)": "streamlit.iframe",
    "import streamlit.components.v1 as components\ncomponents.html(x)": (
        "streamlit.components.v1.html"
    ),
    "st.components.v1.html(x)": "streamlit.components.v1.html",
    "import folium\nfolium.Popup(name).add_to(m)": "Popup",
    "from folium import Tooltip\nTooltip(name)": "Tooltip",
    "import folium\nfolium.Marker(loc, tooltip=name)": "tooltip=",
    "import folium\nfolium.Marker(loc, popup=f'<b>{name}</b>')": "popup=",
    "import folium\nfolium.GeoJson(d, tooltip=folium.GeoJsonTooltip(['name']))": "GeoJsonTooltip",
    "from folium.features import DivIcon\nDivIcon(html=name)": "DivIcon",
    "from branca.element import Element\nElement(name)": "Element",
    "from jinja2 import Template\nTemplate(t).render(name=name)": "jinja2.Template",
    "from branca.element import MacroElement\nclass X(MacroElement):\n    pass": "MacroElement",
    "from markupsafe import Markup\nMarkup(name)": "Markup",
    "import markupsafe\nmarkupsafe.Markup(name)": "Markup",
    "import jinja2\nENV = jinja2.Environment(autoescape=False)": "jinja2.Environment",
    "from jinja2 import Environment\nENV = Environment()": "jinja2.Environment",
    "import jinja2\nENV = jinja2.Environment(autoescape=True)": "jinja2.Environment",
    "T = '<p>{{ text|safe }}</p>'": "|safe",
    "row = f'<td>{name}</td>'": "hand-html",
    "row = '<td>' + name + '</td>'": "hand-html",
    "row = '<td>%s</td>' % name": "hand-html",
    "row = '<td>{}</td>'.format(name)": "hand-html",
    "JS = 'el.innerHTML = p.label;'": "innerHTML",
    "JS = 'layer.bindPopup(p.label)'": "bindPopup(",
}


@pytest.mark.parametrize(("code", "rule"), BAD_SAMPLES.items(), ids=list(BAD_SAMPLES.values()))
def test_the_scan_catches(code: str, rule: str) -> None:
    source = "import streamlit as st\n" + code + "\n"
    findings = check_source(source, "pages/bad.py")
    assert rule in {f.rule for f in findings}, findings
    assert check_source(source, "geo/escape.py") == []  # allowed only behind the door


GOOD_SAMPLES = (
    "st.markdown(markdown_text(name))",
    "from jinja2 import Environment, StrictUndefined\nE = Environment(autoescape=True, "
    "undefined=StrictUndefined)",
    "text = f'{a} < {b}'",
    "head = '<p>'",
    "import altair as alt\nalt.Chart(d).encode(tooltip=[alt.Tooltip('label:N')])",
    "el.textContent = 'x'",
)


@pytest.mark.parametrize("code", GOOD_SAMPLES)
def test_the_scan_leaves_safe_code_alone(code: str) -> None:
    assert check_source("import streamlit as st\n" + code + "\n", "pages/good.py") == []


@pytest.mark.parametrize(
    "code",
    [
        "def f(p):\n    _Script(T, payload=p)",
        "def f(p):\n    _Script(T, payload=json.dumps(p))",
        "def f(p):\n    base_map(a, inline=p)",
        "def f(p):\n    g = json.dumps(p)\n    base_map(a, inline=g)",
    ],
)
def test_a_script_value_that_is_not_js_json_is_caught(code: str) -> None:
    assert script_value_problems(code, "geo/bad.py")


def test_a_script_value_through_js_json_passes() -> None:
    code = "def f(p):\n    g = js_json(p)\n    base_map(a, inline=g)\n    _Script(T, x=js_json(p))"
    assert script_value_problems(code, "geo/good.py") == []


# --- server protections ----------------------------------------------------------------------

UNSAFE_ERROR_DETAILS = (True, "true", "full", "stacktrace")


def config_problems(config: dict) -> list[str]:
    server = config.get("server", {})
    client = config.get("client", {})
    problems = []
    for option in ("enableXsrfProtection", "enableCORS"):
        if server.get(option, True) is not True:
            problems.append(f"server.{option} is {server[option]!r}: keep it on")
    details = client.get("showErrorDetails", "full")
    if details in UNSAFE_ERROR_DETAILS:
        problems.append(f"client.showErrorDetails is {details!r}: readers would see tracebacks")
    return problems


def test_streamlit_config_keeps_xsrf_and_cors_on_and_hides_tracebacks() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config_problems(config) == []


@pytest.mark.parametrize(
    "text",
    [
        "[server]\nenableXsrfProtection = false\n",
        "[server]\nenableCORS = false\n",
        '[server]\nenableCORS = "false"\n',
        '[client]\nshowErrorDetails = "full"\n',
        "[server]\nenableCORS = true\n",  # no showErrorDetails: Streamlit's default is full
    ],
)
def test_the_config_check_catches(text: str) -> None:
    assert config_problems(tomllib.loads(text))


def test_no_command_line_or_environment_switches_protection_off() -> None:
    """Flags (`--server.enableCORS false`) or variables (STREAMLIT_SERVER_ENABLE_CORS) would
    override the config file."""
    places = [ROOT / "Makefile", *sorted((ROOT / ".ci").iterdir()), *scanned_files()]
    places += sorted((ROOT / "tests").rglob("conftest.py"))
    words = ("enableCORS", "enableXsrfProtection", "ENABLE_CORS", "ENABLE_XSRF_PROTECTION")
    offending = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in places
        if path.is_file()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(word in line for word in words)
    ]
    assert offending == []
