"""AppTest: the map page runs on the real data and on a small fixture, and its widgets drive it."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import get_settings
from geo.escape import markdown_text
from geo.records import load_dataset
from geo.timeline import status_as_of, year_end
from geo.vocabulary import CAVEAT_SENTENCES, MARK_LABELS, NO_RECORD, STATUS_COLOURS, STATUS_LABELS
from tests.support.payload import map_args, map_payload
from tests.support.run import history_items, open_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid"


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in (*at.header, *at.subheader)]  # headline h2, place panel h3


@pytest.mark.parametrize("data_dir", [None, FIXTURE], ids=["real-data", "fixture"])
def test_map_page_runs_and_the_year_drives_the_headline(app_env, data_dir):
    if data_dir is not None:
        app_env.setenv("FRT_DATA_DIR", str(data_dir))
    at = open_app()
    this_year = date.today().year
    assert at.slider(key="year").value == this_year
    assert any(s.startswith("Today:") for s in subheaders(at))
    at.slider(key="year").set_value(2020).run()
    assert not at.exception
    assert any(s.startswith("As of 31 Dec 2020:") for s in subheaders(at))
    assert at.query_params["year"] == "2020"


def test_url_restores_year_and_place(app_env):
    at = open_app({"year": "2019", "place": "ca-oakland"})
    assert at.slider(key="year").value == 2019
    assert at.selectbox(key="place").value == "ca-oakland"
    assert "Oakland, CA" in subheaders(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Rebecca Kaplan" in text


def test_choosing_a_place_shows_its_history_and_quotes_with_sources(app_env):
    at = open_app()
    at.selectbox(key="place").set_value("ca-oakland").run()
    assert not at.exception
    assert at.query_params["place"] == "ca-oakland"
    text = " ".join(m.value for m in at.markdown)
    assert "Kaplan" in text
    assert "](https://" in text  # quotes carry their source link
    history = history_items(at)
    assert len(history) >= 2
    assert all("Source: [" in item and "](http" in item for item in history)


@pytest.mark.parametrize("place", ["ca-san-francisco", "ma-boston", "ca-oakland"])
def test_the_panel_shows_each_quote_s_caveat_and_never_its_confidence(app_env, place):
    """Issue 22: a quote with a caveat has its sentences under it; no quote says "Confidence:"
    (the events of the history still name theirs)."""
    dataset = load_dataset(get_settings().data_dir)
    at = open_app({"year": "2025", "place": place})
    captions = [c.value for c in at.caption]
    quotes = [q for q in dataset.quotes if q.jurisdiction_id == place]
    expected = [
        markdown_text(" ".join(CAVEAT_SENTENCES[c] for c in q.caveats)) for q in quotes if q.caveat
    ]
    for caveat in expected:
        assert caveat in captions
    assert not [c for c in captions if c.startswith("Confidence")]
    if place == "ca-san-francisco":  # q-007: the words may be a coalition's
        assert markdown_text(CAVEAT_SENTENCES["attribution_doubt"]) in captions
    words = [m.value for m in at.markdown if m.value.startswith("\u201c")]
    assert len(words) == len(quotes)


def test_the_history_shows_every_measure_name_in_full(app_env):
    """Issue 22: the history is a list that wraps, not a table that cuts the names short."""
    dataset = load_dataset(get_settings().data_dir)
    measured = Counter(e.jurisdiction_id for e in dataset.events if len(e.measure) > 30)
    place = measured.most_common(1)[0][0]
    at = open_app({"place": place})
    history = history_items(at)
    events = [e for e in dataset.events if e.jurisdiction_id == place]
    assert len(history) == len(events)
    shown = "\n".join(history)
    for event in events:
        assert markdown_text(event.measure) in shown, event.measure
        assert markdown_text(event.summary) in shown, event.id


def test_bad_url_values_get_a_message_not_a_crash(app_env):
    at = open_app({"year": "1066", "place": "atlantis"})
    warnings = " ".join(w.value for w in at.warning)
    assert "1066" in warnings and "atlantis" in warnings
    assert at.slider(key="year").value == date.today().year


def expected_statuses(year: int) -> dict[str, str]:
    """Each US place's status at the end of `year`, from the fold itself."""
    dataset = load_dataset(get_settings().data_dir)
    statuses = status_as_of(dataset, year_end(year, date.today()))
    return {j.id: statuses.get(j.id, NO_RECORD) for j in dataset.jurisdictions if j.on_map}


