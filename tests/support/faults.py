"""Census sources that misbehave, on 127.0.0.1 only: one that accepts connections and never
answers, and one that sends its headers and a few bytes and then stalls."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def black_hole() -> Iterator[str]:
    """A URL whose server completes the TCP handshake (the kernel does) and never reads or
    answers: the client waits for its read timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/census/"


@contextmanager
def stalling_server() -> Iterator[str]:
    """A URL whose server announces a 100,000-byte zip, sends 10 bytes, and stalls."""
    release = threading.Event()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    held: list[socket.socket] = []

    def serve() -> None:
        while not release.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)
            connection.settimeout(5)
            try:
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\n"
                    b"Content-Length: 100000\r\n\r\nPK\x03\x04stall"
                )
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/census/"
    finally:
        release.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
