"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """No Census source reachable (a folder that does not exist): the offline fallback."""
    monkeypatch.setenv("FRT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FRT_CENSUS_SOURCE", str(tmp_path / "no-census-here"))
    monkeypatch.setenv("FRT_CENSUS_YEAR", "2015")
    monkeypatch.delenv("FRT_DATA_DIR", raising=False)
    return monkeypatch
