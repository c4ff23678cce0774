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
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench import browser, static
from bench.measure import MB, Plan, measure_app
from bench.server import Server, build_boundaries, offline_env

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_CENSUS = ROOT.parent / "shared" / "census"
DEFAULT_OUT = ROOT / "artifacts" / "bench.json"
KB = 1000

TARGETS = {
    "rerun_vs_empty": 2.0,  # ours' rerun median at most 2x the empty page's
    "rerun_vs_baseline": 5.0,  # and at least 5x faster than the baseline's
    "rerun_bytes": 150 * KB,
    "first_render_bytes": 800 * KB,
    "crowd_p95_s": 3.0,
    "crowd_rss_bytes": 350 * MB,
    "cold_start_s": 5.0,
    "painted_s": 2.5,
    "static_vs_ours_painted": 0.35,  # the static map painted in at most 0.35x ours' time
    "static_first_visit_bytes": 600 * KB,
}
LOAD_REQUESTS, LOAD_CONCURRENCY = 1000, 50


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def census_dir() -> Path:
    return Path(os.environ.get("FRT_CENSUS_SOURCE") or DEFAULT_CENSUS)


def machine() -> dict[str, object]:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    packages = ("streamlit", "streamlit-folium", "folium", "geopandas", "playwright")
    return {
        "nproc": os.cpu_count(),
        "memory_bytes": int(meminfo[1]) * 1024,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in packages},
        "chromium": browser.CHROMIUM if Path(browser.CHROMIUM).exists() else None,
    }


# --- the table -----------------------------------------------------------------------------


def _get(result: dict, *path: str) -> float | None:
    value: object = result
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, int | float) else None


