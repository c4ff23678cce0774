"""The package's shape: Streamlit only in geo/ui, no module (.py or .js) too long to read, and
the one private Streamlit attribute the router leans on still there."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

from geo.config import PROJECT_ROOT

GEO = PROJECT_ROOT / "geo"
MAX_LINES = 400


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name (`from a import b` gives a)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from geo import tables` imports the module geo.tables
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_imported_modules_sees_every_form_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import streamlit as st\nfrom streamlit.components import v1\n"
        "def f():\n    import streamlit_folium\n",
        encoding="utf-8",
    )
    assert imported_modules(sample) == {
        "streamlit",
        "streamlit.components",
        "streamlit.components.v1",
        "streamlit_folium",
    }


def test_only_geo_ui_imports_streamlit() -> None:
    offenders = []
    for path in sorted(GEO.rglob("*.py")):
        rel = path.relative_to(GEO)
        if rel.parts[0] == "ui":
            continue
        if any(name.split(".")[0].startswith("streamlit") for name in imported_modules(path)):
            offenders.append(rel.as_posix())
    assert not offenders, f"Streamlit imported outside geo/ui: {offenders}"


# Layers one way: the words, the drawing, the downloads, the tables and the static edition know
# nothing of folium or of the app's map module; the static edition nothing of the app's tables.
FOLIUM_SIDE = ("geo.mapview", "folium", "branca", "streamlit_folium")
NO_FOLIUM = ("tables", "site", "present.py", "drawing.py", "downloads.py", "timeline.py")


def imports_of(path: Path, prefixes: tuple[str, ...]) -> set[str]:
    return {
        name
        for name in imported_modules(path)
        if any(name == p or name.startswith(p + ".") for p in prefixes)
    }


def test_layers_go_one_way() -> None:
    offenders = {}
    for path in sorted(GEO.rglob("*.py")):
        rel = path.relative_to(GEO)
        banned = FOLIUM_SIDE if rel.parts[0] in NO_FOLIUM else ()
        if rel.parts[0] == "site":
            banned = (*banned, "geo.tables", "geo.ui")
        if found := imports_of(path, banned):
            offenders[rel.as_posix()] = sorted(found)
    assert not offenders, f"imports against the layers: {offenders}"


def test_the_layer_check_sees_a_crossing(tmp_path: Path) -> None:
    sample = tmp_path / "crossing.py"
    sample.write_text("from geo import tables\nfrom geo.mapview import place_label\n")
    assert imports_of(sample, ("geo.tables", "geo.mapview")) == {
        "geo.tables",
        "geo.mapview",
        "geo.mapview.place_label",
    }


def modules(root: Path = GEO) -> list[Path]:
    """Every Python and JavaScript module under `root`: the line limit holds for both."""
    return sorted([*root.rglob("*.py"), *root.rglob("*.js")])


def test_the_line_limit_counts_javascript_too() -> None:
    names = {path.relative_to(GEO).as_posix() for path in modules()}
    assert {"static/frt-map.js", "static/frt-frame.js", "site/static/map.js"} <= names


def test_no_module_in_geo_is_over_the_line_limit() -> None:
    lengths = {
        path.relative_to(GEO).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules()
    }
    long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"


def test_the_private_router_switch_still_exists() -> None:
    """geo.ui.state.leave_legacy_multipage_mode flips this class attribute (Streamlit 1.67 has
    no public setting for it). If an upgrade removes or renames it, deep links to /places on a
    fresh server would run the page without app.py's router: find the new way, then fix this."""
    assert "uses_pages_directory" in vars(PagesManager), (
        "streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is gone: "
        "geo/ui/state.py leave_legacy_multipage_mode needs a new way to route deep links"
    )


# The one fold (geo.timeline.snapshot): a module that cuts rows off at a date (`row.when <= on`)
# is folding events itself. Only the fold and the row models may compare dates of rows.
FOLD_HOMES = {"timeline.py", "records"}


def date_cutoffs(path: Path) -> list[int]:
    """Lines where a `.when` attribute is compared by order (<, <=, >, >=)."""
    ordering = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare) and any(isinstance(o, ordering) for o in node.ops):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "when" for s in sides):
                lines.append(node.lineno)
    return lines


def test_date_cutoffs_finds_a_fold(tmp_path: Path) -> None:
    module = tmp_path / "fold.py"
    module.write_text("def f(events, on):\n    return [e for e in events if e.when <= on]\n")
    assert date_cutoffs(module) == [2]


def test_no_module_folds_events_but_the_timeline() -> None:
    folding = {
        path.relative_to(GEO).as_posix(): lines
        for path in GEO.rglob("*.py")
        if path.relative_to(GEO).parts[0] not in FOLD_HOMES and (lines := date_cutoffs(path))
    }
    assert not folding, f"read geo.timeline.snapshot instead of folding here: {folding}"
    pages = [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "pages").glob("*.py")]
    assert not any(date_cutoffs(p) for p in pages)
