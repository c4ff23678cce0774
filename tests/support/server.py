"""Running the app as a real server on 127.0.0.1 for a test, and stopping it cleanly."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.server import Server
from geo.config import PROJECT_ROOT


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def start_server(env_overrides: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` through the bench's server (bench.server.Server), the one way
    the tests and the bench start the app; its URL once it answers its health check."""
    server = Server(PROJECT_ROOT / "app.py", dict(env_overrides), log)
    server.start()
    assert server.process is not None
    wait_healthy(server.url, server.process)
    return server.process, server.url


def serve(env: dict[str, str], log: Path) -> Iterator[str]:
    """A server for a fixture's lifetime; its log may hold no Traceback when it stops."""
    process, url = start_server(env, log)
    yield url
    process.terminate()
    process.wait(timeout=20)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]
