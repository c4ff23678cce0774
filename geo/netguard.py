"""Requests that only reach the public internet, and never last past their deadline.

The link checker asks servers named by the data. A host could resolve to this machine, the
local network or a cloud's metadata address (169.254.169.254); `Guard.connect` resolves the
name itself, refuses unless every address is allowed (by default: `ipaddress`'s `is_global`),
and connects to the address it checked, so a second lookup cannot swap it. A timer shuts the
request's sockets at its wall-clock deadline, so a server that trickles bytes cannot hold a
request open one slow read at a time.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import math
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Allow = Callable[[Address], bool]


def global_only(address: Address) -> bool:
    """The default: only addresses on the public internet (an IPv4-mapped one by its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped.is_global
    return address.is_global


def loopback_too(address: Address) -> bool:
    """For tests with servers on 127.0.0.1 only: public addresses and the loopback."""
    return address.is_loopback or global_only(address)


class RefusedAddress(OSError):
    """The host resolves to an address the guard does not allow; nothing was sent."""


def parse_address(text: str) -> Address:
    return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)


class Guard:
    """One client's gate: the allowed addresses, and the deadline of the current request."""

    def __init__(self, allow: Allow = global_only) -> None:
        self.allow = allow
        self.deadline = math.inf
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def start(self, seconds: float) -> None:
        """Begin a request that must be over within `seconds` of wall-clock time."""
        self.finish()
        self.expired = False
        self.deadline = time.monotonic() + seconds
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                # A socket its request already closed has nothing left to stop.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def connect(
        self,
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """`socket.create_connection`, to an address checked first (http.client calls it)."""
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for info in infos:
            found = parse_address(str(info[4][0]))
            if not self.allow(found):
                raise RefusedAddress(f"{host} is at {found}, which is not a public address")
        error: OSError = OSError(f"no address for {host}")
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            with self._lock:
                self._sockets.append(sock)
            remaining = self.deadline - time.monotonic()
            sock.settimeout(max(0.001, min(timeout or remaining, remaining)))
            try:
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
            except OSError as failed:
                sock.close()
                error = failed
                continue
            return sock
        raise error


class _HTTP(http.client.HTTPConnection):
    def __init__(self, host: str, *, guard: Guard, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = guard.connect


class _HTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, *, guard: Guard, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = guard.connect


class GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTP, guard=self.guard), req)


class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self.guard = guard
        self.tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_HTTPS, guard=self.guard)
        return self.do_open(factory, req, context=self.tls)
