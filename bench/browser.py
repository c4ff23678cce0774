"""Time to a painted map in headless Chromium, and every byte the page fetched to get there.

Each visit uses a new browser context (an empty HTTP cache: a first visit). The time is taken
in the page: from the top document's navigation start to the first moment the ready selector
matches (the map container inside the st_folium frame carrying `data-frt-rendered`, set once
the boundaries are drawn, and no longer hidden while Leaflet's stylesheet loads; Streamlit's
slider for the empty page), looked for in every animation frame by a script the visit adds to
the page (READY_WATCH). Playwright's own wait, which polls (a frame's more slowly than a page's), is
kept beside it as `wall_seconds`. Bytes come from
the Chrome DevTools Protocol: `Network.loadingFinished.encodedDataLength` per request (what
crossed the socket: headers plus the body as sent, gzip included), and the websocket frames
the page received (`Network.webSocketFrameReceived`, payload length). Every request that
would leave 127.0.0.1 is aborted and counted.
"""

from __future__ import annotations

import base64
import json
import shutil
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
STREAMLIT_OWN = ("Streamlit frontend", "Streamlit endpoints")
MAIN_THREAD = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def category(path: str) -> str:
    """Which part of the page a URL path belongs to."""
    if path.startswith("/component/") and path.endswith((".geojson", ".json")):
        return "boundaries GeoJSON"
    if path.startswith("/component/") and "leaflet" in path:
        return "Leaflet"
    if path.startswith("/component/"):
        return "component HTML/JS"
    if path.startswith("/static/") or path in ("/", "/map", "/index.html"):
        return "Streamlit frontend"
    if path.startswith("/media/"):
        return "media"
    return "Streamlit endpoints"


@dataclass
class Visit:
    seconds: float
    http_bytes: dict[str, int]
    ws_bytes: int
    requests: int
    external: list[str] = field(default_factory=list)
    # category -> (first request sent, last response finished), seconds after navigation
    timeline: dict[str, tuple[float, float]] = field(default_factory=dict)
    # Renderer main-thread time until ready (CDP Performance.getMetrics): less sensitive to
    # other load on the machine than the wall clock.
    main_thread: dict[str, float] = field(default_factory=dict)
    # When the first websocket message (the first script run's output) arrived.
    first_ws_s: float | None = None
    # HTTP bytes of the responses finished by the time the page was ready.
    http_bytes_at_ready: int = 0
    # Playwright's wait from just before page.goto (it polls: later than `seconds`).
    wall_seconds: float = 0.0

    @property
    def app_http_bytes(self) -> int:
        """HTTP bytes this app adds to Streamlit's own frontend and endpoints."""
        return sum(v for k, v in self.http_bytes.items() if k not in STREAMLIT_OWN)


