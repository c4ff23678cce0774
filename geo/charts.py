"""Altair charts for the companion pages. No Streamlit here: pages pass these to st.altair_chart."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from geo.present import long_date
from geo.tables import chart_scale


def timeline_chart(monthly: pd.DataFrame, on: date, *, height: int = 380) -> alt.LayerChart:
    """Measures in force, month by month, stacked strongest first (banned at the bottom);
    open ban proposals and reported use as separate dashed lines; a rule at the chosen date.

    `monthly` is `geo.tables.monthly_frame`: each month's count holds from its first day to
    the next month's, so the areas and lines are steps.
    """
    labels, colours = chart_scale()
    colour = alt.Color(
        "label:N",
        title="Series",
        scale=alt.Scale(domain=labels, range=colours),
        legend=alt.Legend(orient="top", direction="horizontal", labelFontSize=13, columns=3),
    )
    lines = (
        alt.Chart(monthly)
        .transform_filter(alt.datum.kind == "series")
        .mark_line(interpolate="step-after", strokeWidth=3, strokeDash=[6, 3])
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("count:Q", title="Jurisdictions"),
            color=colour,
            detail="status:N",
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("label:N", title="Series"),
                alt.Tooltip("count:Q", title="Jurisdictions"),
            ],
        )
    )
    area = (
        alt.Chart(monthly)
        .transform_filter(alt.datum.kind == "measure")
        .mark_area(interpolate="step-after", opacity=0.9)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("count:Q", stack="zero", title="Jurisdictions"),
            color=colour,
            order=alt.Order("order:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("label:N", title="Series"),
                alt.Tooltip("count:Q", title="Jurisdictions"),
            ],
        )
    )
    marker = pd.DataFrame({"day": [pd.Timestamp(on)], "text": [long_date(on)]})
    rule = (
        alt.Chart(marker)
        .mark_rule(color="#000000", strokeDash=[5, 3], size=2)
        .encode(x="day:T", tooltip=[alt.Tooltip("text:N", title="Chosen date")])
    )
    text = (
        alt.Chart(marker)
        .mark_text(align="right", baseline="top", dx=-5, dy=4, fontSize=13, fontWeight="bold")
        .encode(x="day:T", y=alt.value(0), text="text:N")
    )
    layered: alt.LayerChart = (area + lines + rule + text).properties(height=height)
    return layered
