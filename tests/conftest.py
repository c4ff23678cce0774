"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """No Census source reachable (a folder that does not exist): the offline fallback."""
    monkeypatch.setenv("FRT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FRT_CENSUS_SOURCE", str(tmp_path / "no-census-here"))
    monkeypatch.setenv("FRT_CENSUS_YEAR", "2015")
    monkeypatch.delenv("FRT_DATA_DIR", raising=False)
    return monkeypatch


@pytest.fixture
def served_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """File name -> bytes of every file Streamlit stores for download during the test."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files
