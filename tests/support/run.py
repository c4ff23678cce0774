"""Running the project's commands and the app in tests, the same way in every test file."""

from __future__ import annotations

import os
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from geo.config import PROJECT_ROOT


def run_module(
    module: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m module args...` from the project root, UTF-8 output captured, not checked."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        timeout=60,
        check=False,
    )


def run_validate(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_module("geo.validate", *args, env=env)


def open_app(query: dict[str, str] | None = None) -> AppTest:
    """app.py run once in AppTest with these URL query parameters; no exception allowed."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return run_page(at)


def run_page(at: AppTest, page: str | None = None) -> AppTest:
    """Run the app (after switching to `page`); it must not show an exception."""
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def history_items(at: AppTest) -> list[str]:
    """The place panel's history as shown: one Markdown list item per event."""
    lists = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(lists) == 1, lists
    return ["- " + item for item in ("\n" + lists[0]).split("\n- ")[1:]]
