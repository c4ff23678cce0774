"""`make lighthouse`: Lighthouse 12.2.3 on the static edition's pages and the app's map page.

`python -m bench.lighthouse` builds the boundaries from ../shared/census into a temporary
cache, builds the static edition from them and serves it with `python -m http.server`, starts
the app (and the empty Streamlit page, the floor: bench/empty_app.py) on 127.0.0.1, and runs
the Lighthouse CLI installed from tests/tools/package-lock.json on every page with
the mobile and the desktop preset, one Chromium each (Debian's, headless; every host but
127.0.0.1 resolves to nothing). It prints one table, writes every report's scores and metrics to
artifacts/lighthouse.json and, unless --no-write, puts the table in BENCHMARKS.md between the
markers of its "Lighthouse" section, with the date and the machine's load.

The suite (tests/browser/test_lighthouse_browser.py) runs the same commands with the
deterministic categories only and holds them at FLOORS; performance is measured here, never
in a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import static
from bench.browser import CHROMIUM, CHROMIUM_FLAGS
from bench.server import ROOT, Server, build_boundaries, census_dir, offline_env, start_all

TOOLS = ROOT / "tests" / "tools" / "node_modules" / ".bin"
LIGHTHOUSE = TOOLS / "lighthouse"
BENCHMARKS = ROOT / "BENCHMARKS.md"
DEFAULT_OUT = ROOT / "artifacts" / "lighthouse.json"
BEGIN, END = "<!-- lighthouse:begin -->", "<!-- lighthouse:end -->"

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DETERMINISTIC = ("accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
# Every host but loopback resolves to nothing: a page that reached out would show it as a
# failed request (and a lower best-practices score), never as a fetch from the internet.
LOOPBACK_ONLY = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'
METRICS = {
    "first-contentful-paint": "FCP s",
    "largest-contentful-paint": "LCP s",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
    "total-byte-weight": "KB",
}


@dataclass(frozen=True)
class Target:
    """A page to audit: `kind` is static (a path in the site), app or empty (a URL path)."""

    name: str
    kind: str
    path: str


STATIC_TARGETS = (
    Target("Static: map (index.html)", "static", "index.html"),
    Target("Static: places", "static", "places.html"),
    Target("Static: a place (San Francisco)", "static", "place/ca-san-francisco.html"),
    Target("Static: quotes", "static", "quotes.html"),
)
APP_TARGET = Target("App: map page", "app", "/")
EMPTY_TARGET = Target("Empty Streamlit page (the floor)", "empty", "/")
TARGETS = (*STATIC_TARGETS, APP_TARGET, EMPTY_TARGET)

# The levels issue 22 asks for, which the suite holds (scores out of 100; performance is
# measured and written down, never held by a test). The empty page is context, not a target.
FLOORS: Mapping[str, Mapping[str, int]] = {
    "static": {"accessibility": 100, "best-practices": 100, "seo": 100},
    "app": {"accessibility": 100, "best-practices": 100, "seo": 90},
}
PERFORMANCE_GOAL = 95  # the static pages, mobile preset


def lighthouse_command(url: str, preset: str, categories: Sequence[str], out: Path) -> list[str]:
    """The CLI call: JSON report to `out`, Debian Chromium with the project's flags."""
    flags = " ".join([*CHROMIUM_FLAGS, LOOPBACK_ONLY])
    command = [
        str(LIGHTHOUSE), url, f"--only-categories={','.join(categories)}",
        "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={flags}",
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    return [*command, "--preset=desktop"] if preset == "desktop" else command


def scores(report: Mapping[str, object]) -> dict[str, int]:
    """Category id -> score out of 100 (a category Lighthouse could not score is left out)."""
    categories = report["categories"]
    assert isinstance(categories, dict)
    return {
        key: round(category["score"] * 100)
        for key, category in categories.items()
        if category.get("score") is not None
    }


def failed_audits(report: Mapping[str, object], category: str) -> list[str]:
    """The audits that cost `category` points: 'id: title' each, for a test's message."""
    audits = report["audits"]
    categories = report["categories"]
    assert isinstance(audits, dict) and isinstance(categories, dict)
    failed = []
    for ref in categories[category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            failed.append(f"{ref['id']}: {audit['title']}")
    return failed


def metrics(report: Mapping[str, object]) -> dict[str, float]:
    """The timing and weight figures of a report that ran performance (seconds, ms, KB)."""
    audits = report["audits"]
    assert isinstance(audits, dict)
    found: dict[str, float] = {}
    for audit_id, label in METRICS.items():
        value = audits.get(audit_id, {}).get("numericValue")
        if value is None:
            continue
        if label.endswith(" s"):
            value = value / 1000
        elif label == "KB":
            value = value / 1024
        found[label] = value
    return found


def audit(url: str, preset: str, categories: Sequence[str], work: Path) -> dict:
    """Run Lighthouse once; the parsed JSON report. Raises with its output when it fails."""
    out = work / f"report-{time.monotonic_ns()}.json"
    done = subprocess.run(
        lighthouse_command(url, preset, categories, out),
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse {url} ({preset}) exited {done.returncode}:\n"
                           f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))


# --- make lighthouse ------------------------------------------------------------------------


@contextlib.contextmanager
def serving(census: Path, work: Path) -> Iterator[dict[str, str]]:
    """Every page's server up: kind -> base URL (the static site's folder URL for 'static')."""
    env = offline_env(work / "cache", census)
    build_boundaries(env)
    site = work / "site"
    static.build_site(env, site)
    logs = ROOT / "artifacts" / "lighthouse-logs"
    servers = {
        "app": Server(ROOT / "app.py", env, logs / "app.log"),
        "empty": Server(ROOT / "bench" / "empty_app.py", env, logs / "empty.log"),
    }
    with static.serve_process(site, logs / "static-server.log") as site_url:
        try:
            asyncio.run(start_all(servers.values()))
            yield {"static": site_url, **{k: s.url for k, s in servers.items()}}
        finally:
            for server in servers.values():
                server.stop()


def target_url(bases: Mapping[str, str], target: Target) -> str:
    base = bases[target.kind]
    return f"{base}/{target.path}" if target.kind == "static" else f"{base}{target.path}"


def table(results: Sequence[Mapping[str, object]]) -> str:
    """One Markdown row per page and preset: the four scores, then the metrics."""
    head = ["Page", "Preset", "Perf.", "A11y", "Best pr.", "SEO", *METRICS.values()]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for row in results:
        got = row["scores"]
        measured = row["metrics"]
        assert isinstance(got, dict) and isinstance(measured, dict)
        cells = [str(row["page"]), str(row["preset"])]
        cells += [str(got.get(c, "-")) for c in CATEGORIES]
        for label in METRICS.values():
            value = measured.get(label)
            cells.append("-" if value is None else _shown(label, value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _shown(label: str, value: float) -> str:
    if label == "CLS":
        return f"{value:.3f}"
    if label.endswith(" s"):
        return f"{value:.1f}"
    return f"{value:,.0f}"


def write_section(text: str, benchmarks: Path = BENCHMARKS) -> None:
    """Replace what stands between the Lighthouse markers in BENCHMARKS.md."""
    current = benchmarks.read_text(encoding="utf-8")
    start, end = current.index(BEGIN) + len(BEGIN), current.index(END)
    benchmarks.write_text(current[:start] + "\n" + text + "\n" + current[end:], encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--presets", default=",".join(PRESETS), help="mobile,desktop")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    census = census_dir()
    if not LIGHTHOUSE.exists():
        print(
            "bench.lighthouse: run `make browser-deps` first (installs Lighthouse)", file=sys.stderr
        )
        return 2
    if not census.is_dir():
        print(f"bench.lighthouse: no Census place files in {census}", file=sys.stderr)
        return 2
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    load_before = os.getloadavg()[0]
    started = datetime.now(UTC)
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="frt-lighthouse-") as temp:
        work = Path(temp)
        with serving(census, work) as bases:
            for target in TARGETS:
                for preset in presets:
                    print(f"[lighthouse] {target.name} ({preset})", file=sys.stderr, flush=True)
                    report = audit(target_url(bases, target), preset, CATEGORIES, work)
                    results.append({
                        "page": target.name, "kind": target.kind, "path": target.path,
                        "preset": preset, "scores": scores(report), "metrics": metrics(report),
                        "lighthouse": report.get("lighthouseVersion"),
                    })  # fmt: skip
    load_after = os.getloadavg()[0]
    shown = table(results)
    when = (
        f"{started:%d %B %Y, %H:%M} UTC, `make lighthouse` (Lighthouse "
        f"{results[0]['lighthouse'] if results else '?'}, Debian Chromium headless, "
        f"{os.cpu_count()} CPUs); load average {load_before:.2f} before, {load_after:.2f} after."
    )
    print(when)
    print(shown)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    record = {"started": started.isoformat(), "load": [load_before, load_after], "runs": results}
    args.out.write_text(json.dumps(record, indent=2), encoding="utf-8")
    if not args.no_write:
        write_section(when + "\n\n" + shown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
