"""Start a Streamlit server on 127.0.0.1, wait for its first finished script run, read its RSS."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.client import Run, Session

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
EXTRA: list[str] = os.environ.get("BENCH_EXTRA", "").split()


# The Census place files the bench builds boundaries from: ../shared/census beside the project,
# unless FRT_CENSUS_SOURCE names another folder.
DEFAULT_CENSUS = ROOT.parent / "shared" / "census"


def census_dir() -> Path:
    return Path(os.environ.get("FRT_CENSUS_SOURCE") or DEFAULT_CENSUS)


def offline_env(cache_dir: str | Path, census: Path) -> dict[str, str]:
    """Settings for an app on loopback: boundaries built from a Census folder into `cache_dir`
    (the 2015 files of ../shared/census), no map tiles, and no proxy for 127.0.0.1."""
    return {
        "FRT_CACHE_DIR": str(cache_dir),
        "FRT_CENSUS_SOURCE": str(census),
        "FRT_CENSUS_YEAR": "2015",
        "FRT_TILES": "",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def build_boundaries(env: dict[str, str], budget: int | None = None) -> float:
    """Build the boundary cache our app reads (`python -m geo.boundaries build`); seconds.

    `budget`: the served GeoJSON's byte budget, when not the real data's (a synthetic dataset
    of thousands of places is far over it by design). Raises SystemExit with the builder's
    output when it fails."""
    start = time.perf_counter()
    extra = [] if budget is None else ["--budget", str(budget)]
    done = subprocess.run(
        [sys.executable, "-m", "geo.boundaries", "build", *extra],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the boundaries build failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    return found


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += _children(current)
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants (from /proc, Linux)."""
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc, Linux)."""
    total = 0
    for current in _tree(pid):
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, ValueError, IndexError):
            continue
    return total


@dataclass
class Server:
    """A `streamlit run` subprocess; `log` holds its stdout and stderr."""

    app: Path
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    started: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "streamlit", "run", str(self.app),
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *EXTRA,
        ]  # fmt: skip
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()

    async def first_run(self, timeout: float = 120.0) -> tuple[float, Run, Session]:
        """Seconds from process start to the end of the first script run, that run, and
        its (open) session. The websocket is tried every 20 ms until the server listens."""
        assert self.process is not None
        deadline = self.started + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app.name} exited with {self.process.returncode}")
            session = Session(self.url)
            try:
                await session.connect(timeout=5)
                break
            except OSError:
                if time.perf_counter() > deadline:
                    raise
                await asyncio.sleep(0.02)
        run = await session.rerun(timeout)
        return time.perf_counter() - self.started, run, session

    def rss(self) -> int:
        assert self.process is not None
        return rss_bytes(self.process.pid)

    def cpu(self) -> float:
        assert self.process is not None
        return cpu_seconds(self.process.pid)

    def stop(self) -> str:
        """Stop the server (SIGTERM, then SIGKILL); return its log."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.log.read_text(encoding="utf-8", errors="replace")


async def start_all(servers: Iterable[Server], timeout: float = 120.0) -> None:
    """Start every server, then wait for each one's first finished run (its session closed):
    the servers warm up side by side, and none is measured before it has run once."""
    started = list(servers)
    for server in started:
        server.start()
    for server in started:
        _cold, _run, session = await server.first_run(timeout)
        await session.close()
