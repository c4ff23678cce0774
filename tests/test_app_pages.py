"""AppTest: the timeline, places, quotes and about pages run on the real data and on the valid
fixture, and their widgets drive what is shown. Expected values come from geo.timeline and the
records themselves, never from geo.tables (which the pages use)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo.config import PROJECT_ROOT
from geo.escape import markdown_app_link, markdown_link, markdown_text
from geo.links import correction_url
from geo.present import APP_PAGES, QUOTE_OPEN, event_date, page_title, place_label
from geo.records import DATA_FILES as FILES
from geo.records import Dataset, load_dataset
from geo.site.share import place_page_url
from geo.timeline import in_date_order, status_as_of, year_end
from geo.vocabulary import CAVEAT_SENTENCES
from tests.support.data import real
from tests.support.run import history_items, open_app

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "valid"
TODAY = date.today()
PAGES = {
    "timeline": "pages/timeline.py",
    "places": "pages/places.py",
    "quotes": "pages/quotes.py",
    "about": "pages/about.py",
}
TITLES = {
    "timeline": "Timeline",
    "places": "Places",
    "quotes": "Quotes",
    "about": "About this map",
}


def open_page(name: str, query: dict[str, str] | None = None) -> AppTest:
    """Start the app (the map is the default page), then switch to `name`."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page(PAGES[name]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def url_value(at: AppTest, key: str) -> str:
    """A query parameter as the app left it (AppTest keeps a list once the app sets it)."""
    value = at.query_params[key]
    return value if isinstance(value, str) else value[-1]


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def shown_quotes(at: AppTest) -> list[str]:
    """The words and attribution of each quote on the page, as one text per quote."""
    blocks = markdown(at)
    return [
        blocks[n] + "\n" + blocks[n + 1]
        for n, text in enumerate(blocks)
        if text.startswith(QUOTE_OPEN)
    ]


def count_line(at: AppTest) -> str:
    return next(s.value for s in at.header if s.value.endswith(" quotes"))


