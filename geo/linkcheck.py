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

    refused  the host resolves to an address that is not on the public internet (loopback,
             private, link-local, cloud metadata): never requested (geo.netguard)

Each request has a wall-clock deadline (`--deadline`; a server that trickles bytes cannot
hold it open) and the run a total budget (`--budget`; URLs left when it is spent are reported
as not checked). Reason phrases and Locations are capped at 200 characters.

It writes `linkcheck.md` (a Markdown report for people and for a CI job summary),
`linkcheck.json` and `linkcheck.csv` into `--out` (default `artifacts/linkcheck/`), as it goes
(geo.linkreport): a killed run leaves the URLs checked so far. It never edits the data. Exit
status: 0 when no link is dead, 1 when one is, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import http.client
import math
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from geo.config import PROJECT_ROOT, SettingsError, get_settings
from geo.csvfile import read_table
from geo.linkreport import (
    REPORT_FILES,
    RESULTS,
    Outcome,
    Place,
    ReportWriter,
    Result,
    cap,
    counts,
    markdown_report,
    write_reports,
)
from geo.netguard import (
    Allow,
    Guard,
    GuardedHTTPHandler,
    GuardedHTTPSHandler,
    RefusedAddress,
    global_only,
    loopback_too,
)

__all__ = [
    "REPORT_FILES",
    "RESULTS",
    "Outcome",
    "Place",
    "Result",
    "counts",
    "global_only",
    "loopback_too",
    "markdown_report",
    "write_reports",
]

URL_FILES = ("events.csv", "quotes.csv", "tallies.csv")
URL_FIELDS = ("source_url", "read_url")
USER_AGENT = "frt-map link checker (python urllib; one request per host at a time)"
DEFAULT_OUT = PROJECT_ROOT / "artifacts" / "linkcheck"


@dataclass(frozen=True)
class Policy:
    """How politely and how long to try. Tests shrink the times."""

    timeout: float = 20.0  # seconds to connect, and for each read
    retries: int = 2  # further attempts after a passing failure
    backoff: float = 2.0  # seconds before the first retry; doubled for each next one
    pause: float = 1.0  # seconds between two requests to the same host
    hosts_at_once: int = 8  # different hosts checked in parallel
    deadline: float = 60.0  # wall-clock seconds for one request, however the bytes trickle
    budget: float = 3600.0  # wall-clock seconds for the whole run
    allow: Allow = global_only  # which addresses may be asked (tests add the loopback)


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


@dataclass(frozen=True)
class Client:
    """An opener that does not follow redirects, ignores proxy settings (the guard must see
    the real address) and passes every connection through its guard."""

    opener: urllib.request.OpenerDirector
    guard: Guard


def make_opener(allow: Allow = global_only) -> Client:
    guard = Guard(allow)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        GuardedHTTPHandler(guard),
        GuardedHTTPSHandler(guard),
        _NoRedirect(),
    )
    return Client(opener, guard)


def _from_status(url: str, status: int, reason: str, location: str | None) -> Probe:
    text = f"HTTP {status} {cap(reason)}".strip()
    if 200 <= status < 300:
        return Probe("ok", text, status)
    if 300 <= status < 400:
        if location:
            return Probe("moved", text, status, cap(urljoin(url, cap(location, 2000))))
        return Probe("error", f"{text} without a Location", status)
    passing = status == 429 or status >= 500
    return Probe("dead", text, status, retry=passing, fallback=True)


def _from_error(error: BaseException) -> Probe:
    """A failure with no HTTP answer, named so a person knows what to try."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, RefusedAddress):
        return Probe("refused", f"refused: {cap(str(reason))}")
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError
        return Probe("error", "timeout", retry=True)
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return Probe("error", f"TLS failure ({cap(str(reason))})")
    if isinstance(reason, socket.gaierror):
        return Probe("error", f"host name not found ({cap(str(reason))})", retry=True)
    if isinstance(reason, ConnectionRefusedError):
        return Probe("error", "connection refused", retry=True)
    if isinstance(reason, http.client.HTTPException | ConnectionResetError):
        name = type(reason).__name__
        text = cap(f"{name}: {reason}")
        return Probe("error", f"no valid HTTP answer ({text})", retry=True, fallback=True)
    return Probe(
        "error", f"connection failed ({cap(f'{type(reason).__name__}: {reason}')})", retry=True
    )


def probe(
    client: Client, url: str, method: str, timeout: float, deadline: float = math.inf
) -> Probe:
    """One request, redirects not followed, over by `deadline` seconds; every failure becomes a
    Probe."""
    client.guard.start(deadline)
    try:
        found = _ask(client.opener, url, method, timeout)
    finally:
        client.guard.finish()
    if client.guard.expired:  # cut short: whatever was read is not the whole answer
        return Probe("error", f"timeout (no full answer within {deadline:g} s)", retry=True)
    return found


def _ask(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> Probe:
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


def _within(policy: Policy, stop_at: float) -> float:
    """Seconds the next request may take: its deadline, or what is left of the run's budget."""
    return min(policy.deadline, stop_at - time.monotonic())


