"""`python -m bench`: our app against a naive baseline and an empty page, on loopback.

One run starts three Streamlit servers in turn on 127.0.0.1, all on the same data and the
same `.streamlit/config.toml`:

- ours      app.py, with boundaries built into a temporary cache from ../shared/census;
- baseline  bench/baseline_app.py: raw polygons in a folium GeoJson rebuilt on every rerun;
- empty     bench/empty_app.py: one slider, the floor of any Streamlit page;

and the static edition (`python -m geo.site build`, bench/static.py) from a plain static
server (`python -m http.server`, its own process) on 127.0.0.1:

- static    index.html, the same map as files, the same boundaries.

Server-side figures come from bench/client.py, which speaks Streamlit's websocket protocol as
a browser tab does (message cache included). Ours, the empty page and the static map are also
loaded in headless Chromium (bench/browser.py), their first visits interleaved, for the time to
a painted map and the HTTP bytes; the static server then takes a bounded load check (1,000
requests, 50 at a time). It prints the tables (Markdown) and writes artifacts/bench.json.
About 5 to 8 minutes on 2 cores.

`python -m bench --scale 1000,5000` runs the scale curve instead (bench/scale.py): today's data
beside synthetic datasets of that many real Census places (bench/synthetic.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import browser, scale, static
from bench.measure import Plan, measure_app
from bench.report import LOAD_CONCURRENCY, LOAD_REQUESTS, machine, print_report, targets
from bench.scale_report import print_scale_report
from bench.server import Server, build_boundaries, census_dir, offline_env, start_all

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_OUT = ROOT / "artifacts" / "bench.json"


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the run -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--reruns", type=int, default=15, help="year changes timed per app")
    parser.add_argument("--sessions", type=int, default=30, help="sessions opened at once")
    parser.add_argument("--visits", type=int, default=5, help="Chromium first visits per app")
    parser.add_argument(
        "--apps", default="empty,ours,baseline,static", help="comma-separated subset"
    )
    parser.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    parser.add_argument(
        "--out", type=Path, help="the JSON file to write (artifacts/bench.json, or scale.json)"
    )
    parser.add_argument(
        "--print", type=Path, metavar="JSON", help="print the tables of an earlier run, run nothing"
    )
    parser.add_argument(
        "--scale",
        metavar="SIZES",
        help="the scale curve instead (bench/scale.py): today's data beside synthetic datasets "
        "of these numbers of real Census places, e.g. 1000,5000",
    )
    return parser


def static_files(site: Path) -> dict[str, object]:
    """What index.html's markup loads before anyone does anything: sizes, and gzipped."""
    files = static.first_visit_files(site)
    return {
        "first_visit_files": {p.name: p.stat().st_size for p in files},
        "first_visit_files_bytes": sum(p.stat().st_size for p in files),
        "first_visit_gzip_bytes": sum(static.gzip_size(p) for p in files),
    }


async def browser_phase(
    names: list[str], env: dict[str, str], logs: Path, visits: int, site: Path | None = None
) -> dict[str, dict]:
    """Every server up at once (the static site too, when `site` is given), first visits
    interleaved (see bench/browser.py); then the load check on the static server."""
    scripts = {"ours": (ROOT / "app.py", browser.MAP_READY),
               "empty": (BENCH / "empty_app.py", browser.SLIDER_READY)}  # fmt: skip
    servers = {n: Server(scripts[n][0], env, logs / f"{n}-browser.log") for n in names}
    results: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        try:
            await start_all(servers.values())
            targets = [(n, servers[n].url, scripts[n][1]) for n in names]
            kinds = {}
            if site is not None:
                url = stack.enter_context(static.serve_process(site, logs / "static-server.log"))
                targets.append(("static", f"{url}/index.html", static.STATIC_READY))
                kinds["static"] = static.static_category
            results = await browser.measure(targets, visits, kinds)
            if site is not None:
                say(f"static: {LOAD_REQUESTS:,} requests, {LOAD_CONCURRENCY} at a time")
                load = await asyncio.to_thread(
                    static.load_check, url, static.site_files(site),
                    total=LOAD_REQUESTS, concurrency=LOAD_CONCURRENCY,
                )  # fmt: skip
                results["static"]["load"] = {
                    "requests": load.requests, "failed": len(load.failures),
                    "failures": list(load.failures[:20]), "seconds": load.seconds,
                    "bytes": load.bytes,
                }  # fmt: skip
        finally:
            server_logs = {name: server.stop() for name, server in servers.items()}
    for name, text in server_logs.items():
        results.setdefault(name, {})["tracebacks"] = text.count("Traceback")
    return results


async def run(args: argparse.Namespace, env: dict[str, str], logs: Path) -> dict[str, dict]:
    plans = {
        "empty": Plan("empty", BENCH / "empty_app.py"),
        "ours": Plan("ours", ROOT / "app.py"),
        "baseline": Plan("baseline", BENCH / "baseline_app.py"),
    }
    names = [name.strip() for name in args.apps.split(",")]
    results: dict[str, dict] = {}
    for name in names:
        if name == "static":
            continue  # no Streamlit server: measured in Chromium and by the load check below
        plan = plans[name]
        plan.reruns, plan.sessions = args.reruns, args.sessions
        results[name] = await measure_app(plan, env, logs, say)
        if "error" in results[name]:
            say(f"{name}: {results[name]['error']}")
    in_browser = [n for n in ("ours", "empty") if n in names]
    site = None
    if "static" in names:
        site = Path(env["FRT_CACHE_DIR"]) / "static-site"
        say(f"static: python -m geo.site build {site}")
        results["static"] = {"build_s": static.build_site(env, site), **static_files(site)}
    if args.no_browser or not Path(browser.CHROMIUM).exists():
        say("headless Chromium not used (--no-browser, or no /usr/bin/chromium)")
    elif in_browser or site is not None:
        shown = " and ".join([*in_browser, *(["static"] if site else [])])
        say(f"{shown}: {args.visits} first visits each in headless Chromium")
        measured_all = await browser_phase(in_browser, env, logs, args.visits, site)
        for name, measured in measured_all.items():
            load = measured.pop("load", None)
            results.setdefault(name, {})["browser"] = measured
            if load is not None:
                results[name]["load"] = load
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.print is not None:
        earlier = json.loads(args.print.read_text())
        (print_scale_report if "scale" in earlier else print_report)(earlier)
        return 0
    census = census_dir()
    if not census.is_dir():
        print(
            f"bench: no Census place files in {census}. The benchmark builds our boundaries from "
            "them (../shared/census beside the project, or set FRT_CENSUS_SOURCE to a folder).",
            file=sys.stderr,
        )
        return 2
    if args.scale:
        try:
            scale.parse_sizes(args.scale)
        except ValueError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 2
        return scale.main(args, census, say)
    args.out = args.out or DEFAULT_OUT
    started = time.perf_counter()
    load_before = os.getloadavg()
    logs = ROOT / "artifacts" / "bench-logs"
    with tempfile.TemporaryDirectory(prefix="frt-bench-") as cache:
        env = offline_env(cache, census)
        say(f"building boundaries from {census} into {cache}")
        build_s = build_boundaries(env)
        results = asyncio.run(run(args, env, logs))
    checks = targets(results)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "boundaries_build_s": build_s,
        "elapsed_s": time.perf_counter() - started,
        "targets": checks,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print_report(report)
    print(f"JSON: {args.out}")
    failed = [r for r in results.values() if "error" in r]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
