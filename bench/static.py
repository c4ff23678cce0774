"""The static edition on loopback: a plain static server, and a bounded load check.

`serve_folder` runs Python's own threading HTTP server on 127.0.0.1 in a thread (what any
static host does, minus a CDN's caches); `serve_process` runs the same server as a process of
its own (`python -m http.server`), so that it does not share a Python interpreter with the
one measuring it (`python -m bench`). `load_check` sends a fixed number of GET requests
with a bounded number in flight and counts every failure: a refused connection, a reset, a
timeout, a status other than 200, or a body of the wrong length.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder; says nothing per request (a thousand lines help no one)."""

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen backlog: room for a burst of connections


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A static server for `folder` on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


ROOT = Path(__file__).resolve().parent.parent
# What "painted" means on the static map: its container carries data-frt-rendered (map.js sets
# it once the year's colours are drawn). A bench.browser Ready.
STATIC_READY = ("page", "", ".leaflet-container[data-frt-rendered]")


def run_site_build(
    env: Mapping[str, str], out: Path, *, unset: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """`python -m geo.site build OUT` as a person runs it, with `env` over the environment
    (less the `unset` names): the one site builder of the bench and the tests."""
    merged = {k: v for k, v in {**os.environ, **env}.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-m", "geo.site", "build", str(out)],
        cwd=ROOT, env=merged, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


def build_site(env: dict[str, str], out: Path) -> float:
    """`python -m geo.site build OUT` with `env` (the bench's boundaries); seconds."""
    start = time.perf_counter()
    done = run_site_build(env, out)
    if done.returncode != 0:
        raise SystemExit(f"the static site's build failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


@contextlib.contextmanager
def serve_process(folder: Path, log: Path, timeout: float = 30.0) -> Iterator[str]:
    """`python -m http.server` for `folder` on 127.0.0.1 as its own process; yields its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
        process = subprocess.Popen(
            [*command, "--directory", str(folder)], stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=1),
                ):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the static server did not start (see {log})")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def first_visit_files(folder: Path, page: str = "index.html") -> list[Path]:
    """The page and the scripts and styles its markup loads, before anyone does anything."""
    text = (folder / page).read_text(encoding="utf-8")
    tags = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', text)
    return [folder / page, *(folder / (a or b) for a, b in tags)]


def static_category(path: str) -> str:
    """Which part of the static site a URL path belongs to (for bench.browser)."""
    name = path.rsplit("/", 1)[-1]
    kinds = {"leaflet": "Leaflet", "boundaries": "boundaries", "data": "data",
             "text": "panels' text", "map": "page script", "site": "page styles"}  # fmt: skip
    if name.endswith(".html") or not name:
        return "page"
    if name.startswith("cities-"):  # a state's city polygons (geo.boundaries.parts)
        return "boundaries"
    return kinds.get(name.split(".", 1)[0], "other")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: tuple[str, ...]
    seconds: float
    bytes: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _get(base: str, path: str, expected: int, timeout: float) -> tuple[str | None, int]:
    """One request on its own connection: (failure or None, bytes received)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", "/" + path.lstrip("/"))
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        return f"{path}: {error!r}", 0
    finally:
        connection.close()
    if response.status != 200:
        return f"{path}: HTTP {response.status}", len(body)
    if len(body) != expected:
        return f"{path}: {len(body)} bytes, expected {expected}", len(body)
    return None, len(body)


def load_check(
    base: str,
    files: Sequence[tuple[str, int]],
    *,
    total: int = 1000,
    concurrency: int = 50,
    timeout: float = 10.0,
) -> LoadResult:
    """`total` GETs, cycling through `files` (path, expected size), `concurrency` at a time."""
    paths = [files[n % len(files)] for n in range(total)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda item: _get(base, item[0], item[1], timeout), paths))
    seconds = time.perf_counter() - start
    failures = tuple(failure for failure, _size in results if failure)
    return LoadResult(total, failures, seconds, sum(size for _f, size in results))


def site_files(folder: Path) -> list[tuple[str, int]]:
    """Every file of a built site (relative path, size), for the load check."""
    return [
        (path.relative_to(folder).as_posix(), path.stat().st_size)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


# --- `python -m bench.static SITE_DIR`: the static map painted in Chromium, first visits ----


def _count(received: list[int], event: dict) -> None:
    received.append(int(event["encodedDataLength"]))


def first_visits(base: str, visits: int = 5) -> list[tuple[float, int]]:
    """(seconds to the painted map, bytes received) per first visit (a new context each)."""
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_FLAGS

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for _ in range(visits):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            received: list[int] = []
            cdp.on("Network.loadingFinished", functools.partial(_count, received))
            start = time.perf_counter()
            page.goto(base + "/index.html")
            page.wait_for_selector(".leaflet-container[data-frt-rendered]", timeout=30_000)
            rows.append((time.perf_counter() - start, sum(received)))
            context.close()
        browser.close()
    return rows


def gzip_size(path: Path) -> int:
    import gzip

    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def main(folder: Path) -> None:
    import statistics

    files = first_visit_files(folder)
    with serve_folder(folder) as url:
        visits = first_visits(url)
        load = load_check(url, site_files(folder))
    painted = statistics.median(s for s, _b in visits)
    print(f"painted, median of {len(visits)} first visits: {painted:.3f} s")
    print(f"bytes received on a first visit (no compression): {visits[0][1]:,}")
    print(
        f"the same files gzip-compressed (as a CDN sends them): "
        f"{sum(gzip_size(p) for p in files):,}"
    )
    print(
        f"load check: {load.requests} requests, 50 at a time, {len(load.failures)} failed, "
        f"{load.seconds:.2f} s ({load.per_second:.0f}/s)"
    )


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]))
