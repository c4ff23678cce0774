"""What the browser tests share about the page: its selectors, the waits, moving the map."""

from __future__ import annotations

from playwright.sync_api import Frame, Locator, Page, expect

from bench.browser import MAP_FRAME
from geo.drawing import US_BOUNDS

__all__ = [
    "IDLE",
    "MAP_FRAME",
    "MARKER_ORDER",
    "SLIDER",
    "click_place_point",
    "element_at",
    "map_view",
    "point_of",
    "slider_value",
    "wait_idle",
    "wait_places",
    "zoom_to",
]

# Streamlit has finished the script run.
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Streamlit 1.67's slider is a react-aria group around a visually hidden range input.
SLIDER = '[data-testid="stSlider"] input[type="range"]'


def wait_idle(page: Page) -> None:
    """Streamlit has finished the script run."""
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)


def slider_value(page: Page) -> int:
    return int(page.locator(SLIDER).first.input_value())


def wait_places(page: Page, count: int) -> Locator:
    """The map's Leaflet container, once its status layer holds `count` places."""
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-frt-places", str(count), timeout=30_000)
    return container


def point_of(frame: Frame, lat: float, lon: float) -> tuple[float, float]:
    """Where a place is in the map frame, in CSS pixels."""
    x, y = frame.evaluate(
        f"(() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; })()"
    )
    return x, y


def zoom_to(frame: Frame, lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Centre the map on a point without animation; return the point's position in the frame."""
    frame.evaluate(f"window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    # Leaflet ignores a setView made during a zoom animation: check that this one took.
    frame.wait_for_function(f"window.map.getZoom() === {zoom}", timeout=5_000)
    return point_of(frame, lat, lon)


def element_at(frame: Frame, point: tuple[float, float]) -> str:
    """The class of the element at a point of the map frame ('' for none)."""
    return frame.evaluate(
        f"(document.elementFromPoint({point[0]}, {point[1]}) || {{}}).getAttribute?.('class') || ''"
    )


# The Leaflet map of a page or frame: `map` (streamlit-folium), `map_frt` (the static edition)
# or the `map_...` name folium gives it.
_MAP = """(window.map instanceof L.Map ? window.map : window[Object.keys(window)
  .find(k => /^map_/.test(k) && window[k] instanceof L.Map)])"""
# The place id of every marker, in the SVG's document order (what comes later draws on top).
MARKER_ORDER = """() => [...document.querySelectorAll('path.frt-marker')]
  .map(el => [...el.classList]
    .find(c => c.startsWith('frt-') && !['frt-marker', 'frt-chosen'].includes(c)).slice(4))"""


def map_view(target: Page | Frame, lat: float, lon: float) -> dict[str, object]:
    """The map's zoom, the zoom that fits the lower 48 (geo.drawing.US_BOUNDS), whether the
    point is in view, and which place the drawing last brought into view."""
    return target.evaluate(
        f"""([bounds, lat, lon]) => {{ const m = {_MAP};
        return {{zoom: m.getZoom(), usZoom: m.getBoundsZoom(L.latLngBounds(bounds)),
                 inView: m.getBounds().contains([lat, lon]),
                 focused: m.getContainer().getAttribute('data-frt-focused')}}; }}""",
        [[list(corner) for corner in US_BOUNDS], lat, lon],
    )


def click_place_point(page: Page, target: Page | Frame, lat: float, lon: float) -> str:
    """Click where a point is drawn (in the map's frame, if it has one); return the class of
    what is under the pointer there."""
    x, y = target.evaluate(
        f"([lat, lon]) => {{ const m = {_MAP}; const p = m.latLngToContainerPoint([lat, lon]);"
        " const box = m.getContainer().getBoundingClientRect();"
        " return [box.left + p.x, box.top + p.y]; }",
        [lat, lon],
    )
    under = target.evaluate(
        f"(document.elementFromPoint({x}, {y}) || {{}}).getAttribute?.('class') || ''"
    )
    box = target.frame_element().bounding_box() if isinstance(target, Frame) else None
    box = box or {"x": 0, "y": 0}
    page.mouse.click(box["x"] + x, box["y"] + y)
    return under
