"""What the map page sends to the browser, read back from AppTest's record of the component."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def map_args(at: AppTest) -> dict:
    """The map component's arguments, as AppTest records them (it cannot render them)."""
    for element in at.get("component_instance"):
        if "st_folium" in element.proto.component_name:
            return json.loads(element.proto.json_args)
    raise AssertionError("no map on the page")


def map_payload(at: AppTest) -> dict:
    """The status layer's payload, decoded from the map component's script."""
    script = map_args(at)["feature_group"]
    value, _ = json.JSONDecoder().raw_decode(script[script.index('{"places":') :])
    return value
