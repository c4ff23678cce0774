"""What the map page sends to the browser, read back from AppTest's record of the component.

A rerun sends one code per place (geo.mapview.status_payload); the places' constant part is
the file the frame fetches (geo.mapview.write_place_file). `map_payload` joins the two into the
drawing contract per place, with the tooltip's words by geo.drawing.tooltip_label: what
frtDraw.expand makes in the browser (tests/browser/test_marks_browser.py compares the two).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.config import get_settings
from geo.drawing import code_drawing, place_drawing, tooltip_label


def map_args(at: AppTest) -> dict:
    """The map component's arguments, as AppTest records them (it cannot render them)."""
    for element in at.get("component_instance"):
        if "st_folium" in element.proto.component_name:
            return json.loads(element.proto.json_args)
    raise AssertionError("no map on the page")


def sent_payload(at: AppTest) -> dict:
    """The status layer's payload as sent: {codes, selected, settings}."""
    script = map_args(at)["feature_group"]
    value, _ = json.JSONDecoder().raw_decode(script[script.index('{"codes":') :])
    return value


def place_file(at: AppTest) -> Path:
    """The places file the base map names, in the cache folder the app wrote it to."""
    name = re.search(r"places-[0-9a-f]{16}\.json", map_args(at)["script"])
    assert name, "the base map names no places file"
    return get_settings().cache_dir / "places" / name.group(0)


def expand(columns: dict, codes: str) -> list[dict]:
    """The drawing contract per place, from the constant columns and one code per place."""
    places = []
    for n, code in enumerate(codes):
        fill, marks = code_drawing(code)
        places.append(
            {
                **{key: values[n] for key, values in columns.items() if key != "label"},
                "polygon": bool(columns["polygon"][n]),
                **place_drawing(fill, marks),
                "label": tooltip_label(columns["label"][n], fill, marks),
            }
        )
    return places


def map_payload(at: AppTest) -> dict:
    """The status layer's payload with its places expanded, as the frame draws them."""
    sent = sent_payload(at)
    columns = json.loads(place_file(at).read_text(encoding="utf-8"))
    assert len(columns["id"]) == len(sent["codes"])
    return {**sent, "places": expand(columns, sent["codes"])}
