"""Real-browser fixtures: a Streamlit server on 127.0.0.1 and Debian's Chromium via Playwright.

Every request that leaves 127.0.0.1 is blocked and recorded (tile requests get a blank tile),
and a test fails if any was made. Screenshots go to artifacts/screenshots (printed at the end).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# One Chromium set-up for the tests and the benchmark.
from bench.browser import CHROMIUM, CHROMIUM_FLAGS, LOCAL_HOSTS
from bench.server import build_boundaries, offline_env
from tests.support.census import require_census
from tests.support.server import serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# A 1x1 transparent PNG, the answer to any tile request.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="session")
def census_dir() -> Path:
    return require_census()


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory, census_dir: Path) -> dict[str, str]:
    """Settings for app servers: boundaries built once from ../shared/census, no tiles."""
    env = offline_env(tmp_path_factory.mktemp("cache"), census_dir)
    build_boundaries(env)
    return env


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]) -> Iterator[str]:
    yield from serve(server_env, tmp_path_factory.mktemp("logs") / "streamlit.log")


@pytest.fixture
def fresh_server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    """A server that has served nobody yet (for first-visit behaviour)."""
    yield from serve(server_env, tmp_path / "streamlit.log")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """new_page(**context_options) -> a page whose requests may not leave 127.0.0.1.

    Every request elsewhere is recorded on `page.external_requests` and blocked (tile
    requests get a blank tile); the test fails at teardown if there was any.
    """
    contexts = []
    externals: list[list[str]] = []

    def make(**options: object) -> object:
        context = browser.new_context(**{"viewport": {"width": 1400, "height": 900}, **options})
        external: list[str] = []

        def route(route_obj) -> None:
            url = route_obj.request.url
            host = urlsplit(url).hostname or ""
            if url.startswith(("data:", "blob:", "about:", "file:")) or host in LOCAL_HOSTS:
                route_obj.continue_()
                return
            external.append(url)
            if "tile" in url or url.endswith(".png"):
                route_obj.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
            else:
                route_obj.abort()

        context.route("**/*", route)
        page_obj = context.new_page()
        page_obj.external_requests = external
        errors: list[str] = []
        page_obj.on("pageerror", lambda exc: errors.append(str(exc)))
        page_obj.page_errors = errors
        contexts.append(context)
        externals.append(external)
        return page_obj

    yield make
    for context in contexts:
        context.close()
    leaked = [url for external in externals for url in external]
    assert not leaked, f"requests left 127.0.0.1: {leaked[:10]}"


@pytest.fixture
def page(new_page) -> object:
    return new_page()


def save_screenshot(page_obj, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page_obj.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture
def shot():
    """shot(page, name) saves a screenshot to artifacts/screenshots/name.png."""
    return save_screenshot


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
