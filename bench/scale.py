"""`python -m bench --scale 1000,5000`: the curve from today's data to thousands of places.

For today's data (data/) and a synthetic dataset of each size N (bench/synthetic.py: N real
Census places, about ten events each, kinds spread as in data/events.csv), written into a
temporary folder that is removed at the end (it is built from Census files: never committed):

- validation: `check_dataset` in this process (median of 3), and `python -m geo.validate DIR`
  once, which must pass;
- the fold: `geo.timeline.snapshot` on every year's date, its cache cleared before each;
- the boundaries build (`python -m geo.boundaries build`, with a byte budget raised for the
  synthetic data only) and the GeoJSON it serves;
- the app on that data (FRT_DATA_DIR): bench.measure's figures (cold start, first render,
  reruns after a year change with their bytes and CPU, RSS, sessions opened at once), beside
  the empty page's rerun (the floor);
- the static edition: `python -m geo.site build` time and the files its first visit loads;
- in headless Chromium, every app and static site up at once, their first visits interleaved
  (bench/browser.py): map painted, first-render bytes, the static edition's bytes and paint.

It prints a table and the targets (bench/scale_report.py) and writes artifacts/scale.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bench import browser, static, synthetic
from bench.measure import Plan, measure_app
from bench.report import machine
from bench.scale_report import print_scale_report, scale_targets
from bench.server import ROOT, Server, build_boundaries, offline_env, start_all
from geo.boundaries.parts import city_states
from geo.mapview import boundary_files
from geo.records import check_dataset, load_dataset
from geo.timeline import snapshot, year_end, year_range

DEFAULT_OUT = ROOT / "artifacts" / "scale.json"
SYNTHETIC_BUDGET = 10**9  # bytes: the synthetic data's GeoJSON is measured, not judged
VALIDATION_REPEATS = 3
TODAY = "today"

Say = Callable[[str], None]


@dataclass(frozen=True)
class Subject:
    """One dataset on the curve: its key ('today' or the number of places), its folder, and
    the settings its app, builds and static site run with."""

    key: str
    data: Path
    env: dict[str, str]
    synthetic: bool

    @property
    def site(self) -> Path:
        return Path(self.env["FRT_CACHE_DIR"]) / "static-site"


def parse_sizes(text: str) -> list[int]:
    """'1000,5000' -> [1000, 5000]; every size a positive whole number."""
    sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if not sizes or any(size <= 0 for size in sizes):
        raise ValueError(f"--scale takes sizes such as 1000,5000, not {text!r}")
    return sizes


def subjects(work: Path, census: Path, sizes: list[int], say: Say) -> list[Subject]:
    """Today's data, then a synthetic dataset per size, each with its own boundary cache."""
    real = load_dataset(ROOT / "data")
    found = [
        Subject(TODAY, ROOT / "data", _env(work / "cache-today", census, ROOT / "data"), False)
    ]
    for size in sizes:
        folder = work / f"data-{size}"
        say(f"{size:,} places: writing a synthetic dataset into {folder}")
        synthetic.build(folder, census, size, real)
        found.append(Subject(str(size), folder, _env(work / f"cache-{size}", census, folder), True))
    return found


def _env(cache: Path, census: Path, data: Path) -> dict[str, str]:
    return {**offline_env(cache, census), "FRT_DATA_DIR": str(data)}


