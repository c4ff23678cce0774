"""What `python -m bench` measures on one app, and helpers the load test shares."""

from __future__ import annotations

import asyncio
import contextlib
import math
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.client import Run, Session, SessionError
from bench.server import Server

MB = 1_000_000


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): a value that was measured, never interpolated."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def year_sequence(session: Session, count: int, label: str = "Year") -> list[int]:
    """`count` years from the slider's range, each different from the one before."""
    slider = session.slider(label)
    years = list(range(int(slider.min), int(slider.max) + 1))
    current = int(slider.value[0]) if slider.value else None
    sequence = [y for y in years if y != current] + ([current] if current in years else [])
    return [sequence[i % len(sequence)] for i in range(count)]


class HasRss(Protocol):
    def rss(self) -> int: ...


class RssSampler:
    """Samples a server's RSS every `interval` seconds while open; keeps the peak."""

    def __init__(self, server: HasRss, interval: float = 0.05) -> None:
        self.server = server
        self.interval = interval
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, self.server.rss())
            await asyncio.sleep(self.interval)

    async def __aenter__(self) -> RssSampler:
        self.peak = self.server.rss()
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self.peak = max(self.peak, self.server.rss())


def failure(result: Run | BaseException) -> str | None:
    """Why a session failed, or None: an error, or an exception shown on the page."""
    if isinstance(result, BaseException):
        return f"{type(result).__name__}: {result}"
    if result.exceptions:
        return "exception on the page: " + "; ".join(result.exceptions)
    return None


async def open_at_once(
    server: Server, count: int, timeout: float
) -> tuple[list[Session], list[Run | BaseException]]:
    """`count` new tabs opened at the same moment; each result is its first run or its error."""
    sessions = [Session(server.url) for _ in range(count)]
    results = await asyncio.gather(
        *(asyncio.wait_for(s.open(timeout), timeout + 5) for s in sessions),
        return_exceptions=True,
    )
    return sessions, list(results)


async def close_all(sessions: Sequence[Session]) -> None:
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)


@dataclass
class Plan:
    name: str
    script: Path
    reruns: int = 15
    first_renders: int = 5
    sessions: int = 30
    session_timeout: float = 240.0


def _run_summary(runs: Sequence[Run]) -> dict[str, object]:
    return {
        "count": len(runs),
        "seconds": [round(r.seconds, 4) for r in runs],
        "median_s": statistics.median(r.seconds for r in runs),
        "p90_s": percentile([r.seconds for r in runs], 90),
        "wire_bytes_median": statistics.median(r.wire_bytes for r in runs),
        "wire_bytes_max": max(r.wire_bytes for r in runs),
        "payload_bytes_median": statistics.median(r.payload_bytes for r in runs),
        "messages_median": statistics.median(r.messages for r in runs),
        "refs_total": sum(r.refs for r in runs),
    }


async def measure_app(plan: Plan, env: dict[str, str], logs: Path, say) -> dict[str, object]:
    """Every server-side figure for one app, on one server process started here."""
    server = Server(plan.script, env, logs / f"{plan.name}.log")
    result: dict[str, object] = {"app": plan.name, "script": str(plan.script)}
    server.start()
    try:
        say(f"{plan.name}: cold start")
        cold, first, session = await server.first_run(timeout=plan.session_timeout)
        await session.close()
        result["cold_start_s"] = cold
        result["cold_first_run"] = _run_summary([first])

        say(f"{plan.name}: {plan.first_renders} first renders of a new session")
        renders = []
        for _ in range(plan.first_renders):
            tab = Session(server.url)
            renders.append(await tab.open(plan.session_timeout))
            await tab.close()
        result["first_render"] = _run_summary(renders)
        await asyncio.sleep(1.0)
        result["rss_idle_bytes"] = server.rss()

        say(f"{plan.name}: {plan.reruns} reruns after a year change")
        tab = Session(server.url)
        await tab.open(plan.session_timeout)
        runs, cpu = [], []
        years = year_sequence(tab, plan.reruns)
        for year in years:
            before = server.cpu()
            runs.append(await tab.set_slider("Year", year, plan.session_timeout))
            await asyncio.sleep(0.05)  # the post-run work (GC) is counted in this rerun's CPU
            cpu.append(server.cpu() - before)
        await tab.close()
        result["rerun"] = _run_summary(runs) | {
            "server_cpu_s_median": statistics.median(cpu),
            "years": years,
        }

        say(f"{plan.name}: {plan.sessions} sessions opened at once")
        await asyncio.sleep(1.0)
        async with RssSampler(server) as sampler:
            start = time.perf_counter()
            sessions, outcomes = await open_at_once(server, plan.sessions, plan.session_timeout)
            wall = time.perf_counter() - start
            await asyncio.sleep(1.0)
            rss_open = server.rss()
            await close_all(sessions)
        times = [o.seconds for o in outcomes if isinstance(o, Run)]
        failures = [f for o in outcomes if (f := failure(o)) is not None]
        result["crowd"] = {
            "sessions": plan.sessions,
            "failed": len(failures),
            "failures": failures[:5],
            "first_render_s": [round(t, 3) for t in sorted(times)],
            "p95_s": percentile(times, 95),
            "median_s": statistics.median(times) if times else math.nan,
            "wall_s": wall,
            "rss_open_bytes": rss_open,
            "rss_peak_bytes": sampler.peak,
        }
    except (SessionError, OSError, TimeoutError, RuntimeError) as error:
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        log = server.stop()
        result["tracebacks"] = log.count("Traceback")
        result["log"] = str(server.log)
    return result
