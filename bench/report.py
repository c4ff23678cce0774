"""The tables of `python -m bench`: figures from a run's JSON, as Markdown, and the targets."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

from bench import browser
from bench.measure import MB

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


def get(result: dict, *path: str) -> float | None:
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


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    scaled = {"s": value, "ms": value * 1000, "KB": value / KB, "MB": value / MB, "n": value}
    number = scaled[unit]
    if unit == "n":
        return f"{number:.0f}"
    if unit in ("KB", "MB", "ms"):
        return f"{number:,.0f} {unit}" if number >= 10 else f"{number:.1f} {unit}"
    return f"{number:.3f} s" if number < 10 else f"{number:.1f} s"


def ratio(a: float | None, b: float | None) -> str:
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
        values = [get(r, *path) for r in (ours, base, empty)]
        ratios = (
            ("", "") if unit == "n" else (ratio(values[0], values[1]), ratio(values[0], values[2]))
        )
        cells = [fmt(v, unit) for v in values]
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
        f"{fmt(ours.get('ready_median_s'), 's')} | {fmt(empty.get('ready_median_s'), 's')} |",
        f"| Same, fastest visit | {fmt(ours.get('ready_min_s'), 's')} | "
        f"{fmt(empty.get('ready_min_s'), 's')} |",
        f"| Same, as Playwright's polling wait saw it (from page.goto), median | "
        f"{fmt(ours.get('wall_ready_median_s'), 's')} | "
        f"{fmt(empty.get('wall_ready_median_s'), 's')} |",
        f"| Ours minus empty, median of back-to-back pairs | "
        f"{fmt(ours.get('paired_difference_s'), 's')} | |",
        f"| Returning visitor (Streamlit's files in the HTTP cache), median | "
        f"{fmt(ours.get('returning_ready_median_s'), 's')} | "
        f"{fmt(empty.get('returning_ready_median_s'), 's')} |",
        f"| Renderer main-thread busy until ready (CDP TaskDuration), median | "
        f"{fmt(get(ours, 'main_thread_s_median', 'TaskDuration'), 's')} | "
        f"{fmt(get(empty, 'main_thread_s_median', 'TaskDuration'), 's')} |",
    ]
    names = ["component HTML/JS", "Leaflet", "boundaries GeoJSON", "media"]
    names += ["Streamlit frontend", "Streamlit endpoints"]
    for name in names:
        a = ours.get("http_bytes", {}).get(name)
        b = empty.get("http_bytes", {}).get(name)
        lines.append(f"| HTTP: {name} | {fmt(a, 'KB')} | {fmt(b, 'KB')} |")
    lines.append(
        f"| Websocket bytes received (browser) | {fmt(ours.get('ws_bytes'), 'KB')} | "
        f"{fmt(empty.get('ws_bytes'), 'KB')} |"
    )
    lines.append(
        f"| App bytes of the first full render (websocket + HTTP beyond Streamlit's own) | "
        f"{fmt(first_render_bytes(ours), 'KB')} | {fmt(first_render_bytes(empty), 'KB')} |"
    )
    return "\n".join([*lines, "", *where_the_time_goes(ours, empty)])


def lower_median(values: list[float] | None) -> float | None:
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
         lower_median(ours.get("ready_s")), lower_median(empty.get("ready_s"))),
    ]  # fmt: skip
    lines = ["| Where the time goes (median first visit) | ours | empty |", "|---|---:|---:|"]
    lines += [f"| {label} | {fmt(a, 's')} | {fmt(b, 's')} |" for label, a, b in rows]
    return lines


def static_paintedratio(results: dict[str, dict]) -> float | None:
    """The static map's median time to painted over ours', both from this run."""
    mine = get(results.get("static", {}), "browser", "ready_median_s")
    ours = get(results.get("ours", {}), "browser", "ready_median_s")
    return mine / ours if mine is not None and ours else None


def static_table(results: dict[str, dict]) -> str:
    mine = results.get("static", {})
    seen = mine.get("browser") or {}
    if not seen:
        return "(static edition not run in Chromium)"
    load = mine.get("load", {})
    ours = get(results.get("ours", {}), "browser", "ready_median_s")
    rows = [
        ("Map painted on a first visit (median)", fmt(seen.get("ready_median_s"), "s")),
        ("Same, fastest visit", fmt(seen.get("ready_min_s"), "s")),
        ("Static / ours, map painted (medians, this run)",
         "-" if static_paintedratio(results) is None
         else f"{static_paintedratio(results):.2f}x (ours {fmt(ours, 's')})"),
        ("Returning visitor (files in the HTTP cache), median",
         fmt(seen.get("returning_ready_median_s"), "s")),
        ("Renderer main-thread busy until painted (CDP TaskDuration), median",
         fmt(get(seen, "main_thread_s_median", "TaskDuration"), "s")),
        ("HTTP bytes received by the time the map is painted (no compression)",
         fmt(seen.get("http_bytes_at_ready"), "KB")),
        ("HTTP bytes received on the first visit in all (+0.3 s)",
         fmt(seen.get("http_bytes_total"), "KB")),
    ]  # fmt: skip
    for name, size in sorted((seen.get("http_bytes") or {}).items(), key=lambda kv: -kv[1]):
        rows.append((f"HTTP: {name}", fmt(size, "KB")))
    rows += [
        ("Files index.html's markup loads (sizes on disk)",
         fmt(mine.get("first_visit_files_bytes"), "KB")),
        ("The same gzip-compressed, as a CDN or GitHub Pages sends them",
         fmt(mine.get("first_visit_gzip_bytes"), "KB")),
        (f"Load check: {load.get('requests', 0):,} requests, {LOAD_CONCURRENCY} at a time, failed",
         fmt(load.get("failed"), "n")),
        ("Load check: wall time", fmt(load.get("seconds"), "s")),
        ("Site build (python -m geo.site build)", fmt(mine.get("build_s"), "s")),
    ]  # fmt: skip
    lines = ["| Static edition, same run, headless Chromium | value |", "|---|---:|"]
    return "\n".join([*lines, *(f"| {label} | {value} |" for label, value in rows)])


def first_render_bytes(browser_result: dict) -> float | None:
    if not browser_result:
        return None
    return float(browser_result["ws_bytes"] + browser_result["http_bytes_app"])


def targets(results: dict[str, dict]) -> list[dict[str, object]]:
    ours, base, empty = (results.get(k, {}) for k in ("ours", "baseline", "empty"))
    rerun = get(ours, "rerun", "median_s")
    empty_rerun = get(empty, "rerun", "median_s")
    base_rerun = get(base, "rerun", "median_s")
    rows = [
        # name, value, limit, unit, at least (else at most)
        ("rerun median / empty page's", rerun / empty_rerun if rerun and empty_rerun else None,
         TARGETS["rerun_vs_empty"], "x", False),
        ("baseline's rerun median / ours", base_rerun / rerun if rerun and base_rerun else None,
         TARGETS["rerun_vs_baseline"], "x", True),
        ("rerun websocket bytes (largest of the reruns)", get(ours, "rerun", "wire_bytes_max"),
         TARGETS["rerun_bytes"], "KB", False),
        ("first full render: websocket + app HTTP bytes",
         first_render_bytes(ours.get("browser") or {}), TARGETS["first_render_bytes"], "KB", False),
        ("30 at once: p95 first render", get(ours, "crowd", "p95_s"),
         TARGETS["crowd_p95_s"], "s", False),
        ("30 at once: failed sessions", get(ours, "crowd", "failed"), 0, "n", False),
        ("30 at once: RSS peak", get(ours, "crowd", "rss_peak_bytes"),
         TARGETS["crowd_rss_bytes"], "MB", False),
        ("cold start", get(ours, "cold_start_s"), TARGETS["cold_start_s"], "s", False),
        ("map painted in Chromium (median)", get(ours, "browser", "ready_median_s"),
         TARGETS["painted_s"], "s", False),
        ("static edition: map painted / ours' (medians, same run)", static_paintedratio(results),
         TARGETS["static_vs_ours_painted"], "x", False),
        ("static edition: bytes received on a first visit (all)",
         get(results.get("static", {}), "browser", "http_bytes_total"),
         TARGETS["static_first_visit_bytes"], "KB", False),
        ("static edition: load check, failed requests",
         get(results.get("static", {}), "load", "failed"), 0, "n", False),
    ]  # fmt: skip
    checks = []
    for name, value, limit, unit, at_least in rows:
        ok = None if value is None else (value >= limit if at_least else value <= limit)
        checks.append(
            {"target": name, "value": value, "limit": limit, "unit": unit,
             "at_least": at_least, "pass": ok}
        )  # fmt: skip
    return checks


def fmt_target(value: float | None, unit: str) -> str:
    if unit == "x":
        return "-" if value is None else f"{value:.2f}x"
    return fmt(value, unit)


def targets_table(checks: list[dict[str, object]]) -> str:
    lines = ["| Target | value | limit | result |", "|---|---:|---:|---|"]
    for c in checks:
        unit = str(c.get("unit", "n"))
        limit = ("at least " if c.get("at_least") else "at most ") + fmt_target(c["limit"], unit)
        verdict = {True: "pass", False: "MISS", None: "not measured"}[c["pass"]]
        lines.append(f"| {c['target']} | {fmt_target(c['value'], unit)} | {limit} | {verdict} |")
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
    print(run_line(report))


def run_line(report: dict) -> str:
    """When and where a run was made: its date, the machine, its load before and after."""
    info = report["machine"]
    before, after = report["load_average_before"], report["load_average_after"]
    return (
        f"{report['date']}, {info['nproc']} CPUs, {info['memory_bytes'] / 2**30:.1f} GiB, "
        f"load average {before[0]:.2f} before and {after[0]:.2f} after; "
        f"{report['elapsed_s']:.0f} s in all."
    )
