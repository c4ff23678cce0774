"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

# The suite's tiers (pyproject.toml registers the markers; `make test-fast` runs none of them):
# a test is `app` when it runs the Streamlit script (AppTest), `census` when it reads the
# Census files in ../shared/census, `server` when it starts a server or a process, `browser`
# when it drives Chromium. Tiers follow the fixtures a test uses; tests that start a server
# or process without such a fixture carry `@pytest.mark.server` themselves.
TIER_FIXTURES = {
    "app": {"app_env", "hostile_env", "real_env"},
    "census": {"census_dir", "census_env", "real_env", "real_build", "built", "report"},
    "server": {"server", "fresh_server", "report"},
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in TIER_FIXTURES.items():
            if used & fixtures:
                item.add_marker(getattr(pytest.mark, marker))


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