# What "ready" means: ("frame", iframe selector, selector inside) or ("page", "", selector).
Ready = tuple[str, str, str]
MAP_READY: Ready = (
    "frame",
    MAP_FRAME,
    '.leaflet-container[data-frt-rendered]:not([style*="visibility: hidden"])',
)
# Runs in the top page from its start: once per animation frame (as the browser is about to
# paint), look for the ready selector, in the page or in the frame's document (same origin),
# and note when it first matches. (An init script in the frame itself would watch the frame's
# first, blank document: Chromium keeps that window for the component's page.)
READY_WATCH = """([kind, frameSelector, selector]) => {
  if (window !== window.top) { return; }
  const find = () => {
    if (kind !== "frame") { return document.querySelector(selector); }
    const frame = document.querySelector(frameSelector);
    const inner = frame && frame.contentDocument;
    return inner && inner.querySelector(selector);
  };
  const tick = () => {
    if (find()) { window.__frtReadyAt = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
SLIDER_READY: Ready = ("page", "", '[data-testid="stSlider"]')


async def new_context(browser):
    return await browser.new_context(viewport={"width": 1400, "height": 900})


async def ready_seconds(page) -> float | None:
    """Seconds from the top page's navigation start to the animation frame in which
    READY_WATCH first found the ready selector (None if it did not record one)."""
    at = await page.evaluate("window.__frtReadyAt || null")
    return None if at is None else at / 1000


async def visit(
    browser,
    url: str,
    ready: Ready = MAP_READY,
    timeout: float = 60.0,
    context=None,
    categorize: Callable[[str], str] = category,
) -> Visit:
    """One visit. A new context has an empty HTTP cache (a first visit); pass a context that
    has loaded the page before for a returning visitor (files from the HTTP cache).
    `categorize` names the part of the page a URL path belongs to."""
    own_context = context is None
    context = context or await new_context(browser)
    external: list[str] = []

    async def route(route_obj) -> None:
        target = route_obj.request.url
        host = urlsplit(target).hostname or ""
        if target.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            await route_obj.continue_()
        else:
            external.append(target)
            await route_obj.abort()

    if own_context:
        await context.route("**/*", route)
    # (Routing turns Chromium's HTTP cache off, so a returning visitor's requests are only
    # watched: the machine has no route out, and any request that tries is counted below.)
    page = await context.new_page()
    kind, frame_selector, selector = ready
    await page.add_init_script(f"({READY_WATCH})({json.dumps([kind, frame_selector, selector])})")
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Performance.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    sent: dict[str, float] = {}
    finished: dict[str, float] = {}
    ws = [0]
    ws_first: list[float] = []

    def request(event: dict) -> None:
        urls[event["requestId"]] = event["request"]["url"]
        target = event["request"]["url"]
        local = (urlsplit(target).hostname or "") in LOCAL_HOSTS
        if not own_context and not local and not target.startswith(("data:", "blob:", "about:")):
            external.append(target)
        sent.setdefault(event["requestId"], event["timestamp"])

    def loaded(event: dict) -> None:
        sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))
        finished[event["requestId"]] = event["timestamp"]

    cdp.on("Network.requestWillBeSent", request)
    cdp.on("Network.loadingFinished", loaded)

    def frame(event: dict) -> None:
        response = event["response"]
        ws_first.append(event["timestamp"])
        data = response.get("payloadData", "")
        ws[0] += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    cdp.on("Network.webSocketFrameReceived", frame)
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=timeout * 1000)
        scope = page.frame_locator(frame_selector) if kind == "frame" else page
        await scope.locator(selector).first.wait_for(state="attached", timeout=timeout * 1000)
        wall_seconds = time.perf_counter() - start
        seconds = await ready_seconds(page) or wall_seconds
        at_ready = sum(sizes.values())
        metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
        main_thread = {m["name"]: m["value"] for m in metrics if m["name"] in MAIN_THREAD}
        await page.wait_for_timeout(300)  # let the last responses finish and be counted
    finally:
        by_category: dict[str, int] = {}
        timeline: dict[str, tuple[float, float]] = {}
        origin = min(sent.values(), default=0.0)
        for request_id, size in sizes.items():
            name = categorize(urlsplit(urls.get(request_id, "")).path)
            by_category[name] = by_category.get(name, 0) + size
            first, last = timeline.get(name, (float("inf"), 0.0))
            timeline[name] = (
                min(first, sent.get(request_id, origin) - origin),
                max(last, finished[request_id] - origin),
            )
        first_ws = min(ws_first) - origin if ws_first else None
        await (context.close() if own_context else page.close())
    return Visit(
        seconds,
        by_category,
        ws[0],
        len(sizes),
        external,
        timeline,
        main_thread,
        first_ws,
        at_ready,
        wall_seconds,
    )


def _summary(done: list[Visit]) -> dict[str, object]:
    ordered = sorted(done, key=lambda v: v.seconds)
    typical = ordered[(len(ordered) - 1) // 2]  # the median visit (lower middle)
    return {
        "visits": len(done),
        "ready_s": [round(v.seconds, 3) for v in done],
        "ready_median_s": statistics.median(v.seconds for v in done),
        "ready_min_s": ordered[0].seconds,
        "wall_ready_median_s": statistics.median(v.wall_seconds for v in done),
        "main_thread_s_median": {
            name: statistics.median(v.main_thread.get(name, 0.0) for v in done)
            for name in MAIN_THREAD
        },
        "http_bytes": typical.http_bytes,
        "http_bytes_app": typical.app_http_bytes,
        "http_bytes_total": sum(typical.http_bytes.values()),
        "http_bytes_at_ready": typical.http_bytes_at_ready,
        "ws_bytes": typical.ws_bytes,
        "requests": typical.requests,
        "timeline_s": {k: [round(a, 3), round(b, 3)] for k, (a, b) in typical.timeline.items()},
        "first_websocket_message_s": typical.first_ws_s,
        "external_requests": sorted({u for v in done for u in v.external}),
    }


async def measure(
    targets: list[tuple[str, str, Ready]],
    visits: int = 5,
    categorizers: Mapping[str, Callable[[str], str]] | None = None,
) -> dict[str, dict]:
    """First visits to each (name, url, ready) target, interleaved (A B C, C B A, ...) so the
    load of a shared machine falls on all of them alike. Per name: the median time to `ready`,
    and the bytes and timeline of the median visit. With two targets or more,
    `paired_difference_s` is the median of (first - second) over the visits of the first two
    targets made back to back. `categorizers` name the parts of a target's page (by name;
    default: a Streamlit app's)."""
    kinds = dict(categorizers or {})

    def go(name: str, url: str, ready: Ready, context=None):
        return visit(browser, url, ready, context=context, categorize=kinds.get(name, category))

    from playwright.async_api import async_playwright

    done: dict[str, list[Visit]] = {name: [] for name, _url, _ready in targets}
    warm: dict[str, list[Visit]] = {name: [] for name, _url, _ready in targets}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for name, url, ready in targets:
                await go(name, url, ready)  # warms the server and the OS file cache
            for n in range(visits):
                for name, url, ready in targets if n % 2 == 0 else targets[::-1]:
                    done[name].append(await go(name, url, ready))
            # A returning visitor: the same browser profile, Streamlit's files cached.
            contexts = {name: await new_context(browser) for name, _url, _ready in targets}
            for name, url, ready in targets:
                await go(name, url, ready, context=contexts[name])
            for n in range(visits):
                for name, url, ready in targets if n % 2 == 0 else targets[::-1]:
                    warm[name].append(await go(name, url, ready, context=contexts[name]))
            for context in contexts.values():
                await context.close()
        finally:
            await browser.close()
    results = {name: _summary(visits_of) for name, visits_of in done.items()}
    for name, visits_of in warm.items():
        results[name]["external_requests"] = sorted(
            set(results[name]["external_requests"]).union(u for v in visits_of for u in v.external)
        )
        results[name]["returning_ready_s"] = [round(v.seconds, 3) for v in visits_of]
        results[name]["returning_ready_median_s"] = statistics.median(v.seconds for v in visits_of)
    if len(targets) >= 2:
        first, second = (done[name] for name, _url, _ready in targets[:2])
        results[targets[0][0]]["paired_difference_s"] = statistics.median(
            a.seconds - b.seconds for a, b in zip(first, second, strict=True)
        )
    return results