def validation(subject: Subject) -> dict[str, object]:
    """Seconds to read and validate the folder (in this process), and the command's verdict."""
    seconds, problems = [], 0
    for _ in range(VALIDATION_REPEATS):
        start = time.perf_counter()
        dataset, found = check_dataset(subject.data)
        seconds.append(time.perf_counter() - start)
        problems = len(found)
    start = time.perf_counter()
    command = subprocess.run(
        [sys.executable, "-m", "geo.validate", str(subject.data)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return {
        "seconds": seconds,
        "median_s": statistics.median(seconds),
        "problems": problems,
        "command_exit": command.returncode,
        "command_s": time.perf_counter() - start,
        "command_output": (command.stdout + command.stderr)[-2000:],
        "places": len(dataset.jurisdictions),
        "events": len(dataset.events),
        "quotes": len(dataset.quotes),
    }


def snapshots(subject: Subject, today: date) -> dict[str, object]:
    """`snapshot` on each year's date (31 December, or today), its cache cleared before each
    call; the dataset is hashed first, as the app's cached dataset has been."""
    dataset = load_dataset(subject.data)
    hash(dataset)
    first, last = year_range(dataset.events, today)
    timed = {}
    for year in range(first, last + 1):
        snapshot.cache_clear()
        start = time.perf_counter()
        snapshot(dataset, year_end(year, today))
        timed[str(year)] = time.perf_counter() - start
    snapshot.cache_clear()
    return {
        "per_year_s": timed,
        "median_s": statistics.median(timed.values()),
        "max_s": max(timed.values()),
    }


def served_geojson(subject: Subject) -> dict[str, int]:
    """The boundaries the map fetches: the whole GeoJSON, and in parts (geo.boundaries.parts)
    the first part, which a first visit fetches, and the largest state's cities."""
    served = sorted((Path(subject.env["FRT_CACHE_DIR"]) / "boundaries" / "served").glob("*"))
    if not served:
        return {}
    whole = served[-1].read_bytes()
    states = city_states(load_dataset(subject.data).jurisdictions)
    first, files = boundary_files(whole, states)
    parts = [body for name, body in files.items() if name != first]
    return {
        "bytes": len(whole),
        "gzip_bytes": static.gzip_size(served[-1]),
        "first_part_bytes": len(files[first]),
        "first_part_gzip_bytes": len(gzip.compress(files[first])),
        "city_parts": len(parts),
        "largest_part_bytes": max(map(len, parts), default=0),
    }


def offline_parts(subject: Subject, today: date, say: Say) -> dict[str, object]:
    """Everything measured without a server: validation, the fold, the two builds."""
    say(f"{subject.key}: validation")
    result: dict[str, object] = {"validation": validation(subject)}
    say(f"{subject.key}: snapshot per date")
    result["snapshot"] = snapshots(subject, today)
    say(f"{subject.key}: boundaries build")
    budget = SYNTHETIC_BUDGET if subject.synthetic else None
    result["boundaries_build_s"] = build_boundaries(subject.env, budget)
    result["geojson"] = served_geojson(subject)
    say(f"{subject.key}: python -m geo.site build")
    result["site_build_s"] = static.build_site(subject.env, subject.site)
    files = static.first_visit_files(subject.site)
    result["site_first_visit_files_bytes"] = sum(p.stat().st_size for p in files)
    result["site_first_visit_gzip_bytes"] = sum(static.gzip_size(p) for p in files)
    return result


async def browser_phase(found: list[Subject], logs: Path, visits: int) -> dict[str, dict]:
    """Every app and static site up at once; first visits interleaved across all of them, so
    the load of a shared machine falls on today's data and the synthetic data alike."""
    servers = {
        s.key: Server(ROOT / "app.py", s.env, logs / f"ours-{s.key}-browser.log") for s in found
    }
    results: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        try:
            await start_all(servers.values(), timeout=600)
            targets, kinds = [], {}
            for s in found:
                site_log = logs / f"static-{s.key}-server.log"
                url = stack.enter_context(static.serve_process(s.site, site_log))
                targets.append((f"ours:{s.key}", servers[s.key].url, browser.MAP_READY))
                targets.append((f"static:{s.key}", f"{url}/index.html", static.STATIC_READY))
                kinds[f"static:{s.key}"] = static.static_category
            results = await browser.measure(targets, visits, kinds)
        finally:
            for server in servers.values():
                server.stop()
    return results


async def app_phase(found: list[Subject], args: argparse.Namespace, logs: Path, say: Say):
    """bench.measure on the empty page (the floor), then on our app with each dataset."""
    plans = [(None, Plan("empty", ROOT / "bench" / "empty_app.py"))]
    plans += [(s, Plan(f"ours-{s.key}", ROOT / "app.py")) for s in found]
    measured: dict[str, dict] = {}
    for subject, plan in plans:
        plan.reruns, plan.sessions, plan.session_timeout = args.reruns, args.sessions, 600.0
        env = subject.env if subject else found[0].env
        measured[plan.name] = await measure_app(plan, env, logs, say)
        if "error" in measured[plan.name]:
            say(f"{plan.name}: {measured[plan.name]['error']}")
    return measured


def run(args: argparse.Namespace, census: Path, say: Say) -> dict[str, object]:
    logs = (args.out or DEFAULT_OUT).parent / "scale-logs"  # beside the JSON
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="frt-scale-") as work:
        found = subjects(Path(work), census, parse_sizes(args.scale), say)
        results = {s.key: offline_parts(s, today, say) for s in found}
        apps = asyncio.run(app_phase(found, args, logs, say))
        for s in found:
            results[s.key]["app"] = apps[f"ours-{s.key}"]
        seen: dict[str, dict] = {}
        if args.no_browser or not Path(browser.CHROMIUM).exists():
            say("headless Chromium not used (--no-browser, or no Chromium)")
        else:
            say(f"Chromium: {args.visits} first visits to each app and static site, interleaved")
            seen = asyncio.run(browser_phase(found, logs, args.visits))
        for s in found:
            results[s.key]["browser"] = seen.get(f"ours:{s.key}", {})
            results[s.key]["static_browser"] = seen.get(f"static:{s.key}", {})
    return {"order": [s.key for s in found], "subjects": results, "empty": apps["empty"]}


def main(args: argparse.Namespace, census: Path, say: Say) -> int:
    """The scale curve; exit 1 when a dataset fails validation or an app run fails."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    scale = run(args, census, say)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "elapsed_s": time.perf_counter() - started,
        "scale": scale,
    }
    report["targets"] = scale_targets(scale)
    out = args.out or DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print_scale_report(report)
    print(f"JSON: {out}")
    measured = [*scale["subjects"].values()]
    invalid = any(s["validation"]["command_exit"] != 0 for s in measured)
    failed = any("error" in run for run in [*(s["app"] for s in measured), scale["empty"]])
    return 1 if invalid or failed else 0
