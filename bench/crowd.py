"""`python -m bench.crowd`: a crowd of sessions on our app, in waves, on loopback.

Each simulated reader opens the map (a new session) and moves the year slider a few times,
pausing briefly between moves, then leaves. All readers of a wave arrive at the same moment;
waves are separated by a pause. The first wave meets a cold server (nothing imported, no
script run yet), which is where a cold-import race would show.

It fails (exit 1) on any failed session (an error, a timeout, or an exception shown on the
page), on a "Traceback" in the server log, or when the resident memory of a later wave peaks
above `--max-growth` times the first wave's peak (a leak shows as growth from wave to wave).
It prints a summary and writes artifacts/crowd.json.

    python -m bench.crowd                  # 50 readers x 3 waves x 4 year changes (~3 min)
    python -m bench.crowd --sessions 10 --waves 2 --moves 2    # the CI form (tests/test_crowd.py)
    python -m bench.crowd --url http://127.0.0.1:8080 --sessions 200   # a server started elsewhere

With `--url` no server is started: the readers go to that address (for example nginx in front
of replicas, `make replicas`); memory is watched only for the process tree of `--rss-pid`
(the replicas' runner), and the server log is not read (its replicas keep their own).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bench.client import Run, Session
from bench.measure import MB, RssSampler, failure, percentile
from bench.server import (
    DEFAULT_CENSUS,
    ROOT,
    Server,
    build_boundaries,
    census_dir,
    offline_env,
    rss_bytes,
)

DEFAULT_OUT = ROOT / "artifacts" / "crowd.json"


@dataclass
class Wave:
    number: int
    sessions: int
    failures: list[str] = field(default_factory=list)
    open_s: list[float] = field(default_factory=list)
    move_s: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    rss_peak_bytes: int = 0
    rss_after_bytes: int = 0

    def summary(self) -> dict[str, object]:
        return {
            "wave": self.number,
            "sessions": self.sessions,
            "failed": len(self.failures),
            "failures": self.failures[:5],
            "open_p95_s": percentile(self.open_s, 95),
            "open_median_s": statistics.median(self.open_s) if self.open_s else None,
            "moves": len(self.move_s),
            "move_p95_s": percentile(self.move_s, 95),
            "move_median_s": statistics.median(self.move_s) if self.move_s else None,
            "wall_s": self.wall_s,
            "rss_peak_bytes": self.rss_peak_bytes,
            "rss_after_bytes": self.rss_after_bytes,
        }


@dataclass(frozen=True)
class Remote:
    """A server this run did not start: its address, and the process tree whose resident
    memory is watched (none: memory reads 0 and is not judged)."""

    url: str
    pid: int | None = None

    def rss(self) -> int:
        return rss_bytes(self.pid) if self.pid else 0


def wait_listening(server: Server, seconds: float = 90.0) -> float:
    """Seconds until /_stcore/health answers; runs no script (the server stays cold)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.process.returncode}")
        try:
            with opener.open(server.url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - server.started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer /_stcore/health in time")


async def reader(
    server: Server | Remote, wave: Wave, index: int, moves: int, timeout: float, rng: random.Random
) -> None:
    """One reader: open the map, move the year `moves` times with short pauses, leave."""
    session = Session(server.url)
    pauses = [rng.uniform(0.1, 0.6) for _ in range(moves)]
    try:
        opened = await asyncio.wait_for(session.open(timeout), timeout + 5)
        if (why := failure(opened)) is not None:
            wave.failures.append(f"reader {index}: {why}")
            return
        wave.open_s.append(opened.seconds)
        slider = session.slider("Year")
        years = list(range(int(slider.min), int(slider.max) + 1))
        for move, pause in enumerate(pauses):
            await asyncio.sleep(pause)
            year = years[(index + move) % len(years)]  # together, a wave visits every year
            run: Run = await asyncio.wait_for(session.set_slider("Year", year, timeout), timeout)
            if (why := failure(run)) is not None:
                wave.failures.append(f"reader {index}, move {move}: {why}")
                return
            wave.move_s.append(run.seconds)
    except Exception as error:  # noqa: BLE001 - every failure of a reader is a finding
        wave.failures.append(f"reader {index}: {failure(error)}")
    finally:
        await session.close()


async def crowd(
    server: Server | Remote,
    *,
    sessions: int,
    waves: int,
    moves: int,
    pause: float,
    timeout: float,
    seed: int,
    say,
) -> list[Wave]:
    rng = random.Random(seed)
    done: list[Wave] = []
    for number in range(1, waves + 1):
        wave = Wave(number, sessions)
        say(f"wave {number}: {sessions} readers at once, {moves} year changes each")
        async with RssSampler(server) as sampler:
            start = time.perf_counter()
            await asyncio.gather(
                *(reader(server, wave, i, moves, timeout, rng) for i in range(sessions))
            )
            wave.wall_s = time.perf_counter() - start
        wave.rss_peak_bytes = sampler.peak
        done.append(wave)
        await asyncio.sleep(pause)  # the readers have left; what memory stays?
        wave.rss_after_bytes = server.rss()
    return done


T = TypeVar("T")


def run_in_own_thread(coroutine: Coroutine[object, object, T]) -> T:
    """asyncio.run in a thread of its own: the caller's thread may already run an event loop
    (Playwright's sync API keeps one running for as long as a test session holds a browser)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_crowd(
    *,
    sessions: int = 50,
    waves: int = 3,
    moves: int = 4,
    pause: float = 5.0,
    timeout: float = 120.0,
    seed: int = 7,
    max_growth: float = 1.1,
    census: Path = DEFAULT_CENSUS,
    logs: Path = ROOT / "artifacts" / "crowd-logs",
    say=print,
) -> dict[str, object]:
    """Build boundaries, start a cold server, send the waves; the report (with `ok`)."""
    if not census.is_dir():
        raise FileNotFoundError(
            f"no Census place files in {census} (../shared/census beside the project, "
            "or set FRT_CENSUS_SOURCE)"
        )
    settings = {"sessions": sessions, "waves": waves, "moves": moves, "pause_s": pause,
                "timeout_s": timeout, "seed": seed, "max_growth": max_growth}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="frt-crowd-") as cache:
        env = offline_env(cache, census)
        build_boundaries(env)
        server = Server(ROOT / "app.py", env, logs / "crowd.log")
        server.start()
        try:
            listening = wait_listening(server)
            say(f"server listening after {listening:.1f} s; no script has run yet")
            result = run_in_own_thread(
                crowd(server, sessions=sessions, waves=waves, moves=moves, pause=pause,
                      timeout=timeout, seed=seed, say=say)
            )  # fmt: skip
        finally:
            log = server.stop()
    return crowd_report(result, settings, log, str(server.log))


def run_remote(
    url: str,
    *,
    rss_pid: int | None = None,
    sessions: int = 50,
    waves: int = 3,
    moves: int = 4,
    pause: float = 5.0,
    timeout: float = 120.0,
    seed: int = 7,
    max_growth: float = 1.1,
    say=print,
) -> dict[str, object]:
    """The waves against a server started elsewhere (`url`); its memory through `rss_pid`."""
    remote = Remote(url.rstrip("/"), rss_pid)
    if not healthy(remote.url):
        raise ConnectionError(f"nothing answers {remote.url}/_stcore/health")
    settings = {"url": remote.url, "rss_pid": rss_pid, "sessions": sessions, "waves": waves,
                "moves": moves, "pause_s": pause, "timeout_s": timeout, "seed": seed,
                "max_growth": max_growth}  # fmt: skip
    result = run_in_own_thread(
        crowd(remote, sessions=sessions, waves=waves, moves=moves, pause=pause,
              timeout=timeout, seed=seed, say=say)
    )  # fmt: skip
    return crowd_report(result, settings, None, None)


def healthy(url: str, seconds: float = 10.0) -> bool:
    """True once `url`/_stcore/health answers 200 (through a proxy, it runs no script)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with opener.open(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def crowd_report(
    result: list[Wave], settings: dict[str, object], log: str | None, log_path: str | None
) -> dict[str, object]:
    """The figures of the waves, and the verdict: no failure, no Traceback in the log (when
    there is one), and memory growth within the limit (when memory was watched)."""
    first_peak = result[0].rss_peak_bytes
    later_peak = max((w.rss_peak_bytes for w in result[1:]), default=first_peak)
    growth = later_peak / first_peak if first_peak else None
    failures = [f for w in result for f in w.failures]
    tracebacks = None if log is None else log.count("Traceback")
    limit = float(settings["max_growth"])
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings,
        "machine": {"nproc": os.cpu_count(), "load_average": os.getloadavg()},
        "waves": [w.summary() for w in result],
        "failed_sessions": len(failures),
        "failures": failures[:10],
        "tracebacks": tracebacks,
        "log_tail": log[-3000:] if log and tracebacks else "",
        "memory_growth": growth,
        "ok": not failures and not tracebacks and (growth is None or growth <= limit),
        "log": log_path,
    }


def summary_lines(report: dict) -> list[str]:
    lines = [
        "| Wave | readers | failed | open p95 | open median | year change p95 | "
        "year change median | wall | RSS peak | RSS after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in report["waves"]:
        lines.append(
            f"| {w['wave']} | {w['sessions']} | {w['failed']} | {w['open_p95_s']:.2f} s | "
            f"{w['open_median_s'] or 0:.2f} s | {w['move_p95_s']:.2f} s | "
            f"{w['move_median_s'] or 0:.2f} s | {w['wall_s']:.1f} s | "
            f"{_megabytes(w['rss_peak_bytes'])} | {_megabytes(w['rss_after_bytes'])} |"
        )
    s = report["settings"]
    growth = report["memory_growth"]
    tracebacks = report["tracebacks"]
    lines.append("")
    lines.append(
        f"failed sessions: {report['failed_sessions']}; tracebacks in the server log: "
        f"{'not read' if tracebacks is None else tracebacks}; memory peak of later waves / "
        f"first wave: {'not watched' if growth is None else f'{growth:.3f}'} "
        f"(limit {s['max_growth']}); {'OK' if report['ok'] else 'FAILED'}"
    )
    return lines


def _megabytes(value: int) -> str:
    return f"{value / MB:.0f} MB" if value else "-"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.crowd", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=50, help="readers per wave (50)")
    parser.add_argument("--waves", type=int, default=3, help="waves (3)")
    parser.add_argument("--moves", type=int, default=4, help="year changes per reader (4)")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between waves (5)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run (120)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the readers' pauses")
    parser.add_argument("--max-growth", type=float, default=1.1, help="later/first RSS peak")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    parser.add_argument("--url", help="readers go to this server instead of one started here")
    parser.add_argument(
        "--rss-pid", type=int, help="with --url: watch the memory of this process and its children"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    census = census_dir()

    def say(message: str) -> None:
        print(f"[crowd {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    waves = {"sessions": args.sessions, "waves": args.waves, "moves": args.moves,
             "pause": args.pause, "timeout": args.timeout, "seed": args.seed,
             "max_growth": args.max_growth, "say": say}  # fmt: skip
    try:
        if args.url:
            report = run_remote(args.url, rss_pid=args.rss_pid, **waves)
        else:
            report = run_crowd(census=census, **waves)
    except (FileNotFoundError, ConnectionError) as error:
        print(f"crowd: {error}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print("\n".join(summary_lines(report)))
    if report["failures"]:
        print("first failures:\n  " + "\n  ".join(report["failures"]))
    if report["tracebacks"]:
        print(report["log_tail"])
    print(f"JSON: {args.out}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
