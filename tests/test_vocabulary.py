"""One vocabulary (geo/vocabulary.py): the models and the codebook (data/README.md) agree."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from geo import vocabulary as v
from geo.config import PROJECT_ROOT
from geo.records import Event, Jurisdiction, Quote

CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = CODEBOOK.index(title)
    end = CODEBOOK.find("\n## ", start + 1)
    return CODEBOOK[start : end if end != -1 else None]


def _allowed(table_title: str, field: str) -> tuple[str, ...]:
    """The backticked values in the 'Allowed values' cell of one field's row."""
    for line in _section(table_title).splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 5 and cells[1] == f"`{field}`":
            return tuple(re.findall(r"`([a-z_]+)`", cells[5]))
    raise AssertionError(f"{field} not in {table_title}")


def _literal(model: type, field: str) -> tuple[str, ...]:
    return get_args(model.model_fields[field].annotation)


@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (Event, "status", v.EVENT_STATUSES),
        (Jurisdiction, "level", v.LEVELS),
        (Quote, "stance", v.STANCES),
        (Quote, "confidence", v.CONFIDENCES),
        (Event, "confidence", v.CONFIDENCES),
    ],
)
def test_the_models_take_their_values_from_the_vocabulary(model, field, values) -> None:
    assert _literal(model, field) == values


@pytest.mark.parametrize(
    ("table", "field", "values"),
    [
        ("## `events.csv`", "status", v.EVENT_STATUSES),
        ("## `jurisdictions.csv`", "level", v.LEVELS),
        ("## `quotes.csv`", "stance", v.STANCES),
        ("## `quotes.csv`", "confidence", v.CONFIDENCES),
        ("## `events.csv`", "confidence", v.CONFIDENCES),
        ("## `quotes.csv`", "caveat", v.CAVEATS),
    ],
)
def test_the_codebook_lists_the_same_values(table: str, field: str, values) -> None:
    assert _allowed(table, field) == values


def test_the_codebook_defines_every_status() -> None:
    defined = re.findall(
        r"^- \*\*([a-z_]+)\*\* —", _section("### What counts as each status"), re.M
    )
    assert sorted(defined) == sorted(v.EVENT_STATUSES)


def test_the_codebook_gives_every_caveat_the_sentence_readers_see() -> None:
    """The "Quote caveats" table: each code with exactly the sentence shown under a quote."""
    written = {}
    for line in _section("### Quote caveats").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and re.fullmatch(r"`[a-z_]+`", cells[1]):
            written[cells[1].strip("`")] = cells[2]
    assert written == v.CAVEAT_SENTENCES
    assert tuple(written) == v.CAVEATS


@pytest.mark.parametrize("term", v.CAVEAT_TERMS, ids=lambda t: t.value)
def test_each_caveat_is_one_plain_sentence(term: v.Term) -> None:
    sentence = term.meaning
    assert sentence[0].isupper() and sentence.endswith(".") and sentence.count(". ") == 0
    assert len(sentence) <= 100 and term.label
    assert "confidence" not in sentence.casefold()  # says why, never a grade
    assert v.CAVEAT_SEPARATOR not in term.value and re.fullmatch(r"[a-z_]+", term.value)


def test_every_status_has_a_label_colour_and_meaning() -> None:
    for status in (*v.EVENT_STATUSES, v.NO_RECORD):
        assert v.STATUS_LABELS[status] and v.STATUS_MEANINGS[status]
        assert re.fullmatch(r"#[0-9A-F]{6}", v.STATUS_COLOURS[status])
    assert len({v.STATUS_COLOURS[s] for s in v.LEGEND_ORDER}) == len(v.LEGEND_ORDER)
    assert v.PROPOSAL_ENDED not in v.LEGEND_ORDER  # an event, never a place's status


def test_the_codebook_does_not_reuse_repealed_for_weakened() -> None:
    assert v.STATUS_MEANINGS["repealed"] == "a ban or moratorium repealed or expired"
    assert "**or weakened**" not in CODEBOOK


def codebook_limits() -> dict[str, int]:
    """`file.column` -> limit, from the codebook's "Length limits" table."""
    text = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = text.split("**Length limits**", 1)[1].split("\n\n", 2)[1]
    limits: dict[str, int] = {}
    for row in section.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for column in re.findall(r"`([a-z_]+\.[a-z_]+)`", cells[1]):
            limits[column] = int(cells[0])
        if "every `note`" in cells[1]:
            limits["*.note"] = int(cells[0])
        if "every URL" in cells[1]:
            limits["*.url"] = int(cells[0])
    return limits


def test_the_codebook_and_the_validator_agree_on_every_length_limit() -> None:
    from geo.records.fields import MAX_URL, field_limit
    from geo.records.models import FILES

    written = codebook_limits()
    assert written, "the codebook's length table is missing"
    enforced = {
        f"{spec.name.removesuffix('.csv')}.{name}": limit
        for spec in FILES
        for name, info in spec.model.model_fields.items()
        if (limit := field_limit(info.metadata)) is not None
    }
    for column, limit in enforced.items():
        said = written.get(column, written.get("*.note") if column.endswith(".note") else None)
        assert said == limit, f"{column}: the validator allows {limit}, the codebook says {said}"
    assert set(written) - {"*.note", "*.url"} <= set(enforced)
    assert written["*.url"] == MAX_URL
