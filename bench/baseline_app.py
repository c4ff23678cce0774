"""The benchmark's baseline: the same data drawn the common way, for comparison only.

What many Streamlit map apps do: load the raw boundaries once (cached), then on every rerun
build a new `folium.Map` with one `folium.GeoJson` layer of the UNSIMPLIFIED polygons (Census
place polygons of the dataset's cities from `FRT_CENSUS_SOURCE`, plotly-geo states and
counties at full 1:500k resolution), coloured by the status on the chosen year, and hand it
to `st_folium` with its default `returned_objects`. folium's default CDN links stay in (the
benchmark's browser blocks them; the server-side cost is what is measured).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import PACKAGE_STEMS, package_folder
from geo.config import get_settings
from geo.records import load_dataset
from geo.timeline import NO_RECORD, status_as_of, year_end
from geo.vocabulary import STATUS_COLOURS, STATUS_LABELS

CENSUS = Path(os.environ.get("FRT_CENSUS_SOURCE") or "../shared/census")
YEAR = os.environ.get("FRT_CENSUS_YEAR") or "2015"


@st.cache_resource
def raw_boundaries() -> gpd.GeoDataFrame:
    """Every US jurisdiction's polygon as published (no simplification), in EPSG:4326."""
    dataset = load_dataset(get_settings().data_dir)
    frames = []
    cities = [j for j in dataset.jurisdictions if j.level == "city" and len(j.geoid) == 7]
    for fips in sorted({j.geoid[:2] for j in cities}):
        places = gpd.read_file(CENSUS / f"cb_{YEAR}_{fips}_place_500k.zip")
        frames.append(places[["GEOID", "geometry"]].to_crs(4326))
    for kind in ("state", "county"):
        shp = package_folder() / f"{PACKAGE_STEMS[kind]}.shp"
        frames.append(gpd.read_file(shp)[["GEOID", "geometry"]].set_crs(4269).to_crs(4326))
    shapes = pd.concat(frames, ignore_index=True)
    rows = [
        {"id": j.id, "name": j.name, "GEOID": j.geoid}
        for j in dataset.jurisdictions
        if j.is_us and j.geoid
    ]
    joined = shapes.merge(pd.DataFrame(rows), on="GEOID")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=4326)


dataset = load_dataset(get_settings().data_dir)
st.title("Facial recognition bans (baseline)")
year = st.slider("Year", min_value=2019, max_value=date.today().year, value=date.today().year)
statuses = status_as_of(dataset, year_end(year, date.today()))

shapes = raw_boundaries().copy()
shapes["status"] = [STATUS_LABELS[statuses.get(i, NO_RECORD)] for i in shapes["id"]]
shapes["colour"] = [STATUS_COLOURS[statuses.get(i, NO_RECORD)] for i in shapes["id"]]

fmap = folium.Map(location=[39.0, -96.5], zoom_start=4)
folium.GeoJson(
    shapes,
    style_function=lambda f: {
        "fillColor": f["properties"]["colour"],
        "color": "#333333",
        "weight": 1,
        "fillOpacity": 0.7,
    },
    tooltip=folium.GeoJsonTooltip(fields=["name", "status"]),
).add_to(fmap)
result = st_folium(fmap, width=900, height=560)
st.write(result.get("last_active_drawing") if result else None)
