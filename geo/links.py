"""Links a place's panel offers in both editions, built from the settings: the correction
form with the place filled in (FRT_CORRECTION_URL), and the app at a place and year
(FRT_PUBLIC_URL). Pure functions of strings; the app (geo.ui) and the static edition
(geo.site) both call them, so the two editions link the same addresses."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from geo.escape import safe_href

# The issue form's own title prefix (.github/ISSUE_TEMPLATE/correct-or-add-a-record.yml), and
# the ids of the fields a link fills in (GitHub issue forms read `?<field id>=<value>`).
CORRECTION_TITLE = "Data: "
CORRECTION_FIELDS = ("title", "place")


def correction_url(form_url: str, place_id: str, label: str) -> str | None:
    """The correction form (FRT_CORRECTION_URL) with this place filled in, as its `place`
    field asks ("Oakland, CA (ca-oakland)"), and the issue titled "Data: Oakland, CA". None
    when the setting is unset or not an http(s) address: no link at all. The setting's own
    parameters (the template's name) stay as written; a `place` or `title` in it gives way.
    Every character of the label is percent-encoded (UTF-8), so a name can not end the value.
    A label too long for a link (MAX_URL) drops the title first, then the link."""
    base = safe_href(form_url) if form_url else None
    if base is None:
        return None
    parts = urlsplit(base)
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and pair.split("=", 1)[0] not in CORRECTION_FIELDS
    ]
    place = {"place": f"{label} ({place_id})"}
    for fields in ({"title": f"{CORRECTION_TITLE}{label}", **place}, place):
        query = "&".join([*kept, urlencode(fields, quote_via=quote)])  # a space is %20
        url = safe_href(urlunsplit(parts._replace(query=query)))
        if url is not None:
            return url
    return None


def app_place_url(public_url: str, place_id: str, year: int) -> str:
    """The app's own link to a place in a year (`?year=2024&place=ma-boston`): on the app's
    address (FRT_PUBLIC_URL) when it is an http(s) one, else relative to the page it is on."""
    query = urlencode({"year": str(year), "place": place_id})
    base = safe_href(public_url) if public_url else None
    if base is None:
        return f"?{query}"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(query=query, fragment=""))