@pytest.mark.parametrize("data_dir", [None, FIXTURE], ids=["real-data", "fixture"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_and_keeps_the_year_from_the_url(app_env, data_dir, name):
    if data_dir is not None:
        app_env.setenv("FRT_DATA_DIR", str(data_dir))
    at = open_page(name, {"year": "2020"})
    assert any(t.value.startswith(TITLES[name]) for t in at.title)
    assert at.slider(key="year").value == 2020
    assert url_value(at, "year") == "2020"
    at.slider(key="year").set_value(2021)
    rerun(at)
    assert url_value(at, "year") == "2021"


@pytest.mark.parametrize("name", list(PAGES))
def test_the_year_and_place_chosen_on_the_map_carry_over(app_env, name):
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    at.slider(key="year").set_value(2019)
    at.selectbox(key="place").set_value("ca-oakland")
    rerun(at)
    at.switch_page(PAGES[name])
    rerun(at)
    assert at.slider(key="year").value == 2019
    assert at.session_state["place"] == "ca-oakland"


# --- timeline --------------------------------------------------------------------------------


def test_timeline_chart_marks_the_chosen_year(app_env):
    at = open_page("timeline", {"year": "2020"})
    charts = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]
    assert len(charts) == 1
    spec = charts[0].proto.spec + json.dumps([str(d) for d in charts[0].proto.datasets])
    assert "31 Dec 2020" in spec


def test_timeline_events_filtered_by_status_level_and_year(app_env):
    at = open_page("timeline", {"year": "2020"})
    table = at.dataframe[0].value
    assert list(table.index) == [e.id for e in in_date_order(real().events)]
    assert all(str(url).startswith(("https://", "http://")) for url in table["Link"])

    at.multiselect(key="events_status").set_value(["banned"])
    rerun(at)
    expected = [e.id for e in in_date_order(real().events) if e.status == "banned"]
    assert list(at.dataframe[0].value.index) == expected

    # "Which cities banned it in 2020?"
    at.multiselect(key="events_level").set_value(["city"])
    at.checkbox(key="events_only_year").check()
    rerun(at)
    level = {j.id: j.level for j in real().jurisdictions}
    expected = [
        e.id
        for e in in_date_order(real().events)
        if e.status == "banned" and level[e.jurisdiction_id] == "city" and e.when.year == 2020
    ]
    assert expected
    assert list(at.dataframe[0].value.index) == expected


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data_dir", [None, FIXTURE], ids=["real-data", "fixture"])
@pytest.mark.parametrize("year", [2019, 2020, 2023])
def test_places_status_filter_gives_exactly_the_places_in_that_status(app_env, data_dir, year):
    if data_dir is not None:
        app_env.setenv("FRT_DATA_DIR", str(data_dir))
    dataset: Dataset = load_dataset(data_dir or PROJECT_ROOT / "data")
    at = open_page("places", {"year": str(year)})
    assert sorted(at.dataframe[0].value.index) == sorted(j.id for j in dataset.jurisdictions)
    at.multiselect(key="places_status").set_value(["banned"])
    rerun(at)
    statuses = status_as_of(dataset, year_end(year, TODAY))
    expected = {jid for jid, status in statuses.items() if status == "banned"}
    assert set(at.dataframe[0].value.index) == expected


def test_places_search_level_and_state_filters(app_env):
    at = open_page("places")
    at.text_input(key="places_search").input("springfield")
    rerun(at)
    found = set(at.dataframe[0].value.index)
    assert found == {j.id for j in real().jurisdictions if "springfield" in j.name.casefold()}
    at.text_input(key="places_search").input("")
    at.multiselect(key="places_level").set_value(["state"])
    at.multiselect(key="places_state").set_value(["CA", "MA"])
    rerun(at)
    expected = {
        j.id for j in real().jurisdictions if j.level == "state" and j.state in ("CA", "MA")
    }
    assert set(at.dataframe[0].value.index) == expected


def test_choosing_a_place_shows_its_history_and_quotes_and_goes_in_the_url(app_env):
    at = open_page("places", {"year": "2020"})
    at.selectbox(key="place").set_value("ma-springfield")
    rerun(at)
    assert url_value(at, "place") == "ma-springfield"
    assert "Springfield, MA" in [s.value for s in at.subheader]
    history = history_items(at)
    springfield_events = [e for e in real().events if e.jurisdiction_id == "ma-springfield"]
    assert len(history) == len(springfield_events)
    quotes = shown_quotes(at)
    assert len(quotes) == sum(q.jurisdiction_id == "ma-springfield" for q in real().quotes)


def test_a_link_to_a_place_opens_its_panel(app_env):
    at = open_page("places", {"year": "2019", "place": "ca-oakland"})
    assert at.selectbox(key="place").value == "ca-oakland"
    assert "Oakland, CA" in [s.value for s in at.subheader]
    assert any("Rebecca Kaplan" in text for text in shown_quotes(at))


# --- quotes ----------------------------------------------------------------------------------


def test_quote_search_shows_only_the_matching_quotes(app_env):
    at = open_page("quotes")
    assert count_line(at) == f"{len(real().quotes)} of {len(real().quotes)} quotes"
    assert len(shown_quotes(at)) == len(real().quotes)
    at.text_input(key="quotes_search").input("Kaplan")
    rerun(at)
    expected = [q for q in real().quotes if "kaplan" in f"{q.text} {q.speaker} {q.role}".casefold()]
    assert count_line(at) == f"{len(expected)} of {len(real().quotes)} quotes"
    quotes = shown_quotes(at)
    assert len(quotes) == len(expected)
    assert all("kaplan" in text.casefold() for text in quotes)
    assert all("](https://" in text or "](http://" in text for text in quotes)


def test_who_argued_against_it_in_springfield(app_env):
    at = open_page("quotes")
    at.multiselect(key="quotes_stance").set_value(["opposes_ban"])
    at.multiselect(key="quotes_place").set_value(["ma-springfield"])
    rerun(at)
    expected = [
        q for q in real().quotes if q.jurisdiction_id == "ma-springfield"
        and q.stance == "opposes_ban"
    ]  # fmt: skip
    assert expected
    quotes = shown_quotes(at)
    assert len(quotes) == len(expected)
    for quote, text in zip(sorted(expected, key=lambda q: (q.when, q.id)), quotes, strict=True):
        assert quote.speaker in text
        assert "Opposes a ban" in text
        assert "Springfield, MA" in text


def test_quotes_show_their_caveat_in_plain_words_and_no_research_notes(app_env):
    """Issue 22: under a quote, its caveat's sentences (never "Confidence: Low"); the research
    notes behind it stay in the CSV downloads, never under a quote."""
    at = open_page("quotes")
    captions = [c.value for c in at.caption]
    sentences = {markdown_text(s) for s in CAVEAT_SENTENCES.values()}
    shown = sorted(c for c in captions if any(s in c for s in sentences))
    expected = sorted(
        markdown_text(" ".join(CAVEAT_SENTENCES[code] for code in q.caveats))
        for q in real().quotes
        if q.caveat
    )
    assert len(expected) >= 30 and shown == expected
    assert not [c for c in captions if "Confidence" in c]
    elsewhere = {e.note for e in real().events} | {j.note for j in real().jurisdictions}
    notes = {q.note for q in real().quotes if q.note} - elsewhere
    assert notes
    page = "\n".join(markdown(at) + captions)
    assert not [note for note in notes if markdown_text(note) in page]


def test_the_quote_s_words_lead_and_the_speaker_is_not_bold(app_env):
    at = open_page("quotes")
    for text in shown_quotes(at):
        words, said = text.split("\n", 1)
        assert words.endswith("\u201d") and "**" not in said, text


@pytest.mark.parametrize("site_url", ["", "https://maps.example.org/frt"])
def test_a_place_panel_offers_its_page_to_share_when_the_site_is_known(app_env, site_url):
    app_env.setenv("FRT_SITE_URL", site_url)
    at = open_page("places", {"year": "2019", "place": "ca-oakland"})
    oakland = real().jurisdiction("ca-oakland")
    shared = [m for m in markdown(at) if m.startswith("[Link to share")]
    if site_url:
        url = place_page_url(site_url, oakland.id)
        assert shared == [markdown_link(f"Link to share {place_label(oakland)}", url)]
    else:
        assert shared == []


FORM = "https://github.com/example/frt-map/issues/new?template=correct-or-add-a-record.yml"


@pytest.mark.parametrize("form", ["", FORM, "not a link"], ids=["unset", "set", "not-http"])
@pytest.mark.parametrize("page", ["map", "places"])
def test_a_place_panel_links_the_correction_form_only_when_it_is_set(app_env, form, page):
    """Issue 22: "Suggest a correction" with the place filled in (FRT_CORRECTION_URL); no
    link at all when the setting is unset or unusable."""
    app_env.setenv("FRT_CORRECTION_URL", form)
    query = {"year": "2019", "place": "ca-oakland"}
    at = open_app(query) if page == "map" else open_page("places", query)
    oakland = real().jurisdiction("ca-oakland")
    lines = [m for m in markdown(at) if "correction" in m]
    if form == FORM:
        url = correction_url(FORM, oakland.id, place_label(oakland))
        assert url and url.startswith(FORM + "&title=Data%3A%20Oakland%2C%20CA&place=")
        link = markdown_link(f"Suggest a correction to {place_label(oakland)}", url)
        assert lines == [f"Something wrong or missing? {link}"]
    else:
        assert lines == []


@pytest.mark.parametrize("public_url", ["", "https://frt.example.org/"])
def test_a_place_panel_links_the_app_at_this_place_and_year(app_env, public_url):
    """Issue 22: the app's own link to the place and year, to copy (a Markdown link: no new
    element type on the map page, issue 24); relative when FRT_PUBLIC_URL is unset."""
    app_env.setenv("FRT_PUBLIC_URL", public_url)
    at = open_app({"year": "2019", "place": "ca-oakland"})
    url = f"{public_url}?year=2019&place=ca-oakland"
    link = markdown_app_link("Oakland, CA in 2019", url)
    assert link.startswith("[") and link.endswith(f"]({url})")
    assert [m for m in markdown(at) if m.startswith("Link to this view")] == [
        f"Link to this view: {link}"
    ]
    at.slider(key="year").set_value(2021)
    rerun(at)
    later = markdown_app_link("Oakland, CA in 2021", url.replace("2019", "2021"))
    assert f"Link to this view: {later}" in markdown(at)


def test_every_app_page_has_its_own_tab_title() -> None:
    titles = [page_title(title) for _path, _file, title, _icon in APP_PAGES]
    assert len(set(titles)) == len(titles) == len(PAGES) + 1
    assert {file for _p, file, _t, _i in APP_PAGES} == {*PAGES.values(), "pages/map.py"}


def test_quote_filters_by_year_and_speaker(app_env):
    at = open_page("quotes", {"year": "2019"})
    at.checkbox(key="quotes_only_year").check()
    rerun(at)
    in_2019 = [q for q in real().quotes if q.when.year == 2019]
    assert count_line(at).startswith(f"{len(in_2019)} of ")
    speaker = in_2019[0].speaker
    at.multiselect(key="quotes_speaker").set_value([speaker])
    rerun(at)
    expected = [q for q in in_2019 if q.speaker == speaker]
    assert count_line(at).startswith(f"{len(expected)} of ")
    at.text_input(key="quotes_search").input("no quote has these words at all")
    rerun(at)
    assert count_line(at).startswith("0 of ")
    assert at.info


# --- about -----------------------------------------------------------------------------------


@pytest.mark.parametrize("data_dir", [None, FIXTURE], ids=["real-data", "fixture"])
def test_about_downloads_round_trip(app_env, served_files, tmp_path: Path, data_dir):
    if data_dir is not None:
        app_env.setenv("FRT_DATA_DIR", str(data_dir))
    dataset = load_dataset(data_dir or PROJECT_ROOT / "data")
    at = open_page("about", {"year": "2020"})
    assert len(at.get("download_button")) == 4 + bool(dataset.sessions)
    for spec in FILES:
        stem = spec.name.removesuffix(".csv")
        data = served_files[f"frt-{stem}-{TODAY.isoformat()}.csv"]
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert header == list(spec.columns)
        (tmp_path / spec.name).write_bytes(data)
    if dataset.sessions:
        (tmp_path / "sessions.csv").write_bytes(
            served_files[f"frt-sessions-{TODAY.isoformat()}.csv"]
        )
    back = load_dataset(tmp_path)  # the validator accepts the download as is
    assert (back.jurisdictions, back.events, back.quotes) == (
        dataset.jurisdictions,
        dataset.events,
        dataset.quotes,
    )

    geojson = served_files["frt-status-2020-12-31.geojson"]
    frame = gpd.read_file(io.BytesIO(geojson)).set_index("id")
    assert sorted(frame.index) == sorted(j.id for j in dataset.jurisdictions)
    statuses = status_as_of(dataset, date(2020, 12, 31))
    got = {jid: (s if isinstance(s, str) else None) for jid, s in frame["status"].items()}
    assert got == {j.id: statuses.get(j.id) for j in dataset.jurisdictions}

    at.slider(key="year").set_value(2023)
    rerun(at)
    assert "frt-status-2023-12-31.geojson" in served_files


def test_about_says_what_statuses_mean_and_shows_the_codebook(app_env):
    at = open_page("about")
    text = "\n".join(markdown(at))
    assert "No record is not the same as not using" in text
    assert "CC BY 4.0" in text
    assert "python -m geo.validate" in text
    assert "`events.csv`" in text  # the codebook
    latest = max(real().events, key=lambda e: e.when)
    assert event_date(latest.date) in text
    assert not any(m.proto.allow_html for m in at.markdown)