ROWS = [
    # label, path, unit ("s", "ms", "KB", "MB", "n")
    ("Cold start: process start to first finished run", ("cold_start_s",), "s"),
    ("First render of a new session (median)", ("first_render", "median_s"), "s"),
    ("First render: websocket bytes", ("first_render", "wire_bytes_median"), "KB"),
    ("Rerun after a year change (median)", ("rerun", "median_s"), "s"),
    ("Rerun after a year change (p90)", ("rerun", "p90_s"), "s"),
    ("Rerun: server CPU (median)", ("rerun", "server_cpu_s_median"), "ms"),
    ("Rerun: websocket bytes (median)", ("rerun", "wire_bytes_median"), "KB"),
    ("Rerun: websocket bytes (max)", ("rerun", "wire_bytes_max"), "KB"),
    ("RSS idle", ("rss_idle_bytes",), "MB"),
    ("RSS with the crowd's sessions open", ("crowd", "rss_open_bytes"), "MB"),
    ("RSS peak while they open", ("crowd", "rss_peak_bytes"), "MB"),
    ("Sessions opened at once: p95 first render", ("crowd", "p95_s"), "s"),
    ("Sessions opened at once: median first render", ("crowd", "median_s"), "s"),
    ("Sessions opened at once: failed", ("crowd", "failed"), "n"),
    ("Tracebacks in the server log", ("tracebacks",), "n"),
]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    scaled = {"s": value, "ms": value * 1000, "KB": value / KB, "MB": value / MB, "n": value}
    number = scaled[unit]
    if unit == "n":
        return f"{number:.0f}"
    if unit in ("KB", "MB", "ms"):
        return f"{number:,.0f} {unit}" if number >= 10 else f"{number:.1f} {unit}"
    return f"{number:.3f} s" if number < 10 else f"{number:.1f} s"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def table(results: dict[str, dict]) -> str:
    ours, base, empty = (results.get(k, {}) for k in ("ours", "baseline", "empty"))
    lines = [
        "| Measure | ours | baseline | empty | ours / baseline | ours / empty |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, path, unit in ROWS:
        values = [_get(r, *path) for r in (ours, base, empty)]
        ratios = (
            ("", "")
            if unit == "n"
            else (_ratio(values[0], values[1]), _ratio(values[0], values[2]))
        )
        cells = [_fmt(v, unit) for v in values]
        lines.append(f"| {label} | {' | '.join(cells)} | {ratios[0]} | {ratios[1]} |")
    return "\n".join(lines)


def browser_table(results: dict[str, dict]) -> str:
    ours = results.get("ours", {}).get("browser") or {}
    empty = results.get("empty", {}).get("browser") or {}
    if not ours:
        return "(Chromium not run)"
    lines = [
        "| Headless Chromium, first visit (empty cache) | ours | empty |",
        "|---|---:|---:|",
        f"| Navigation to ready: map painted (ours), slider shown (empty), median | "
        f"{_fmt(ours.get('ready_median_s'), 's')} | {_fmt(empty.get('ready_median_s'), 's')} |",
        f"| Same, fastest visit | {_fmt(ours.get('ready_min_s'), 's')} | "
        f"{_fmt(empty.get('ready_min_s'), 's')} |",
        f"| Ours minus empty, median of back-to-back pairs | "
        f"{_fmt(ours.get('paired_difference_s'), 's')} | |",
        f"| Returning visitor (Streamlit's files in the HTTP cache), median | "
        f"{_fmt(ours.get('returning_ready_median_s'), 's')} | "
        f"{_fmt(empty.get('returning_ready_median_s'), 's')} |",
        f"| Renderer main-thread busy until ready (CDP TaskDuration), median | "
        f"{_fmt(_get(ours, 'main_thread_s_median', 'TaskDuration'), 's')} | "
        f"{_fmt(_get(empty, 'main_thread_s_median', 'TaskDuration'), 's')} |",
    ]
    names = ["component HTML/JS", "Leaflet", "boundaries GeoJSON", "media"]
    names += ["Streamlit frontend", "Streamlit endpoints"]
    for name in names:
        a = ours.get("http_bytes", {}).get(name)
        b = empty.get("http_bytes", {}).get(name)
        lines.append(f"| HTTP: {name} | {_fmt(a, 'KB')} | {_fmt(b, 'KB')} |")
    lines.append(
        f"| Websocket bytes received (browser) | {_fmt(ours.get('ws_bytes'), 'KB')} | "
        f"{_fmt(empty.get('ws_bytes'), 'KB')} |"
    )
    lines.append(
        f"| App bytes of the first full render (websocket + HTTP beyond Streamlit's own) | "
        f"{_fmt(first_render_bytes(ours), 'KB')} | {_fmt(first_render_bytes(empty), 'KB')} |"
    )
    return "\n".join([*lines, "", *where_the_time_goes(ours, empty)])


def _lower_median(values: list[float] | None) -> float | None:
    """The median visit's own value (the lower middle), as the timeline is that visit's."""
    return sorted(values)[(len(values) - 1) // 2] if values else None


def where_the_time_goes(ours: dict, empty: dict) -> list[str]:
    """Milestones of the median first visit, in seconds after the first request."""
    ours_t = ours.get("timeline_s", {})

    def at(timeline: dict, name: str, end: int) -> float | None:
        return timeline[name][end] if name in timeline else None

    rows = [
        ("first websocket message (the first script run's output)",
         ours.get("first_websocket_message_s"), empty.get("first_websocket_message_s")),
        ("map frame requested", at(ours_t, "component HTML/JS", 0), None),
        ("Leaflet received", at(ours_t, "Leaflet", 1), None),
        ("boundaries received", at(ours_t, "boundaries GeoJSON", 1), None),
        ("ready: map painted (ours), slider shown (empty)",
         _lower_median(ours.get("ready_s")), _lower_median(empty.get("ready_s"))),
    ]  # fmt: skip
    lines = ["| Where the time goes (median first visit) | ours | empty |", "|---|---:|---:|"]
    lines += [f"| {label} | {_fmt(a, 's')} | {_fmt(b, 's')} |" for label, a, b in rows]
    return lines


def static_painted_ratio(results: dict[str, dict]) -> float | None:
    """The static map's median time to painted over ours', both from this run."""
    mine = _get(results.get("static", {}), "browser", "ready_median_s")
    ours = _get(results.get("ours", {}), "browser", "ready_median_s")
    return mine / ours if mine is not None and ours else None


def static_table(results: dict[str, dict]) -> str:
    mine = results.get("static", {})
    seen = mine.get("browser") or {}
    if not seen:
        return "(static edition not run in Chromium)"
    load = mine.get("load", {})
    ours = _get(results.get("ours", {}), "browser", "ready_median_s")
    rows = [
        ("Map painted on a first visit (median)", _fmt(seen.get("ready_median_s"), "s")),
        ("Same, fastest visit", _fmt(seen.get("ready_min_s"), "s")),
        ("Static / ours, map painted (medians, this run)",
         "-" if static_painted_ratio(results) is None
         else f"{static_painted_ratio(results):.2f}x (ours {_fmt(ours, 's')})"),
        ("Returning visitor (files in the HTTP cache), median",
         _fmt(seen.get("returning_ready_median_s"), "s")),
        ("Renderer main-thread busy until painted (CDP TaskDuration), median",
         _fmt(_get(seen, "main_thread_s_median", "TaskDuration"), "s")),
        ("HTTP bytes received by the time the map is painted (no compression)",
         _fmt(seen.get("http_bytes_at_ready"), "KB")),
        ("HTTP bytes received on the first visit in all (+0.3 s)",
         _fmt(seen.get("http_bytes_total"), "KB")),
    ]  # fmt: skip
    for name, size in sorted((seen.get("http_bytes") or {}).items(), key=lambda kv: -kv[1]):
        rows.append((f"HTTP: {name}", _fmt(size, "KB")))
    rows += [
        ("Files index.html's markup loads (sizes on disk)",
         _fmt(mine.get("first_visit_files_bytes"), "KB")),
        ("The same gzip-compressed, as a CDN or GitHub Pages sends them",
         _fmt(mine.get("first_visit_gzip_bytes"), "KB")),
        (f"Load check: {load.get('requests', 0):,} requests, {LOAD_CONCURRENCY} at a time, failed",
         _fmt(load.get("failed"), "n")),
        ("Load check: wall time", _fmt(load.get("seconds"), "s")),
        ("Site build (python -m geo.site build)", _fmt(mine.get("build_s"), "s")),
    ]  # fmt: skip
    lines = ["| Static edition, same run, headless Chromium | value |", "|---|---:|"]
    return "\n".join([*lines, *(f"| {label} | {value} |" for label, value in rows)])


def first_render_bytes(browser_result: dict) -> float | None:
    if not browser_result:
        return None
    return float(browser_result["ws_bytes"] + browser_result["http_bytes_app"])


def targets(results: dict[str, dict]) -> list[dict[str, object]]:
    ours, base, empty = (results.get(k, {}) for k in ("ours", "baseline", "empty"))
    rerun = _get(ours, "rerun", "median_s")
    empty_rerun = _get(empty, "rerun", "median_s")
    base_rerun = _get(base, "rerun", "median_s")
    rows = [
        # name, value, limit, unit, at least (else at most)
        ("rerun median / empty page's", rerun / empty_rerun if rerun and empty_rerun else None,
         TARGETS["rerun_vs_empty"], "x", False),
        ("baseline's rerun median / ours", base_rerun / rerun if rerun and base_rerun else None,
         TARGETS["rerun_vs_baseline"], "x", True),
        ("rerun websocket bytes (largest of the reruns)", _get(ours, "rerun", "wire_bytes_max"),
         TARGETS["rerun_bytes"], "KB", False),
        ("first full render: websocket + app HTTP bytes",
         first_render_bytes(ours.get("browser") or {}), TARGETS["first_render_bytes"], "KB", False),
        ("30 at once: p95 first render", _get(ours, "crowd", "p95_s"),
         TARGETS["crowd_p95_s"], "s", False),
        ("30 at once: failed sessions", _get(ours, "crowd", "failed"), 0, "n", False),
        ("30 at once: RSS peak", _get(ours, "crowd", "rss_peak_bytes"),
         TARGETS["crowd_rss_bytes"], "MB", False),
        ("cold start", _get(ours, "cold_start_s"), TARGETS["cold_start_s"], "s", False),
        ("map painted in Chromium (median)", _get(ours, "browser", "ready_median_s"),
         TARGETS["painted_s"], "s", False),
        ("static edition: map painted / ours' (medians, same run)", static_painted_ratio(results),
         TARGETS["static_vs_ours_painted"], "x", False),
        ("static edition: bytes received on a first visit (all)",
         _get(results.get("static", {}), "browser", "http_bytes_total"),
         TARGETS["static_first_visit_bytes"], "KB", False),
        ("static edition: load check, failed requests",
         _get(results.get("static", {}), "load", "failed"), 0, "n", False),
    ]  # fmt: skip
    checks = []
    for name, value, limit, unit, at_least in rows:
        ok = None if value is None else (value >= limit if at_least else value <= limit)
        checks.append(
            {"target": name, "value": value, "limit": limit, "unit": unit,
             "at_least": at_least, "pass": ok}
        )  # fmt: skip
    return checks


def _fmt_target(value: float | None, unit: str) -> str:
    if unit == "x":
        return "-" if value is None else f"{value:.2f}x"
    return _fmt(value, unit)


def targets_table(checks: list[dict[str, object]]) -> str:
    lines = ["| Target | value | limit | result |", "|---|---:|---:|---|"]
    for c in checks:
        unit = str(c.get("unit", "n"))
        limit = ("at least " if c.get("at_least") else "at most ") + _fmt_target(c["limit"], unit)
        verdict = {True: "pass", False: "MISS", None: "not measured"}[c["pass"]]
        lines.append(f"| {c['target']} | {_fmt_target(c['value'], unit)} | {limit} | {verdict} |")
    return "\n".join(lines)


def print_report(report: dict) -> None:
    results = report["results"]
    print(table(results))
    print()
    print(browser_table(results))
    print()
    print(static_table(results))
    print()
    print(targets_table(targets(results)))
    print()
    machine_info = report["machine"]
    before, after = report["load_average_before"], report["load_average_after"]
    print(
        f"{report['date']}, {machine_info['nproc']} CPUs, "
        f"{machine_info['memory_bytes'] / 2**30:.1f} GiB, load average "
        f"{before[0]:.2f} before and {after[0]:.2f} after; {report['elapsed_s']:.0f} s in all."
    )


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
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    parser.add_argument(
        "--print", type=Path, metavar="JSON", help="print the tables of an earlier run, run nothing"
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
            for server in servers.values():
                server.start()
            for server in servers.values():
                _cold, _run, session = await server.first_run()
                await session.close()
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
        print_report(json.loads(args.print.read_text()))
        return 0
    census = census_dir()
    if not census.is_dir():
        print(
            f"bench: no Census place files in {census}. The benchmark builds our boundaries from "
            "them (../shared/census beside the project, or set FRT_CENSUS_SOURCE to a folder).",
            file=sys.stderr,
        )
        return 2
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
