"""A property-based fuzz (Hypothesis) of what reads untrusted input: the CSV reader
(geo/csvfile.py), the validator (geo.records.check_dataset) and the URL check. Random bytes,
encodings and cells never raise: they give a problem list, or they pass. Small and fast on
purpose (a few seconds); `EXAMPLES` counts what each property tried (issue 23's closing note).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.csvfile import Problem, read_table
from geo.csvsafe import is_formula
from geo.escape import link_host, safe_href
from geo.records import check_dataset, check_url

VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
EXAMPLES: Counter[str] = Counter()
FAST = settings(
    max_examples=100,
    deadline=2000,  # milliseconds per example; a shared 2-core machine is slow at times
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters that break things: CSV syntax, line ends, controls, invisibles, formulas.
NASTY = st.sampled_from(
    [",", '"', "\n", "\r", "\r\n", "\t", "\x00", "\x1b", "\ufeff", "\u200b", "\u200d", "\u202e",
     "\u2028", "\U000e0041", "=", "+", "-", "@", " ", "\\", "%", "é", "人", "🚫"]
)  # fmt: skip
CELL = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(NASTY, st.text(max_size=4)), max_size=12).map("".join),
)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32")


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="frt-fuzz-"))
    yield folder
    shutil.rmtree(folder)


def _problems_are_placed(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.reason, problem


@FAST
@given(data=st.binary(max_size=600))
def test_the_reader_never_raises_on_random_bytes(workdir: Path, data: bytes) -> None:
    EXAMPLES["reader bytes"] += 1
    path = workdir / "random.csv"
    path.write_bytes(data)
    table = read_table(path, "random.csv")
    _problems_are_placed(list(table.problems))
    for row in table.rows:
        assert set(row.cells) <= set(table.header)


@FAST
@given(text=st.text(max_size=300), encoding=st.sampled_from(ENCODINGS))
def test_the_reader_never_raises_on_text_in_any_encoding(
    workdir: Path, text: str, encoding: str
) -> None:
    EXAMPLES["reader encodings"] += 1
    path = workdir / "encoded.csv"
    path.write_bytes(("id,name\n" + text).encode(encoding, errors="replace"))
    _problems_are_placed(list(read_table(path, "encoded.csv").problems))


def _fixture_copy(workdir: Path) -> Path:
    folder = workdir / "data"
    if not folder.exists():
        shutil.copytree(VALID, folder)
    for name in ("jurisdictions.csv", "events.csv", "quotes.csv"):
        shutil.copyfile(VALID / name, folder / name)
    return folder


@FAST
@given(
    name=st.sampled_from(["jurisdictions.csv", "events.csv", "quotes.csv"]),
    data=st.binary(max_size=600),
)
def test_the_validator_never_raises_on_a_file_of_random_bytes(
    workdir: Path, name: str, data: bytes
) -> None:
    EXAMPLES["validator bytes"] += 1
    folder = _fixture_copy(workdir)
    (folder / name).write_bytes(data)
    _dataset, problems = check_dataset(folder, label_root=folder)
    _problems_are_placed(problems)


@settings(FAST, max_examples=200)
@given(
    name=st.sampled_from(["jurisdictions.csv", "events.csv", "quotes.csv"]),
    line=st.integers(min_value=0, max_value=6),
    column=st.integers(min_value=0, max_value=12),
    cell=CELL,
)
def test_the_validator_never_raises_on_a_random_cell_and_keeps_its_rules(
    workdir: Path, name: str, line: int, column: int, cell: str
) -> None:
    """One cell of the valid fixture replaced (CSV-quoted, so it stays one cell)."""
    EXAMPLES["validator cells"] += 1
    folder = _fixture_copy(workdir)
    lines = (VALID / name).read_text("utf-8").splitlines(keepends=True)
    row = lines[line % len(lines)].rstrip("\n").split(",")  # the fixture's rows, naively
    row[column % len(row)] = '"' + cell.replace('"', '""') + '"'
    lines[line % len(lines)] = ",".join(row) + "\n"
    (folder / name).write_text("".join(lines), encoding="utf-8", errors="replace", newline="")
    dataset, problems = check_dataset(folder, label_root=folder)
    _problems_are_placed(problems)
    if not problems:  # what passes keeps the rules: no formula, no invisible character
        for record in (*dataset.jurisdictions, *dataset.events, *dataset.quotes):
            for value in record.model_dump().values():
                if isinstance(value, str):
                    assert not is_formula(value), value
                    assert "\u200b" not in value and "\u202e" not in value, value


URLISH = st.builds(
    lambda scheme, host, port, rest: f"{scheme}{host}{port}{rest}",
    st.sampled_from(["https://", "http://", "HTTPS://", "javascript:", "", "https:/", "//"]),
    st.one_of(st.from_regex(r"[a-z0-9.\-\[\]:@%]{0,20}", fullmatch=True), st.text(max_size=12)),
    st.one_of(st.just(""), st.from_regex(r":[0-9a-z=._\-]{0,8}", fullmatch=True)),
    st.text(max_size=20),
)


@settings(FAST, max_examples=1000)
@given(url=st.one_of(URLISH, st.text(max_size=60)))
def test_the_url_check_gives_the_url_or_a_reason_never_a_crash(url: str) -> None:
    EXAMPLES["url check"] += 1
    try:
        assert check_url(url) == url
    except ValueError as error:
        assert str(error)
        assert safe_href(url) is None
        return
    assert safe_href(url) == url
    assert link_host(url).isascii()


def test_zz_report_the_examples_tried() -> None:
    """Runs last in this file: the counts, for the report (`pytest -s` shows them)."""
    print("fuzz examples tried:", dict(EXAMPLES), "total", sum(EXAMPLES.values()))
