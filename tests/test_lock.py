"""The lock files: every pin of requirements*.txt is locked at its version, every locked
package carries hashes, and the app's lock is the runtime part of the whole set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.config import PROJECT_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.M)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line, following `-r` includes."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-r "):
            found |= pins(path.parent / line.split(maxsplit=1)[1])
    found |= {canonical(n): v for n, v in PIN.findall(path.read_text(encoding="utf-8"))}
    return found


def locked(path: Path) -> dict[str, str]:
    """name -> version of every locked package, each checked to carry at least one hash."""
    text = path.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    result = {}
    for entry in entries:
        match = PIN.match(entry)
        assert match, entry[:80]
        assert "--hash=sha256:" in entry, f"{match.group(1)} has no hash in {path.name}"
        result[canonical(match.group(1))] = match.group(2)
    return result


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_is_locked_at_its_version(wanted: str, lock: str) -> None:
    pinned, held = pins(PROJECT_ROOT / wanted), locked(PROJECT_ROOT / lock)
    moved = {n: (v, held.get(n)) for n, v in pinned.items() if held.get(n) != v}
    assert not moved, f"{lock} disagrees with {wanted} (run `make lock`): {moved}"


def test_the_app_s_lock_is_the_runtime_part_of_the_whole_set() -> None:
    app, everything = (
        locked(PROJECT_ROOT / "requirements.lock"),
        locked(PROJECT_ROOT / "requirements-dev.lock"),
    )
    assert app.items() <= everything.items()
    assert "pytest" not in app and "playwright" not in app


def test_the_pin_reader_sees_a_moved_version(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("a==1\n", encoding="utf-8")
    (tmp_path / "r.lock").write_text("# h\n# h\na==2 \\\n    --hash=sha256:00\n", encoding="utf-8")
    assert pins(tmp_path / "r.txt") != locked(tmp_path / "r.lock")
