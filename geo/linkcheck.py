"""Link checker: `python -m geo.linkcheck [--out DIR] [DATA_DIR]`.

Checks every `source_url` and `read_url` in the data (events, quotes, tallies) once, politely:
one request at a time per host (hosts in parallel), a pause between requests to the same host,
a timeout, and retries with backoff for answers that may be passing (timeouts, dropped
connections, HTTP 429 and 5xx). Each URL gets a HEAD request; when HEAD is refused (an HTTP
error) or the connection drops without an answer, a GET follows, since many sites answer HEAD
badly. Redirects are not followed: a redirect is what the report is for.

Each URL is classified as
    ok     2xx
    moved  3xx with a Location (the new address is reported)
    dead   4xx or 5xx (after the GET fallback and the retries)
    error  no HTTP answer: timeout, TLS failure, refused or dropped connection, DNS failure

It writes `linkcheck.md` (a Markdown report for people and for a CI job summary),
`linkcheck.json` and `linkcheck.csv` into `--out` (default `artifacts/linkcheck/`). It never
edits the data. Exit status: 0 when no link is dead, 1 when one is, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

from geo.config import PROJECT_ROOT, SettingsError, get_settings
from geo.csvfile import read_table

Result = Literal["ok", "moved", "dead", "error"]
RESULTS: tuple[Result, ...] = ("dead", "error", "moved", "ok")  # report order: worst first
URL_FILES = ("events.csv", "quotes.csv", "tallies.csv")
URL_FIELDS = ("source_url", "read_url")
USER_AGENT = "frt-map link checker (python urllib; one request per host at a time)"
DEFAULT_OUT = PROJECT_ROOT / "artifacts" / "linkcheck"
REPORT_FILES = ("linkcheck.md", "linkcheck.json", "linkcheck.csv")


@dataclass(frozen=True)
class Policy:
    """How politely and how long to try. Tests shrink the times."""

    timeout: float = 20.0  # seconds to connect, and for each read
    retries: int = 2  # further attempts after a passing failure
    backoff: float = 2.0  # seconds before the first retry; doubled for each next one
    pause: float = 1.0  # seconds between two requests to the same host
    hosts_at_once: int = 8  # different hosts checked in parallel


@dataclass(frozen=True)
class Place:
    """Where a URL is written: file, line and field."""

    path: str
    line: int
    field: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.field}"


@dataclass(frozen=True)
class Link:
    url: str
    places: tuple[Place, ...]

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class Probe:
    """What one request found. `retry`: worth asking again; `fallback`: worth a GET."""

    result: Result
    detail: str
    status: int | None = None
    location: str = ""
    retry: bool = False
    fallback: bool = False


@dataclass(frozen=True)
class Outcome:
    url: str
    result: Result
    detail: str
    status: int | None
    location: str
    method: str
    attempts: int
    places: tuple[Place, ...] = field(default=())


# --- reading the URLs ----------------------------------------------------------------------


def _label_root(data_dir: Path) -> Path | None:
    cwd = Path.cwd()
    return cwd if data_dir.is_absolute() and data_dir.is_relative_to(cwd) else None


def collect_links(data_dir: Path) -> list[Link]:
    """Every http(s) URL in the URL fields of the data, once, in file order, with where it is."""
    root = _label_root(data_dir)
    places: dict[str, list[Place]] = {}
    for name in URL_FILES:
        path = data_dir / name
        if not path.is_file():
            continue
        table = read_table(path, str(path.relative_to(root)) if root else str(path))
        for row in table.rows:
            for column in URL_FIELDS:
                cell = row.cells.get(column)
                url = cell.value.strip() if cell else ""
                if cell and urlsplit(url).scheme in ("http", "https"):
                    places.setdefault(url, []).append(Place(table.path, cell.line, column))
    return [Link(url, tuple(where)) for url, where in places.items()]


# --- asking one URL ------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it (urllib then raises HTTPError for the 3xx)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def make_opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def _from_status(url: str, status: int, reason: str, location: str | None) -> Probe:
    text = f"HTTP {status} {reason}".strip()
    if 200 <= status < 300:
        return Probe("ok", text, status)
    if 300 <= status < 400:
        if location:
            return Probe("moved", text, status, urljoin(url, location))
        return Probe("error", f"{text} without a Location", status)
    passing = status == 429 or status >= 500
    return Probe("dead", text, status, retry=passing, fallback=True)


def _from_error(error: BaseException) -> Probe:
    """A failure with no HTTP answer, named so a person knows what to try."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError
        return Probe("error", "timeout", retry=True)
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return Probe("error", f"TLS failure ({reason})")
    if isinstance(reason, socket.gaierror):
        return Probe("error", f"host name not found ({reason})", retry=True)
    if isinstance(reason, ConnectionRefusedError):
        return Probe("error", "connection refused", retry=True)
    if isinstance(reason, http.client.HTTPException | ConnectionResetError):
        name = type(reason).__name__
        return Probe("error", f"no valid HTTP answer ({name}: {reason})", retry=True, fallback=True)
    return Probe("error", f"connection failed ({type(reason).__name__}: {reason})", retry=True)


