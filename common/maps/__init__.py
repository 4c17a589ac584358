"""A map of the Balkans drawn on the server as plain SVG: the same markup in a page and in a PDF.

The country outlines are a committed asset (``balkans.json``, derived once from Natural Earth
by ``bin/derive-balkan-outlines``): no tile server, nothing fetched by the visitor's browser.
Presentation attributes only (``fill=``, ``r=``), no ``style``: the Content Security Policy
forbids inline styles, and WeasyPrint draws inline SVG as it is. The page's stylesheet adds
what only a browser does: names shown on hover and focus (``static/css/b40.css``).

Knows nothing of the network: the apps hand it dots.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

OUTLINES = Path(__file__).resolve().parent / "balkans.json"

# Dot kinds, drawn in this order (the highlighted last, on top).
FOUNDER = "founder"
MEMBER = "member"
NEW = "new"
HIGHLIGHT = "highlight"
KINDS = (FOUNDER, MEMBER, NEW, HIGHLIGHT)
# (fill, radius in view-box units): readable on a 390-px screen (the view box is ~1,000 wide).
LOOKS = {
    FOUNDER: ("#f2b705", 10),
    MEMBER: ("#1d6fa5", 9),
    NEW: ("#2a9d4b", 10),
    HIGHLIGHT: ("#c8102e", 15),
}
STROKE = "#0b3d6b"
LAND = "#e9ecef"
NETWORK_LAND = "#d7e3ee"
BORDER = "#8a99a8"
SEA = "#f5f9fc"
LABEL_SIZE = 26


@dataclass(frozen=True)
class Dot:
    """One place on the map: a link with an accessible name."""

    name: str
    url: str
    latitude: float
    longitude: float
    kind: str = MEMBER
    description: str = ""  # read by screen readers after the name, e.g. "founding member"
    labelled: bool = False  # the name always shown (not only on hover or focus)


@cache
def outlines() -> dict:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """View-box coordinates of a point (the projection the outlines were derived with)."""
    data = outlines()
    west, south, east, north = data["box"]
    k = math.cos(math.radians((south + north) / 2))
    scale = data["width"] / ((east - west) * k)
    return (float(longitude) - west) * k * scale, (north - float(latitude)) * scale


def _land(network_countries: frozenset[str]) -> str:
    data = outlines()
    paths = []
    for country in data["countries"]:
        fill = NETWORK_LAND if country["code"] in network_countries else LAND
        paths.append(
            f'<path d="{country["d"]}" fill="{fill}" stroke="{BORDER}" stroke-width="1.5" '
            f'stroke-linejoin="round"/>'
        )
    return "".join(paths)


def _label_position(x: float, y: float, width: float) -> tuple[float, str]:
    """Labels to the right of the dot, or to its left near the east edge."""
    if x > width - 220:
        return x - 16, "end"
    return x + 16, "start"


def draw_map(
    dots: Iterable[Dot],
    *,
    title: str,
    network_countries: Iterable[str] = (),
    hover_labels: bool = True,
    id_prefix: str = "map",
) -> SafeString:
    """The map as an ``<svg>`` element, width 100% of its container.

    ``hover_labels``: every dot carries its name, shown by the page's CSS on hover and focus
    (off for print: a PDF shows only the labelled dots' names).
    """
    data = outlines()
    width, height = data["width"], data["height"]
    ordered = sorted(dots, key=lambda d: (KINDS.index(d.kind), d.name))
    title_id = f"{id_prefix}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" viewBox="0 0 {width} '
        f'{height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{title_id}">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="{SEA}"/>'
        f'<g aria-hidden="true">{_land(frozenset(network_countries))}</g>'
    ]
    labels = []
    for dot in ordered:
        x, y = project(dot.latitude, dot.longitude)
        if not (0 <= x <= width and 0 <= y <= height):
            continue  # outside the drawn region (the validator keeps cities inside)
        fill, radius = LOOKS.get(dot.kind, LOOKS[MEMBER])
        name = f"{dot.name}, {dot.description}" if dot.description else dot.name
        label_x, anchor = _label_position(x, y, width)
        if hover_labels:
            # In a page the stylesheet paints dots and names by their classes: a dot is a
            # fifth of the bytes, which counts at a thousand cities.
            circle = f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" class="map-dot"/>'
            label = (
                f'<text x="{label_x:.0f}" y="{y + 9:.0f}" class="map-label'
                f'{" map-label--end" if anchor == "end" else ""}">{escape(dot.name)}</text>'
            )
        else:
            # WeasyPrint draws what the markup says: every look as an attribute.
            circle = (
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius}" fill="{fill}" '
                f'stroke="{STROKE}" stroke-width="2.5" class="map-dot"/>'
            )
            label = (
                f'<text x="{label_x:.0f}" y="{y + 9:.0f}" text-anchor="{anchor}" '
                f'font-size="{LABEL_SIZE}" font-family="sans-serif" font-weight="bold" '
                f'fill="#1b1f23" stroke="#ffffff" stroke-width="6" '
                f'class="map-label">{escape(dot.name)}</text>'
            )
        parts.append(
            f'<a href="{escape(dot.url)}" class="map-city map-city--{dot.kind}'
            f'{" map-city--labelled" if dot.labelled else ""}" aria-label="{escape(name)}">'
            + circle
            + (label if hover_labels and not dot.labelled else "")
            + "</a>"
        )
        if dot.labelled:
            labels.append(
                label.replace('class="map-label', 'aria-hidden="true" class="map-label', 1)
            )
    # The always-shown names above every dot, so that no dot hides one.
    parts.append(f'<g class="map-labels">{"".join(labels)}</g></svg>')
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703: every value escaped
