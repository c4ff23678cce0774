"""The static edition (`python -m geo.site build OUT/`): what it writes, checked against
geo.timeline, the files' hashes, the content security policy, the hostile fixture, and a
bounded load on a plain static server. (The same site in Chromium:
tests/browser/test_site_browser.py.)"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench.static import first_visit_files, load_check, serve_folder, site_files
from geo.boundaries import load_boundaries
from geo.boundaries.parts import INDEX_KEY, city_states
from geo.config import PROJECT_ROOT, get_settings
from geo.downloads import dataset_csvs
from geo.escape import html_text
from geo.links import correction_url
from geo.present import place_label
from geo.records import DATA_FILES
from geo.site import SiteInput, embed_snippet, export, site_pages, write_site
from geo.site import __main__ as site_main
from geo.site import build as site_build
from geo.site.assets import (
    Asset,
    PageFiles,
    parsed_text,
    read_city_part_js,
    read_data_js,
    sha256_source,
)
from geo.site.build import OutputError, map_files
from geo.site.data import site_data, year_dates
from geo.site.render import render
from geo.site.shapes import ENCODING, expand_shapes, polygons_of
from geo.site.share import Share
from geo.timeline import STORY_START_YEAR, snapshot, status_as_of, year_end
from geo.vocabulary import NO_RECORD, STATUS_COLOURS
from tests.support import hostile as hs
from tests.support.census import require_census
from tests.support.data import hostile_fixture, real
from tests.support.site import build_site

HASHED = re.compile(r"^[a-z_-]+\.([0-9a-f]{12})\.(js|css|csv|geojson)$")
EMPTY = b'{"type":"FeatureCollection","features":[]}'
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
RAW = (hs.SCRIPT, hs.IMG, hs.SVG, "${alert(1)}", hs.JINJA, hs.QUOTE_BREAK, hs.CLOSERS)
SITE_URL = "https://maps.example.org/frt"  # FRT_SITE_URL: where the static edition lives
FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"


@pytest.fixture(scope="module")
def census_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Boundaries from the Census files into a cache of this module's own."""
    return {
        "FRT_CENSUS_SOURCE": str(require_census()),
        "FRT_CENSUS_YEAR": "2015",
        "FRT_CACHE_DIR": str(tmp_path_factory.mktemp("site-cache")),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, census_env: dict[str, str]) -> Path:
    """The site of the project's data, built by the command, boundaries from the Census files."""
    out = tmp_path_factory.mktemp("site") / "out"
    settings = {"FRT_PUBLIC_URL": "https://frt.example.org/", "FRT_SITE_URL": SITE_URL}
    done = build_site(out, {**census_env, **settings})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: ")
    return out


