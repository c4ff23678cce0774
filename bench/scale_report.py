"""The scale curve's table and targets (`python -m bench --scale`), from its JSON report."""

from __future__ import annotations

from collections.abc import Callable

from bench.measure import MB
from bench.report import KB, first_render_bytes, fmt, fmt_target, get, run_line

# Targets at the largest synthetic size (issue 24): the app stays near the empty page, a
# first render and a static first visit stay under 1.5 MB, and the map paints in at most
# twice today's time.
SCALE_TARGETS = {
    "rerun_vs_empty": 2.0,
    "first_render_bytes": 1.5 * MB,
    "static_first_visit_bytes": 1.5 * MB,
    "painted_vs_today": 2.0,
}

Pick = Callable[[dict], float | None]


def _app_first_render(subject: dict) -> float | None:
    """Websocket + app HTTP bytes of the first full render, as `python -m bench` counts them."""
    return first_render_bytes(subject.get("browser") or {})


ROWS: list[tuple[str, Pick, str]] = [
    ("Places", lambda s: get(s, "validation", "places"), "n"),
    ("Events", lambda s: get(s, "validation", "events"), "n"),
    ("Quotes", lambda s: get(s, "validation", "quotes"), "n"),
    ("Validation: read and check (median of 3)", lambda s: get(s, "validation", "median_s"), "s"),
    ("python -m geo.validate DIR, wall (with imports)",
     lambda s: get(s, "validation", "command_s"), "s"),
    ("Snapshot of one date, cache cleared (median over years)",
     lambda s: get(s, "snapshot", "median_s"), "ms"),
    ("Snapshot of one date (slowest year)", lambda s: get(s, "snapshot", "max_s"), "ms"),
    ("Boundaries build (python -m geo.boundaries build)",
     lambda s: get(s, "boundaries_build_s"), "s"),
    ("Served boundaries GeoJSON", lambda s: get(s, "geojson", "bytes"), "KB"),
    ("Same, gzip-compressed", lambda s: get(s, "geojson", "gzip_bytes"), "KB"),
    ("Its first part, fetched up front", lambda s: get(s, "geojson", "first_part_bytes"), "KB"),
    ("Same, gzip-compressed", lambda s: get(s, "geojson", "first_part_gzip_bytes"), "KB"),
    ("Largest state's city part", lambda s: get(s, "geojson", "largest_part_bytes"), "KB"),
    ("App: cold start", lambda s: get(s, "app", "cold_start_s"), "s"),
    ("App: first render of a new session (median)",
     lambda s: get(s, "app", "first_render", "median_s"), "s"),
    ("App: first render, websocket bytes", lambda s: get(s, "app", "first_render",
                                                         "wire_bytes_median"), "KB"),
    ("App: rerun after a year change (median)", lambda s: get(s, "app", "rerun", "median_s"), "s"),
    ("App: rerun (p90)", lambda s: get(s, "app", "rerun", "p90_s"), "s"),
    ("App: rerun, server CPU (median)",
     lambda s: get(s, "app", "rerun", "server_cpu_s_median"), "ms"),
    ("App: rerun, websocket bytes (median)",
     lambda s: get(s, "app", "rerun", "wire_bytes_median"), "KB"),
    ("App: rerun, websocket bytes (max)", lambda s: get(s, "app", "rerun", "wire_bytes_max"), "KB"),
    ("App: RSS idle", lambda s: get(s, "app", "rss_idle_bytes"), "MB"),
    ("App: sessions opened at once, p95 first render", lambda s: get(s, "app", "crowd", "p95_s"),
     "s"),
    ("App: sessions opened at once, RSS peak", lambda s: get(s, "app", "crowd", "rss_peak_bytes"),
     "MB"),
    ("Chromium: map painted, first visit (median)",
     lambda s: get(s, "browser", "ready_median_s"), "s"),
    ("Chromium: map painted, returning visit (median)",
     lambda s: get(s, "browser", "returning_ready_median_s"), "s"),
    ("Chromium: boundaries GeoJSON over HTTP", lambda s: get(s, "browser", "http_bytes",
                                                             "boundaries GeoJSON"), "KB"),
    ("Chromium: first render, websocket + app HTTP bytes", _app_first_render, "KB"),
    ("Static: site build (python -m geo.site build)", lambda s: get(s, "site_build_s"), "s"),
    ("Static: files index.html loads (on disk)",
     lambda s: get(s, "site_first_visit_files_bytes"), "KB"),
    ("Static: the same gzip-compressed", lambda s: get(s, "site_first_visit_gzip_bytes"), "KB"),
    ("Static: first visit, HTTP bytes received (no compression)",
     lambda s: get(s, "static_browser", "http_bytes_total"), "KB"),
    ("Static: map painted, first visit (median)",
     lambda s: get(s, "static_browser", "ready_median_s"), "s"),
]  # fmt: skip


