"""The static edition on loopback: a plain static server, and a bounded load check.

`serve_folder` runs Python's own threading HTTP server on 127.0.0.1 in a thread (what any
static host does, minus a CDN's caches). `load_check` sends a fixed number of GET requests
with a bounded number in flight and counts every failure: a refused connection, a reset, a
timeout, a status other than 200, or a body of the wrong length.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import threading
import time
from collections.abc import Iterator, Sequence
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