def referenced(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"#:]+)"', page)


def data_of(folder: Path) -> dict:
    (path,) = folder.glob("data.*.js")
    return read_data_js(path.read_bytes())


def strings(value: object) -> set[str]:
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()


# --- the site of the real data ----------------------------------------------------------------


def test_every_year_s_colours_equal_geo_timeline(built: Path) -> None:
    data = data_of(built)
    today = date.today()
    assert data["years"] == list(range(STORY_START_YEAR, today.year + 1))
    assert data["places"]["id"] == [j.id for j in real().jurisdictions]
    for year in data["years"]:
        expected = status_as_of(real(), year_end(year, today))
        shown = data["byYear"][str(year)]
        # Only the code: each place's status and marks are its code's (map.js's drawingOf).
        assert not {"status", "marks", "event"} & set(shown), year
        for n, place in enumerate(real().jurisdictions):
            status = NO_RECORD if place.is_context else expected.get(place.id, NO_RECORD)
            code = data["codes"]["codes"][shown["code"][n]]  # the app's codes (issue 24)
            assert code["colour"] == STATUS_COLOURS[status], (year, place.id)
            assert code["fill"] == status, (year, place.id)
            marks = list(snapshot(real(), year_end(year, today)).state(place.id).marks)
            assert code["marks"] == marks, (year, place.id)
        counted = [j for j in real().jurisdictions if not j.is_context]
        assert sum(shown["counts"].values()) == len(counted)
    # The dates and causes of the lists below the map wait in the panels' text.
    assert not {"eventDates", "events", "since"} & set(data)


def test_pages_and_files_named_by_content_hash(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    assert {"index.html", "embed.html", "places.html", "quotes.html"} <= names
    for page in ("index.html", "embed.html", "places.html", "quotes.html"):
        text = (built / page).read_text(encoding="utf-8")
        for target in referenced(text):
            # Pages, and the slides a reader downloads by name, keep stable names.
            if target.endswith(".html") or target.startswith("slides/"):
                assert (built / target).is_file(), (page, target)
                continue
            match = HASHED.match(target)
            assert match, (page, target)
            body = (built / target).read_bytes()
            assert hashlib.sha256(body).hexdigest()[:12] == match.group(1), target
        assert "http://" not in re.sub(r'<a [^>]*href="http[^"]*"', "", text), page
    index = (built / "index.html").read_text(encoding="utf-8")
    for kind in ("leaflet.", "boundaries.", "data.", "map.", "site."):
        assert any(t.startswith(kind) for t in referenced(index)), kind
    # The panels' text: named by the data, loaded by the script, hashed like the rest.
    text_file = data_of(built)["textFile"]
    match = HASHED.match(text_file)
    assert match and text_file.startswith("text."), text_file
    body = (built / text_file).read_bytes()
    assert hashlib.sha256(body).hexdigest()[:12] == match.group(1)
    assert text_file not in referenced(index)


def test_a_first_visit_is_under_600_kb(built: Path) -> None:
    """index.html and every file its markup loads, uncompressed; the panels' text comes later."""
    for page in ("index.html", "embed.html"):
        files = first_visit_files(built, page)
        names = {p.name.split(".")[0] for p in files}
        assert {"leaflet", "boundaries", "data", "map", "site"} <= names, names
        total = sum(p.stat().st_size for p in files)
        print(f"{page}: {total:,} bytes in {len(files)} files")
        assert total < 600_000, (page, {p.name: p.stat().st_size for p in files})


def test_the_compact_boundaries_are_the_geojson_exactly(
    built: Path, census_env: dict[str, str]
) -> None:
    """geo.site.shapes' integer steps give back every coordinate of geo.boundaries' GeoJSON:
    the first part, and each state's city part it lists (geo.boundaries.parts), together."""
    (path,) = built.glob("boundaries.*.js")
    compact = read_data_js(path.read_bytes(), "frtGeometry")
    assert compact["encoding"] == ENCODING
    shapes = expand_shapes(compact)
    assert {f["properties"]["level"] for f in shapes} <= {"outline", "state", "county"}
    listed = compact[INDEX_KEY]
    states = city_states(real().jurisdictions)
    assert listed and [entry["key"] for entry in listed] == sorted({e["key"] for e in listed})
    for entry in listed:
        key, part = read_city_part_js((built / entry["file"]).read_bytes())
        assert key == entry["key"] and part["encoding"] == ENCODING
        cities = expand_shapes(part)
        assert cities and {f["properties"]["level"] for f in cities} == {"city"}
        assert {states[f["properties"]["id"]].lower() for f in cities} == {key}, key
        (south, west), (north, east) = entry["bounds"]
        points = [
            p for f in cities for poly in f["geometry"]["coordinates"] for r in poly for p in r
        ]
        assert min(y for _, y in points) == south and max(y for _, y in points) == north
        assert min(x for x, _ in points) == west and max(x for x, _ in points) == east
        shapes += cities
    settings = get_settings(census_env)
    original = json.loads(load_boundaries(real(), settings, allow_build=False).geojson)
    features = {f["properties"]["id"]: f for f in original["features"]}
    assert features and sorted(f["properties"]["id"] for f in shapes) == sorted(features)
    for after in shapes:
        before = features[after["properties"]["id"]]
        assert after["properties"] == {k: before["properties"][k] for k in ("id", "level")}
        rings = [ring for polygon in polygons_of(before["geometry"]) for ring in polygon]
        assert [[list(p) for p in ring] for ring in rings] == [
            ring for polygon in after["geometry"]["coordinates"] for ring in polygon
        ], before["properties"]["id"]


def test_every_page_has_a_strict_content_security_policy(built: Path) -> None:
    for page in ("index.html", "embed.html", "places.html", "quotes.html"):
        text = (built / page).read_text(encoding="utf-8")
        (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
        policy = policy.replace("&#x27;", "'")
        assert policy.startswith("default-src 'none';"), policy
        assert "unsafe" not in policy and "*" not in policy and "http" not in policy
        assert " style=" not in text and "<style" not in text, page  # blocked by the policy
        assert re.findall(r"<script>", text) == [], page  # only files: inline would be blocked
    embed = (built / "embed.html").read_text(encoding="utf-8")
    assert (
        "default-src &#x27;none&#x27;; script-src &#x27;self&#x27;; style-src &#x27;self&#x27;; "
        "connect-src &#x27;self&#x27;; base-uri &#x27;none&#x27;; form-action &#x27;none&#x27;"
    ) in embed
    places = (built / "places.html").read_text(encoding="utf-8")
    assert "script-src &#x27;none&#x27;" in places


def test_the_downloads_are_the_records_and_today_s_geojson(built: Path) -> None:
    index = (built / "index.html").read_text(encoding="utf-8")
    for name, body in dataset_csvs(real()).items():
        stem = name.removesuffix(".csv")
        (path,) = built.glob(f"{stem}.*.csv")
        assert path.read_bytes() == body
        assert f'href="{path.name}" download="frt-{stem}-{date.today().isoformat()}.csv"' in index
    (geojson,) = built.glob("status.*.geojson")
    features = json.loads(geojson.read_bytes())["features"]
    assert [f["properties"]["id"] for f in features] == [j.id for j in real().jurisdictions]
    assert {f["properties"]["as_of"] for f in features} == {date.today().isoformat()}


def test_the_text_pages_list_every_place_by_year_and_every_quote(built: Path) -> None:
    places = (built / "places.html").read_text(encoding="utf-8")
    years = list(year_dates(real(), date.today()))
    for year in years:
        assert f'<th scope="col">{year}</th>' in places
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", places)
    assert len(rows) == len(real().jurisdictions)
    assert all(row.count("<td>") == 1 + len(years) for row in rows)
    quotes = (built / "quotes.html").read_text(encoding="utf-8")
    assert quotes.count("<blockquote") == len(real().quotes)
    for page in ("index.html", "places.html", "quotes.html"):
        text = (built / page).read_text(encoding="utf-8")
        assert 'href="https://frt.example.org/"' in text, page  # FRT_PUBLIC_URL


def test_a_thousand_requests_to_a_plain_static_server_all_succeed(built: Path) -> None:
    files = site_files(built)
    with serve_folder(built) as url:
        result = load_check(url, files, total=1000, concurrency=50)
    print(f"{result.requests} requests, {result.seconds:.2f} s, {result.per_second:.0f}/s")
    assert result.failures == ()
    assert result.seconds < 10
    assert result.bytes == sum(size for _p, size in (files * 1000)[:1000])


# --- one builder: the export is the map page inlined ------------------------------------------


def test_the_single_file_export_is_the_site_s_map_page_inlined() -> None:
    today = date.today()
    on = year_end(2021, today)
    document = export.standalone_html(
        real(), EMPTY, frozenset(), on, data_date="21 Apr 2026", today=today
    )
    data = site_data(real(), frozenset(), year_dates(real(), today), today)
    files = map_files(data, EMPTY, inline=True)
    for asset in (*files.scripts, *files.styles):
        # As the HTML parser hands it on (LF line ends), which is what CSP hashes.
        assert f">{parsed_text(asset.text)}</" in document, asset.stem
    assert "<script src=" not in document and 'rel="stylesheet" href=' not in document
    assert "<title>Facial recognition: bans and use: 2021</title>" in document
    assert 'value="2021"' in document
    for asset in files.scripts:
        assert asset.text.count("</script") == 0


# --- hostile text: escaped, nothing lost --------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site() -> dict[str, bytes]:
    site = SiteInput(
        hostile_fixture(), EMPTY, frozenset(), date.today(), EMPTY, hs.URL_BREAKOUT,
        correction_url=FORM,
    )  # fmt: skip
    return site_pages(site)


def test_no_hostile_string_arrives_raw(hostile_site: dict[str, bytes]) -> None:
    for name, body in hostile_site.items():
        if name.endswith((".csv", ".geojson", ".png", ".gif")):
            continue  # downloads carry the records exactly, as data, never as a page
        text = body.decode("utf-8")
        for raw in RAW:
            assert raw not in text, (name, raw)
    index = hostile_site["index.html"].decode("utf-8")
    assert f'href="{html_text(hs.URL_BREAKOUT)}"' in index


def test_nothing_from_the_hostile_data_is_lost(hostile_site: dict[str, bytes]) -> None:
    (data_name,) = [n for n in hostile_site if n.startswith("data.")]
    (text_name,) = [n for n in hostile_site if n.startswith("text.")]
    data = read_data_js(hostile_site[data_name])
    shown = strings(data) | strings(read_data_js(hostile_site[text_name], "frtText"))
    expected = {place_label(j) for j in hostile_fixture().jurisdictions}
    expected |= {j.note for j in hostile_fixture().jurisdictions}
    # A name travels inside its place's label ("Oakland, CA"), not a second time on its own.
    assert all(j.name in place_label(j) for j in hostile_fixture().jurisdictions)
    for e in hostile_fixture().events:
        expected |= {e.summary, e.measure, e.vote, e.note, e.source_name}
    for (
        q
    ) in hostile_fixture().quotes:  # a quote's research note is not shown: it is in the CSV below
        expected |= {q.text, q.speaker, q.role, q.source_name}
    missing = {s for s in expected if s} - shown
    assert not missing, missing
    places = hostile_site["places.html"].decode("utf-8")
    quotes = hostile_site["quotes.html"].decode("utf-8")
    for j in hostile_fixture().jurisdictions:
        assert html_text(place_label(j)) in places
    for q in hostile_fixture().quotes:
        for text in (q.text, q.speaker, q.role, q.source_name):
            assert html_text(text) in quotes
    for spec in DATA_FILES:
        stem = spec.name.removesuffix(".csv")
        (name,) = [n for n in hostile_site if n.startswith(f"{stem}.") and n.endswith(".csv")]
        rows = list(csv.DictReader(io.StringIO(hostile_site[name].decode("utf-8"), newline="")))
        assert rows == [dict(row) for row in hs.ROWS[spec.name]], spec.name


def test_every_hostile_place_links_the_correction_form_encoded(
    hostile_site: dict[str, bytes],
) -> None:
    """Issue 22: the place pages and the map's panels (text.js) link the form with the place
    filled in; the name is percent-encoded into the address and escaped in the link's words."""
    (text_name,) = [n for n in hostile_site if n.startswith("text.")]
    (data_name,) = [n for n in hostile_site if n.startswith("data.")]
    text = read_data_js(hostile_site[text_name], "frtText")
    places = hostile_fixture().jurisdictions
    expected = [correction_url(FORM, j.id, place_label(j)) for j in places]
    assert all(expected) and text["corrections"] == expected
    assert "correction" not in hostile_site[data_name].decode("utf-8")  # not in the first paint
    for place, url in zip(places, expected, strict=True):
        page = hostile_site[f"place/{place.id}.html"].decode("utf-8")
        link = (
            f'<a href="{html_text(url or "")}" rel="noopener noreferrer">'
            f"Suggest a correction to {html_text(place_label(place))}</a>"
        )
        assert page.count(link) == 1, place.id


def test_without_the_setting_there_is_no_correction_link(built: Path) -> None:
    (text_name,) = [p.name for p in built.glob("text.*.js")]
    text = read_data_js((built / text_name).read_bytes(), "frtText")
    assert text["corrections"] == [None] * len(real().jurisdictions)
    for page in built.rglob("*.html"):
        assert "correction" not in page.read_text(encoding="utf-8"), page


def test_the_copy_button_s_script_is_on_the_site_s_map_page_not_in_the_export() -> None:
    """A file opened from disk has no address to share: the export has no Copy link."""
    on = date(2026, 1, 1)
    data = site_data(real(), frozenset(), year_dates(real(), on), on)
    site = [a.stem for a in map_files(data, EMPTY, inline=False).scripts]
    export_scripts = [a.stem for a in map_files(data, EMPTY, inline=True).scripts]
    assert site.index("copy") < site.index("map")  # there before the panel asks for it
    assert "copy" not in export_scripts


def test_without_boundaries_every_us_place_is_a_marker(hostile_site: dict[str, bytes]) -> None:
    (data_name,) = [n for n in hostile_site if n.startswith("data.")]
    data = read_data_js(hostile_site[data_name])
    assert data["places"]["polygon"] == [0] * len(hostile_fixture().jurisdictions)
    (geometry,) = [n for n in hostile_site if n.startswith("boundaries.")]
    assert read_data_js(hostile_site[geometry], "frtGeometry")["features"] == []


# --- the embed snippet ---------------------------------------------------------------------------


def test_the_embed_snippet() -> None:
    snippet = embed_snippet("https://example.github.io/frt/")
    assert snippet.startswith('<iframe src="https://example.github.io/frt/embed.html"')
    assert 'width="800" height="500"' in snippet
    placeholder = '<iframe src="https://your-site.example/embed.html"'
    assert embed_snippet("").startswith(placeholder)
    assert embed_snippet("javascript:alert(1)").startswith(placeholder)
    assert hs.QUOTE_BREAK not in embed_snippet(hs.URL_BREAKOUT)


def test_inline_hashes_match_what_the_browser_parses() -> None:
    """Leaflet's CSS has CRLF line ends; the HTML parser turns them into LF before CSP hashes
    the element, so the export must inline and hash the LF text (else the CSS is blocked)."""

    css = Asset("leaflet", "css", b".a{color:red}\r\n.b{color:blue}\r.c{}\n")
    files = PageFiles(scripts=(), styles=(css,), inline=True)
    parsed = ".a{color:red}\n.b{color:blue}\n.c{}\n"
    page = render("base.html", share=Share("t", "d"), files=files, body_class="", root="")
    assert f"<style>{parsed}</style>" in page
    assert sha256_source(parsed) in files.csp()
    assert sha256_source(css.text) not in files.csp()


# --- issue 23: an atomic build, one error line, no rows no site ------------------------------


def small_site() -> SiteInput:
    """The real data with no boundaries: every place a marker."""
    return SiteInput(real(), EMPTY, frozenset(), date(2026, 1, 1))


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_rebuild_replaces_the_old_site_whole_and_leaves_no_temporary_folder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    write_site(out, small_site())
    (out / "stale.0123456789ab.csv").write_bytes(b"old")
    (out / "place" / "gone.html").write_bytes(b"old")
    written = write_site(out, small_site())
    on_disk = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert on_disk == sorted(p.relative_to(out) for p in written)
    assert _leftovers(tmp_path) == []


def test_a_build_that_fails_midway_leaves_the_previous_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    write_site(out, small_site())
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def disk_full(folder: Path, files: dict[str, bytes]) -> None:
        (folder / "index.html").write_bytes(b"<trunc")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site_build, "_write_files", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_site(out, small_site())
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path) == []


def _run_main(out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(site_main, "site_input", lambda dataset, settings, today: small_site())
    code = site_main.main(["build", str(out)])
    return code, capsys.readouterr()


def test_an_unwritable_output_prints_one_error_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out = _run_main(blocker / "site", monkeypatch, capsys)
    assert code == 1
    assert out.err.count("\n") == 1 and out.err.startswith("error: "), out.err
    assert "Traceback" not in out.err and out.out == ""


def test_a_full_disk_prints_one_error_line_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def disk_full(folder: Path, files: dict[str, bytes]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site_build, "_write_files", disk_full)
    code, out = _run_main(tmp_path / "site", monkeypatch, capsys)
    assert code == 1
    assert (
        out.err == f"error: cannot write the site to {tmp_path / 'site'}: No space left on device\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_a_site_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out = _run_main(tmp_path, monkeypatch, capsys)
    assert code == 1 and out.err.startswith("error: ") and out.err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_events_file_with_no_rows_builds_no_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRT_DATA_DIR", str(BROKEN / "events-no-rows"))
    code, out = _run_main(tmp_path / "site", monkeypatch, capsys)
    assert code == 1
    assert "events.csv:2:1: row: the file has a header but no rows" in out.err
    assert not (tmp_path / "site").exists()


def _header_rules(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    path = ""
    for line in text.splitlines():
        if not line.startswith(" "):
            path = line
            rules[path] = {}
        else:
            name, _, value = line.strip().partition(": ")
            rules[path][name] = value
    return rules


def test_the_site_writes_headers_with_each_page_s_policy_and_frame_ancestors() -> None:
    """Issue 23: `_headers` (Netlify, Cloudflare Pages) carries what `<meta>` cannot."""
    files = site_pages(small_site())
    rules = _header_rules(files["_headers"].decode("ascii"))
    assert rules["/*"] == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": rules["/*"]["Permissions-Policy"],
    }
    assert "camera=()" in rules["/*"]["Permissions-Policy"]
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    for page in ("index.html", "embed.html", "places.html", "quotes.html"):
        match = meta.search(files[page].decode("utf-8"))
        assert match, page
        policy = match.group(1).replace("&#x27;", "'")
        ancestors = "frame-ancestors *" if page == "embed.html" else "frame-ancestors 'none'"
        stem = page.removesuffix(".html")
        for path in (f"/{page}", f"/{stem}", *(("/",) if stem == "index" else ())):
            assert rules[path] == {"Content-Security-Policy": f"{policy}; {ancestors}"}, path


def test_pages_deploys_only_from_ci_after_every_check_passed() -> None:
    """Issue 23: pages.yml runs only when ci.yml calls it, after validate, lint and the whole
    test suite passed in the same run (so on the same commit), on a push to main."""
    yaml = pytest.importorskip("ruamel.yaml").YAML(typ="safe")
    workflows = PROJECT_ROOT / ".github" / "workflows"
    pages = yaml.load((workflows / "pages.yml").read_text("utf-8"))
    assert set(pages["on"]) == {"workflow_call"}  # no push, no manual run of its own
    ci = yaml.load((workflows / "ci.yml").read_text("utf-8"))
    (caller,) = [job for job in ci["jobs"].values() if "pages.yml" in job.get("uses", "")]
    assert caller["uses"] == "$/.github/workflows/pages.yml"  # this repository, this commit
    assert set(caller["needs"]) == {"validate", "lint", "test"}
    assert caller["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