def heading(key: str) -> str:
    return "today's data" if key == "today" else f"{int(key):,} places"


def scale_table(scale: dict) -> str:
    order: list[str] = list(scale["order"])
    subjects: dict[str, dict] = scale["subjects"]
    lines = [
        "| Measure | " + " | ".join(heading(k) for k in order) + " |",
        "|---|" + "---:|" * len(order),
    ]
    for label, pick, unit in ROWS:
        cells = [fmt(pick(subjects[k]), unit) for k in order]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    empty = get(scale["empty"], "rerun", "median_s")
    lines.append(f"\nThe empty page's rerun median (the floor), same run: {fmt(empty, 's')}.")
    return "\n".join(lines)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def scale_targets(scale: dict) -> list[dict[str, object]]:
    """Each target at each synthetic size: value, limit, pass (None: not measured)."""
    subjects: dict[str, dict] = scale["subjects"]
    today = subjects["today"]
    empty_rerun = get(scale["empty"], "rerun", "median_s")
    checks = []
    for key in scale["order"]:
        if key == "today":
            continue
        s = subjects[key]
        rows = [
            ("app rerun median / empty page's", "rerun_vs_empty", "x",
             _ratio(get(s, "app", "rerun", "median_s"), empty_rerun)),
            ("first render: websocket + app HTTP bytes", "first_render_bytes", "KB",
             _app_first_render(s)),
            ("static edition: first visit, bytes received", "static_first_visit_bytes", "KB",
             get(s, "static_browser", "http_bytes_total")),
            ("map painted / today's (medians, same run)", "painted_vs_today", "x",
             _ratio(get(s, "browser", "ready_median_s"), get(today, "browser", "ready_median_s"))),
        ]  # fmt: skip
        for name, limit_key, unit, value in rows:
            limit = SCALE_TARGETS[limit_key]
            verdict = None if value is None else value <= limit
            checks.append(
                {"size": key, "target": name, "value": value, "limit": limit, "unit": unit,
                 "pass": verdict}
            )  # fmt: skip
    return checks


def targets_table(checks: list[dict[str, object]]) -> str:
    lines = ["| Places | Target | value | limit | result |", "|---:|---|---:|---:|---|"]
    for c in checks:
        unit = str(c["unit"])
        verdict = {True: "pass", False: "MISS", None: "not measured"}[c["pass"]]
        lines.append(
            f"| {int(str(c['size'])):,} | {c['target']} | {fmt_target(c['value'], unit)} | "
            f"at most {fmt_target(c['limit'], unit)} | {verdict} |"
        )
    return "\n".join(lines)


def print_scale_report(report: dict) -> None:
    print(scale_table(report["scale"]))
    print()
    print(targets_table(report.get("targets") or scale_targets(report["scale"])))
    print()
    print(f"{run_line(report)} KB = {KB:,} bytes, MB = {MB:,} bytes.")
