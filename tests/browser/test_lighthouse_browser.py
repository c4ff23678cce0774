"""Lighthouse 12.2.3 holds the deterministic categories (accessibility, best practices, SEO) at
issue 22's levels: 100 on the static edition's map, places, a place's page and quotes (mobile
preset), and on the app's map page accessibility and best practices 100, SEO at least 90.

The same commands as `make lighthouse` (bench/lighthouse.py), without performance: speed is
measured there, never here. A failure names the audits that cost the points."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import lighthouse
from bench.static import serve_folder
from tests.support.site import build_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory, server_env: dict[str, str]) -> Iterator[str]:
    out = tmp_path_factory.mktemp("lighthouse-site") / "site"
    done = build_site(out, server_env)
    assert done.returncode == 0, done.stdout + done.stderr
    with serve_folder(out) as url:
        yield url


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert lighthouse.LIGHTHOUSE.exists(), "Lighthouse is missing: run `make browser-deps`"
    return tmp_path_factory.mktemp("lighthouse")


def held(report: dict, kind: str) -> list[str]:
    """Each category below its floor, with the audits that cost it points."""
    got = lighthouse.scores(report)
    return [
        f"{category} {got.get(category)} < {floor}: {lighthouse.failed_audits(report, category)}"
        for category, floor in lighthouse.FLOORS[kind].items()
        if got.get(category, 0) < floor
    ]


@pytest.mark.parametrize("target", lighthouse.STATIC_TARGETS, ids=lambda t: t.path)
def test_static_pages_score_100(target: lighthouse.Target, site_url: str, work: Path) -> None:
    url = lighthouse.target_url({"static": site_url}, target)
    report = lighthouse.audit(url, "mobile", lighthouse.DETERMINISTIC, work)
    assert held(report, "static") == []


def test_the_app_map_page_scores_its_floors(server: str, work: Path) -> None:
    url = lighthouse.target_url({"app": server}, lighthouse.APP_TARGET)
    report = lighthouse.audit(url, "mobile", lighthouse.DETERMINISTIC, work)
    assert held(report, "app") == []


def test_a_missing_description_is_caught(work: Path) -> None:
    """The check can fail: a page with no description, robots.txt or lang loses SEO points."""
    folder = work / "bare"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html><title>x</title><p>x</p>", "utf-8")
    with serve_folder(folder) as url:
        report = lighthouse.audit(f"{url}/index.html", "mobile", ("seo",), work)
    assert lighthouse.scores(report)["seo"] < lighthouse.FLOORS["static"]["seo"]
    failed = lighthouse.failed_audits(report, "seo")
    assert any(audit.startswith("meta-description:") for audit in failed), failed
