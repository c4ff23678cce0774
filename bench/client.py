"""A Streamlit session driven like a browser tab, over the app's own websocket protocol.

The client speaks `/_stcore/stream` with the protobufs in `streamlit.proto`: it asks for a
script run (`BackMsg.rerun_script` with a `ClientState`), reads `ForwardMsg`s until the run's
`script_finished`, and keeps what the browser keeps between runs:

- the message cache: deltas the server marks `metadata.cacheable` are stored by hash; their
  hashes go back in every rerun's `cached_message_hashes`, and the server then sends a small
  `ref_hash` message instead of the element. Entries expire like the frontend's
  (`max_cached_message_age` script runs after their last use), so the bytes counted are the
  bytes a real browser receives;
- the query string (`page_info_changed`), the page script hash and the widget values it knows
  (sliders), which it sends back with every rerun.

It counts the bytes read from the socket (frames as sent: the server's websocket compression is
off by default) and the protobuf payload bytes, per run. Loopback only: the URL must be
http://127.0.0.1:<port> and proxies from the environment are ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

LOOPBACK = ("127.0.0.1", "localhost")
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
DEFAULT_MAX_AGE = 2  # Streamlit's global.maxCachedMessageAge


class SessionError(Exception):
    """The session failed: no answer in time, a closed socket, an unknown ref_hash."""


class CountingConnection(ClientConnection):
    """A websocket connection that counts every byte it reads from the socket."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


@dataclass
class Run:
    """One script run as the client saw it, from its request to its `script_finished`."""

    seconds: float
    wire_bytes: int  # read from the socket, websocket framing included
    payload_bytes: int  # ForwardMsg protobufs, as serialized by the server
    messages: int
    refs: int  # elements the server sent as a reference to the client's cache
    deltas: int
    exceptions: list[str] = field(default_factory=list)  # st.exception elements shown


@dataclass
class Slider:
    id: str
    label: str
    value: list[float]
    min: float = 0.0
    max: float = 0.0


def loopback_ws_url(base: str) -> str:
    parts = urlsplit(base)
    if parts.hostname not in LOOPBACK or parts.scheme != "http":
        raise ValueError(f"the bench only talks to http://127.0.0.1, not {base!r}")
    return f"ws://{parts.netloc}/_stcore/stream"


class Session:
    """One tab. `await Session(url).open()`, then `await set_slider(...)`, then `close()`."""

    def __init__(self, base_url: str, *, page: str = "", query: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query_string = query
        self.page_script_hash = ""
        self.session_id = ""
        self.max_age = DEFAULT_MAX_AGE
        self.sliders: dict[str, Slider] = {}
        self._ws: CountingConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._finished: asyncio.Queue[int] = asyncio.Queue()
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, last run used)
        self._run_count = 0
        self._payload = 0
        self._messages = 0
        self._refs = 0
        self._deltas = 0
        self._exceptions: list[str] = []
        self._error: BaseException | None = None
        self.runs: list[Run] = []

    # --- connection ---------------------------------------------------------------------

    async def connect(self, timeout: float = 30.0) -> None:
        url = loopback_ws_url(self.base_url)
        self._ws = await connect(
            url,
            origin=self.base_url,  # same origin, as the page's own script
            subprotocols=["streamlit"],
            proxy=None,  # never through a proxy: loopback only
            max_size=None,
            max_queue=None,
            open_timeout=timeout,
            ping_interval=None,
            create_connection=CountingConnection,
        )
        self._reader = asyncio.create_task(self._read())

    async def open(self, timeout: float = 60.0) -> Run:
        """Connect and run the page once, as a new tab does."""
        start = time.perf_counter()
        await self.connect(timeout)
        return await self._run(self._rerun_msg(), timeout, start=start)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader  # the reader keeps its own errors; only a cancel comes out

    @property
    def wire_bytes(self) -> int:
        return self._ws.wire_bytes if self._ws is not None else 0

    # --- actions ------------------------------------------------------------------------

    def slider(self, label: str) -> Slider:
        for slider in self.sliders.values():
            if slider.label == label:
                return slider
        raise SessionError(f"no slider {label!r} on the page (have {self._slider_labels()})")

    def _slider_labels(self) -> list[str]:
        return [s.label for s in self.sliders.values()]

    async def set_slider(self, label: str, value: float, timeout: float = 60.0) -> Run:
        """Move a slider, as the browser does on release: one rerun with every widget value."""
        self.slider(label).value = [float(value)]
        return await self._run(self._rerun_msg(), timeout)

    async def rerun(self, timeout: float = 60.0) -> Run:
        return await self._run(self._rerun_msg(), timeout)

    def _rerun_msg(self) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.page_name = self.page
        for slider in self.sliders.values():
            widget = state.widget_states.widgets.add()
            widget.id = slider.id
            widget.double_array_value.data.extend(slider.value)
        state.cached_message_hashes.extend(self._cache)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url}/{self.page}"
        return msg

    async def _run(self, msg: BackMsg, timeout: float, start: float | None = None) -> Run:
        if self._ws is None:
            raise SessionError("not connected")
        while not self._finished.empty():
            self._finished.get_nowait()
        wire0 = self.wire_bytes
        self._payload = self._messages = self._refs = self._deltas = 0
        self._exceptions = []
        began = time.perf_counter() if start is None else start
        await self._ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self._finished.get(), timeout)
        except TimeoutError as error:
            raise SessionError(f"no script_finished within {timeout:g} s") from error
        if self._error is not None:
            raise SessionError(str(self._error)) from self._error
        run = Run(
            seconds=time.perf_counter() - began,
            wire_bytes=self.wire_bytes - wire0,
            payload_bytes=self._payload,
            messages=self._messages,
            refs=self._refs,
            deltas=self._deltas,
            exceptions=list(self._exceptions),
        )
        self.runs.append(run)
        return run

    # --- reading ------------------------------------------------------------------------

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                if isinstance(data, str):
                    raise SessionError("the server sent a text frame")
                self._payload += len(data)
                self._messages += 1
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as error:  # noqa: BLE001 - reported to whoever waits on a run
            self._error = error
            self._finished.put_nowait(-1)
            return
        self._error = SessionError("the server closed the websocket")
        self._finished.put_nowait(-1)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            self._refs += 1
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise SessionError(f"ref_hash {msg.ref_hash} is not in the client cache")
            original = ForwardMsg()
            original.CopyFrom(cached[0])
            original.metadata.CopyFrom(msg.metadata)
            self._cache[msg.ref_hash] = (cached[0], self._run_count)
            msg, kind = original, original.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = (msg, self._run_count)
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            self.session_id = msg.new_session.initialize.session_id
            self.max_age = msg.new_session.config.max_cached_message_age or DEFAULT_MAX_AGE
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            self._deltas += 1
            self._element(msg)
        elif kind == "script_finished":
            status = msg.script_finished
            if status != EARLY:
                self._run_count += 1
                self._expire()
                self._finished.put_nowait(status)

    def _element(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "slider":
            proto = element.slider
            known = self.sliders.get(proto.id)
            value = list(proto.value) if proto.set_value or known is None else known.value
            if not value:
                value = list(proto.default)
            self.sliders[proto.id] = Slider(proto.id, proto.label, value, proto.min, proto.max)
        elif which == "exception":
            self._exceptions.append(f"{element.exception.type}: {element.exception.message}")

    def _expire(self) -> None:
        """The frontend's rule: drop entries unused for more than max_age script runs."""
        for key, (_msg, used) in list(self._cache.items()):
            if self._run_count - used > self.max_age:
                del self._cache[key]