def probe(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> Probe:
    """One request, redirects not followed; every failure becomes a Probe."""
    # collect_links() keeps only http(s) URLs, which is what S310 asks to check.
    request = urllib.request.Request(  # noqa: S310
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # enough to know the body starts; the rest is not needed
            return _from_status(url, response.status, response.reason, None)
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location") if error.headers else None
        error.close()
        return _from_status(url, error.code, str(error.reason), location)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return _from_error(error)
    except ValueError as error:
        return Probe("error", f"not a usable URL ({error})")


Sleep = Callable[[float], None]


def check_link(
    opener: urllib.request.OpenerDirector, link: Link, policy: Policy, sleep: Sleep = time.sleep
) -> Outcome:
    """HEAD, then GET when HEAD is refused; retried with backoff while the failure may pass."""
    attempts = 0
    method = "HEAD"
    found = Probe("error", "not checked")
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        attempts += 1
        method = "HEAD"
        found = probe(opener, link.url, method, policy.timeout)
        if found.fallback:
            sleep(policy.pause)
            method = "GET"
            found = probe(opener, link.url, method, policy.timeout)
        if not found.retry:
            break
    return Outcome(
        link.url, found.result, found.detail, found.status, found.location, method, attempts,
        link.places,
    )  # fmt: skip


def check_host(links: Sequence[Link], policy: Policy, sleep: Sleep = time.sleep) -> list[Outcome]:
    """The links of one host, one request at a time, with a pause between them."""
    opener = make_opener()
    outcomes = []
    for n, link in enumerate(links):
        if n:
            sleep(policy.pause)
        outcomes.append(check_link(opener, link, policy, sleep))
    return outcomes


def check_links(links: Sequence[Link], policy: Policy) -> list[Outcome]:
    """Every link, hosts in parallel and each host in turn; outcomes in the links' order."""
    by_host: dict[str, list[Link]] = {}
    for link in links:
        by_host.setdefault(link.host, []).append(link)
    found: dict[str, Outcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, policy.hosts_at_once)) as pool:
        for outcomes in pool.map(lambda group: check_host(group, policy), by_host.values()):
            found.update((o.url, o) for o in outcomes)
    return [found[link.url] for link in links]


# --- reports -------------------------------------------------------------------------------


def _code(text: str) -> str:
    """Text from the data or a server, shown literally in Markdown: a code span (a run of
    backticks longer than any inside it) with the table's pipe escaped."""
    text = " ".join(text.split())
    run = 1
    while "`" * run in text:
        run += 1
    fence = "`" * run
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def counts(outcomes: Iterable[Outcome]) -> dict[Result, int]:
    tally: dict[Result, int] = dict.fromkeys(RESULTS, 0)
    for outcome in outcomes:
        tally[outcome.result] += 1
    return tally


SECTION_TITLES: dict[Result, str] = {
    "dead": "Dead (HTTP 4xx or 5xx)",
    "error": "No answer (timeout, TLS or connection failure)",
    "moved": "Moved (redirect)",
    "ok": "OK",
}


def markdown_report(outcomes: Sequence[Outcome], checked_at: datetime) -> str:
    tally = counts(outcomes)
    lines = [
        "# Link check",
        "",
        f"Checked {len(outcomes)} distinct URLs from `data/` on "
        f"{checked_at.strftime('%Y-%m-%d %H:%M UTC')}: "
        + ", ".join(f"{tally[r]} {r}" for r in RESULTS)
        + ".",
        "",
        "Nothing was changed. Fix a dead or moved link in a pull request after reading the page:",
        "find the original (or an archived copy, in `read_url`) and say in the note what changed.",
        "A 403 or 429 is often a site refusing robots rather than a missing page: open it by hand.",
    ]
    for result in RESULTS:
        chosen = [o for o in outcomes if o.result == result]
        if not chosen or result == "ok":
            continue
        lines += ["", f"## {SECTION_TITLES[result]}: {len(chosen)}", ""]
        lines += ["| URL | Answer | New address | Where |", "|---|---|---|---|"]
        for o in chosen:
            where = "<br>".join(_code(str(p)) for p in o.places)
            new = _code(o.location) if o.location else ""
            lines.append(f"| {_code(o.url)} | {_code(o.detail)} | {new} | {where} |")
    if tally["ok"]:
        lines += ["", f"{tally['ok']} URLs answered 2xx and are listed in the JSON and CSV files."]
    return "\n".join(lines) + "\n"


def json_report(outcomes: Sequence[Outcome], checked_at: datetime) -> str:
    rows = []
    for o in outcomes:
        row = asdict(o)
        row["places"] = [asdict(p) for p in o.places]
        rows.append(row)
    document = {"checked_at": checked_at.isoformat(), "counts": counts(outcomes), "links": rows}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("url", "result", "status", "detail", "location", "method", "attempts", "where")


def csv_report(outcomes: Sequence[Outcome]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in outcomes:
        where = "; ".join(str(p) for p in o.places)
        status = "" if o.status is None else o.status
        writer.writerow(
            [o.url, o.result, status, o.detail, o.location, o.method, o.attempts, where]
        )
    return out.getvalue()


def write_reports(outcomes: Sequence[Outcome], out: Path, checked_at: datetime) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    texts = (
        markdown_report(outcomes, checked_at),
        json_report(outcomes, checked_at),
        csv_report(outcomes),
    )
    paths = [out / name for name in REPORT_FILES]
    for path, text in zip(paths, texts, strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


# --- command -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.linkcheck",
        description="Check every source_url and read_url in the data; never edits the data.",
    )
    parser.add_argument("data_dir", nargs="?", type=Path, help="default: FRT_DATA_DIR or data/")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder")
    defaults = Policy()
    parser.add_argument("--timeout", type=float, default=defaults.timeout, help="seconds")
    parser.add_argument("--retries", type=int, default=defaults.retries)
    parser.add_argument("--pause", type=float, default=defaults.pause, help="seconds per host")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.timeout <= 0 or args.retries < 0 or args.pause < 0:
        print(
            "error: --timeout must be positive; --retries and --pause not negative", file=sys.stderr
        )
        return 2
    try:
        data_dir: Path = args.data_dir or get_settings().data_dir
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not data_dir.is_dir():
        print(f"{data_dir}: not a folder", file=sys.stderr)
        return 2
    links = collect_links(data_dir)
    policy = replace(Policy(), timeout=args.timeout, retries=args.retries, pause=args.pause)
    hosts = len({link.host for link in links})
    print(f"checking {len(links)} URLs on {hosts} hosts", file=sys.stderr)
    outcomes = check_links(links, policy)
    paths = write_reports(outcomes, args.out, datetime.now(UTC))
    tally = counts(outcomes)
    print(", ".join(f"{tally[r]} {r}" for r in RESULTS))
    for path in paths:
        print(f"wrote {path}")
    return 1 if tally["dead"] else 0


if __name__ == "__main__":
    sys.exit(main())