def check_link(
    client: Client,
    link: Link,
    policy: Policy,
    sleep: Sleep = time.sleep,
    stop_at: float = math.inf,
) -> Outcome:
    """HEAD, then GET when HEAD is refused; retried with backoff while the failure may pass;
    nothing more once the run's budget (`stop_at`, monotonic) is spent."""
    attempts = 0
    method = "HEAD"
    found = Probe("error", f"not checked: the run's budget of {policy.budget:g} s was spent")
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        if _within(policy, stop_at) <= 0:
            break
        attempts += 1
        method = "HEAD"
        found = probe(client, link.url, method, policy.timeout, _within(policy, stop_at))
        if found.fallback and _within(policy, stop_at) > 0:
            sleep(policy.pause)
            method = "GET"
            found = probe(client, link.url, method, policy.timeout, _within(policy, stop_at))
        if not found.retry:
            break
    return Outcome(
        link.url, found.result, found.detail, found.status, found.location, method, attempts,
        link.places,
    )  # fmt: skip


Report = Callable[[Outcome], None]


def check_host(
    links: Sequence[Link],
    policy: Policy,
    sleep: Sleep = time.sleep,
    stop_at: float = math.inf,
    report: Report | None = None,
) -> list[Outcome]:
    """The links of one host, one request at a time, with a pause between them; each outcome
    goes to `report` as soon as it is known."""
    client = make_opener(policy.allow)
    outcomes = []
    for n, link in enumerate(links):
        if n:
            sleep(policy.pause)
        outcome = check_link(client, link, policy, sleep, stop_at)
        outcomes.append(outcome)
        if report:
            report(outcome)
    return outcomes


def check_links(
    links: Sequence[Link], policy: Policy, report: Report | None = None
) -> list[Outcome]:
    """Every link, hosts in parallel and each host in turn, within the run's budget; outcomes
    in the links' order."""
    stop_at = time.monotonic() + policy.budget
    by_host: dict[str, list[Link]] = {}
    for link in links:
        by_host.setdefault(link.host, []).append(link)
    found: dict[str, Outcome] = {}

    def one_host(group: list[Link]) -> list[Outcome]:
        return check_host(group, policy, time.sleep, stop_at, report)

    with ThreadPoolExecutor(max_workers=max(1, policy.hosts_at_once)) as pool:
        for outcomes in pool.map(one_host, by_host.values()):
            found.update((o.url, o) for o in outcomes)
    return [found[link.url] for link in links]


# --- reports -------------------------------------------------------------------------------


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
    parser.add_argument(
        "--deadline", type=float, default=defaults.deadline, help="seconds for one request"
    )
    parser.add_argument("--budget", type=float, default=defaults.budget, help="seconds per run")
    parser.add_argument(
        "--allow-loopback", action="store_true", help="also ask 127.0.0.1 (tests only)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if min(args.timeout, args.deadline, args.budget) <= 0 or args.retries < 0 or args.pause < 0:
        print(
            "error: --timeout, --deadline and --budget must be positive; --retries and --pause "
            "not negative",
            file=sys.stderr,
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
    policy = replace(
        Policy(), timeout=args.timeout, retries=args.retries, pause=args.pause,
        deadline=args.deadline, budget=args.budget,
        allow=loopback_too if args.allow_loopback else global_only,
    )  # fmt: skip
    hosts = len({link.host for link in links})
    print(f"checking {len(links)} URLs on {hosts} hosts", file=sys.stderr)
    writer = ReportWriter(args.out, datetime.now(UTC))
    outcomes = check_links(links, policy, writer.add)
    paths = writer.finish(outcomes)
    tally = counts(outcomes)
    print(", ".join(f"{tally[r]} {r}" for r in RESULTS))
    for path in paths:
        print(f"wrote {path}")
    return 1 if tally["dead"] else 0


if __name__ == "__main__":
    sys.exit(main())
