"""Issue 15: `make run` starts quietly. Its command (the Makefile's `run` recipe, with the
project's .streamlit/config.toml) prints the address and nothing else in its first seconds:
no file-watcher warnings about .venv, .cache or inotify limits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.server import free_port

pytestmark = pytest.mark.server  # it starts `make run`

ROOT = Path(__file__).resolve().parent.parent
# Lines Streamlit prints when a server starts headless, and nothing more.
EXPECTED = (
    re.compile(r"^You can now view your Streamlit app in your browser\.$"),
    re.compile(r"^URL: http://127\.0\.0\.1:\d+$"),
)
NOISE = re.compile(r"watch|inotify|Watchdog|Traceback|Warning|WARNING", re.IGNORECASE)


def run_recipe() -> list[str]:
    """The commands of the Makefile's `run` target, as written there."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index(next(line for line in lines if line.startswith("run:")))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_run_is_streamlit_run_app_py_with_the_project_config() -> None:
    assert run_recipe() == ["$(PY) -m streamlit run app.py $(PORT_FLAG)"]


@pytest.mark.parametrize(("port", "flag"), [(None, ""), ("8600", "--server.port 8600")])
def test_make_run_serves_on_port_only_when_it_is_set(port: str | None, flag: str) -> None:
    """`make run` keeps Streamlit's 8501 unless PORT is given (no other target's default)."""
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port is not None:
        env["PORT"] = port
    done = subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    (command,) = [line for line in done.stdout.splitlines() if "streamlit run app.py" in line]
    assert command.split("app.py", 1)[1].strip() == flag


def test_the_first_seconds_of_make_run_print_the_address_and_nothing_else(tmp_path) -> None:
    (command,) = run_recipe()
    port = free_port()
    # $(PORT_FLAG) is `--server.port N` when PORT is set, as here.
    argv = [sys.executable, *command.replace("$(PORT_FLAG)", "").split()[1:]]
    argv += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    log = tmp_path / "run.log"
    env = {**os.environ, "FRT_CACHE_DIR": str(tmp_path / "cache"), "FRT_TILES": ""}
    with log.open("w") as handle:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "URL:" not in log.read_text():
                time.sleep(0.2)
            time.sleep(3)  # watcher warnings, when there are any, follow within a second
            printed = log.read_text()
        finally:
            process.terminate()
            process.wait(timeout=20)
    lines = [line.strip() for line in printed.splitlines() if line.strip()]
    assert f"URL: http://127.0.0.1:{port}" in lines, lines
    noisy = [line for line in lines if NOISE.search(line)]
    assert noisy == [], noisy
    unexpected = [line for line in lines if not any(p.match(line) for p in EXPECTED)]
    assert unexpected == [], unexpected


def test_the_noise_check_catches_a_watcher_warning() -> None:
    sample = "2026-01-01 WARNING: inotify watch limit reached"
    assert NOISE.search(sample)
    assert not any(p.match(sample) for p in EXPECTED)
