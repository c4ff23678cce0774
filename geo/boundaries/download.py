"""Census place files over HTTP through pooch (create/fetch: a temporary file, the known hash,
the rename), each download bounded in time and size, then verified as a shapefile zip."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import BinaryIO, Protocol

import pooch
import requests
import urllib3.exceptions

from geo.boundaries.registry import CLI_RETRIES, known_hashes, store
from geo.boundaries.sources import (
    PUBLIC_FILE_MODE,
    Progress,
    SourceError,
    SourceUnreachable,
    download_dir,
    is_url,
    place_file_name,
    place_url,
    verify_zip,
)
from geo.config import DEFAULT_CENSUS_TIMEOUT, Settings

DOWNLOAD_TIMEOUT = DEFAULT_CENSUS_TIMEOUT  # seconds for the connection and for each read
DOWNLOAD_DEADLINE_FACTOR = 10  # a whole file may take at most this many timeouts
MAX_DOWNLOAD_BYTES = 100_000_000  # the largest place file (Texas) is about 1.5 MB
CHUNK_BYTES = 64 * 1024
USER_AGENT = "frt-map boundaries builder (pooch)"


class DownloadBar(Protocol):
    """A progress bar as pooch drives one: `total` (bytes, 0 if unknown) is set first, then
    `update(n)` after each chunk; at the end `reset()`, `update(total)` and `close()`."""

    total: int

    def update(self, n: int) -> object: ...

    def reset(self) -> object: ...

    def close(self) -> object: ...


class _Guarded:
    """The file pooch writes into: it counts the bytes and stops a download that grows past
    MAX_DOWNLOAD_BYTES or runs past its deadline (a read timeout alone does not bound a
    server that drips)."""

    def __init__(self, out: BinaryIO, url: str, timeout: float) -> None:
        self.out = out
        self.url = url
        self.limit = timeout * DOWNLOAD_DEADLINE_FACTOR
        self.deadline = time.monotonic() + self.limit
        self.received = 0

    def write(self, chunk: bytes) -> int:
        self.received += len(chunk)
        if self.received > MAX_DOWNLOAD_BYTES:
            raise SourceError(f"{self.url} is larger than {MAX_DOWNLOAD_BYTES:,} bytes")
        if time.monotonic() > self.deadline:
            raise SourceUnreachable(f"{self.url} took longer than {self.limit:g} s")
        return self.out.write(chunk)

    def flush(self) -> None:
        self.out.flush()


def content_length(raw: str | None) -> int | None:
    return int(raw) if raw is not None and raw.strip().isdigit() else None


def _truncated(url: str, received: int, expected: int | None) -> SourceError:
    of = f" of {expected:,}" if expected is not None else ""
    return SourceError(f"the download of {url} is truncated ({received:,}{of} bytes)")


def _reason(error: BaseException) -> str:
    """The operating system's words inside requests' long message, when it has them."""
    found = re.search(r"\[Errno -?\d+\][^'\")]*", str(error))
    return found.group(0).strip() if found else str(error)


def _read_timed_out(error: requests.ConnectionError) -> bool:
    """requests reports a read that timed out in the middle of a body as a ConnectionError."""
    return any(isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in error.args)


def fetch(url: str, target: Path, timeout: float, bar: DownloadBar | None = None) -> None:
    """Write the body of `url` to `target` through pooch; every fault becomes a `SourceError`."""
    seen: dict[str, int | None] = {}

    def remember_length(response: requests.Response, *_args: object, **_kwargs: object) -> None:
        seen["expected"] = content_length(response.headers.get("Content-Length"))

    downloader = pooch.HTTPDownloader(
        progressbar=bar if bar is not None else False,
        chunk_size=CHUNK_BYTES,
        timeout=timeout,  # the connection and each read
        headers={"User-Agent": USER_AGENT},
        hooks={"response": remember_length},
    )
    with target.open("wb") as out:
        guarded = _Guarded(out, url, timeout)
        try:
            downloader(url, guarded, None)
        except requests.HTTPError as error:
            answer = error.response
            code, why = (answer.status_code, answer.reason) if answer is not None else ("", "")
            raise SourceError(f"{url} answered HTTP {code} {why}") from error
        except requests.Timeout as error:
            raise SourceUnreachable(f"{url} did not answer within {timeout:g} s") from error
        except requests.exceptions.ChunkedEncodingError as error:
            # urllib3 checks the body against Content-Length and stops a short one here.
            raise _truncated(url, guarded.received, seen.get("expected")) from error
        except requests.ConnectionError as error:
            if _read_timed_out(error):
                raise SourceUnreachable(f"{url} did not answer within {timeout:g} s") from error
            raise SourceUnreachable(f"{url} could not be reached ({_reason(error)})") from error
        except (requests.RequestException, OSError) as error:
            raise SourceError(f"the download of {url} failed ({error!r})") from error
    # A body that ends early without an error is caught here too.
    expected = seen.get("expected")
    if expected is not None and guarded.received != expected:
        raise _truncated(url, guarded.received, expected)


def download(
    url: str,
    dest: Path,
    timeout: float,
    bar: DownloadBar | None = None,
    known_hash: str | None = None,
) -> None:
    """Through pooch (geo.boundaries.registry): into a temporary file beside `dest`, its hash
    checked when known, renamed; then verified as a zip holding a shapefile. `dest` is never
    half a file."""
    name = dest.name
    if not url.endswith("/" + name):
        raise SourceError(f"{url} does not end in {name}")

    def guarded(address: str, output_file: str, _store: object) -> None:
        fetch(address, Path(output_file), timeout, bar)

    store = pooch.create(
        path=dest.parent,
        base_url=url[: -len(name)],
        registry={name: known_hash},
        allow_updates=True,
    )
    try:
        store.fetch(name, downloader=guarded)
    except ValueError as error:  # pooch: the file does not match its known hash
        raise SourceError(f"the download of {url} does not match its checksum") from error
    try:
        verify_zip(dest, f"the download of {url}")
    except SourceError:
        dest.unlink(missing_ok=True)
        raise
    dest.chmod(PUBLIC_FILE_MODE)  # pooch's temporary files start private (0600)


def fetch_place_files(
    folder: Path,
    year: int,
    source_url: str,
    timeout: float = DOWNLOAD_TIMEOUT,
    progress: Progress = lambda _message: None,
) -> list[Path]:
    """Every place file of a vintage into `folder` (`python -m geo.boundaries fetch`): files
    already there with the right hash are kept; pooch retries a failed download."""
    shop = store(folder, source_url, year, retries=CLI_RETRIES)
    downloader = pooch.HTTPDownloader(timeout=timeout, headers={"User-Agent": USER_AGENT})
    paths = []
    for name in shop.registry:
        progress(name)
        try:
            path = Path(shop.fetch(name, downloader=downloader))
        except ValueError as error:
            raise SourceError(f"{name} does not match its checksum after retries") from error
        except requests.RequestException as error:
            raise SourceUnreachable(f"{name} could not be downloaded ({_reason(error)})") from error
        try:
            verify_zip(path, str(path))
        except SourceError:
            path.unlink(missing_ok=True)
            raise
        paths.append(path)
    return paths


def obtain_place_file(
    settings: Settings,
    fips: str,
    timeout: float,
    progress: Progress,
    bar: DownloadBar | None = None,
) -> tuple[Path, str]:
    """The local path of one state's place file and its origin (URL or path)."""
    name = place_file_name(settings.census_year, fips)
    source = settings.census_source
    if is_url(source):
        url = place_url(source, name)
        dest = download_dir(settings) / name
        if dest.is_file():
            try:
                verify_zip(dest, str(dest))
            except SourceError:
                dest.unlink()  # an earlier copy went bad on disk: fetch it again
            else:
                return dest, url
        progress(f"Downloading {url}")
        try:
            download(url, dest, timeout, bar, known_hashes(settings.census_year).get(name))
        except OSError as error:  # the cache folder cannot be written
            raise SourceError(f"{name} could not be saved in {dest.parent} ({error})") from error
        return dest, url
    folder = Path(source)
    if not folder.is_dir():
        raise SourceUnreachable(f"the folder {folder} does not exist")
    path = folder / name
    if not path.is_file():
        raise SourceError(f"{name} is not in {folder}")
    verify_zip(path, str(path))
    return path, str(path)