def test_status_payload_sent_to_the_map_follows_the_year(app_env):
    """Every place is in every year's payload, so each place's colour and label are checked
    against geo.timeline, for two years that differ."""
    expected = {year: expected_statuses(year) for year in (2019, 2023)}
    changed = [pid for pid, status in expected[2019].items() if expected[2023][pid] != status]
    assert changed, "the two years must differ for this test to mean anything"
    for year, statuses in expected.items():
        at = open_app({"year": str(year)})
        places = {p["id"]: p for p in map_payload(at)["places"]}
        assert set(places) == set(statuses), year
        for pid, status in statuses.items():
            assert places[pid]["colour"] == STATUS_COLOURS[status], (year, pid, status)
            assert places[pid]["fill"] == status, (year, pid)
            assert places[pid]["label"].split("; ")[0].endswith(f": {STATUS_LABELS[status]}")
            marks = [MARK_LABELS[m] for m in places[pid]["marks"]]
            assert places[pid]["label"].split("; ")[1:] == marks, (year, pid)
        assert "cdn." not in json.dumps(map_args(at))  # Leaflet comes from the installed package


def test_invalid_data_shows_the_problems_and_no_map(app_env, tmp_path):
    broken = tmp_path / "data"
    broken.mkdir()
    for name in ("jurisdictions.csv", "events.csv", "quotes.csv"):
        text = (FIXTURE / name).read_text(encoding="utf-8")
        (broken / name).write_text(text, encoding="utf-8")
    events = broken / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("https://", "javascript:", 1)
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app_env.setenv("FRT_DATA_DIR", str(broken))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error, "the page should say the data is invalid"
    assert "events.csv:2:" in at.code[0].value
    assert "source_url" in at.code[0].value


def test_presentation_mode_from_the_url_shows_the_counted_legend_and_no_page_foot(app_env):
    from geo.config import get_settings
    from geo.present import legend_text
    from geo.records import load_dataset
    from geo.timeline import snapshot, year_end

    at = open_app({"present": "1", "year": "2020"})
    dataset = load_dataset(get_settings().data_dir)
    shot = snapshot(dataset, year_end(2020, date.today()))
    (image,) = at.get("image")[0].proto.imgs
    assert image.alt == legend_text({**shot.counts(), **shot.mark_counts()})
    assert at.toggle(key="present").value is True

    def foot(at) -> bool:  # the page's foot: sources and licences (not when presenting)
        return any("Data CC BY 4.0" in c.value for c in at.caption)

    assert not foot(at)
    at.toggle(key="present").set_value(False).run()
    assert not at.exception
    assert "present" not in at.query_params
    assert foot(at)


def test_the_legend_image_counts_what_the_timeline_counts(app_env):
    from geo.config import get_settings
    from geo.present import legend_text
    from geo.records import load_dataset
    from geo.timeline import snapshot

    at = open_app({"year": "2020"})
    images = at.get("image")
    assert len(images) == 1
    (image,) = images[0].proto.imgs
    # st.image shows the legend's SVG markup as a data: URL (no Streamlit internals needed).
    assert image.url.startswith("data:image/svg+xml;base64,")
    shown = base64.b64decode(image.url.split(",", 1)[1]).decode("utf-8")
    assert "Banned (" in shown
    dataset = load_dataset(get_settings().data_dir)
    shot = snapshot(dataset, date(2020, 12, 31))
    assert image.alt == legend_text({**shot.counts(), **shot.mark_counts()})


def test_the_map_page_offers_the_year_for_slides_and_the_story_but_not_when_presenting(app_env):
    """Issue 22: "Download for slides (PNG)" of the year shown and the story as a GIF, both
    made only when asked (the bytes are geo.site.slides', tested with the static edition)."""

    def labels(at) -> list[str]:
        return [b.proto.label for b in at.get("download_button")]

    at = open_app({"year": "2020"})
    assert not at.exception
    assert "Download for slides (PNG)" in labels(at) and "Story as GIF" in labels(at)
    presenting = open_app({"present": "1", "year": "2020"})
    assert "Download for slides (PNG)" not in labels(presenting)


def element_types(at: AppTest) -> set[str]:
    """Every kind of element on the page (each kind is a frontend chunk the browser loads)."""
    kinds: set[str] = set()

    def walk(node: object) -> None:
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            kinds.add(str(getattr(child, "type", type(child).__name__)))
            walk(child)

    walk(at._tree)
    return kinds


def test_a_chosen_place_brings_no_new_kind_of_element(app_env):
    """Issue 24: the first view loads no element kind for the panel's links (Copy link is a
    Markdown link, not st.code with its syntax highlighter); a chosen place adds only its
    heading's kind."""
    first = element_types(open_app({"year": "2024"}))
    chosen = element_types(open_app({"year": "2024", "place": "ma-boston"}))
    assert "code" not in first | chosen
    assert chosen - first == {"subheader"}
