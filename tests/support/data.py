"""The datasets the tests read, loaded on first use (never at import), once per session."""

from __future__ import annotations

import functools
from pathlib import Path

from geo.config import PROJECT_ROOT
from geo.records import Dataset, load_dataset

REAL_DIR = PROJECT_ROOT / "data"
VALID_DIR = PROJECT_ROOT / "tests" / "fixtures" / "valid"
HOSTILE_DIR = PROJECT_ROOT / "tests" / "fixtures" / "hostile"


@functools.cache
def dataset_in(folder: Path) -> Dataset:
    return load_dataset(folder)


def real() -> Dataset:
    """The project's own data/."""
    return dataset_in(REAL_DIR)


def valid_fixture() -> Dataset:
    return dataset_in(VALID_DIR)


def hostile_fixture() -> Dataset:
    return dataset_in(HOSTILE_DIR)
